"""Personal data: for every model that holds some, how to export it (Art. 15/20 DSGVO), erase it
(Art. 17) and when it is deleted anyway (retention).

`HANDLERS` must cover every model that holds personal data; `NO_PERSONAL_DATA` lists the models that were
checked and hold none, with the reason. tests/volunteering/test_privacy_registry.py fails when a model of
the project (or a library model linked to accounts) is in neither, so a new model cannot slip through.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from volunteering.models import User


@dataclass(frozen=True)
class PersonalData:
    export: Callable[[User], object]
    erase: Callable[[User], None]
    retention: str


def _rows(queryset, *, exclude: tuple[str, ...] = ()) -> list[dict]:
    rows = []
    for obj in queryset:
        row = model_to_dict(obj, exclude=list(exclude))
        for field in obj._meta.concrete_fields:
            if field.name in row and isinstance(field, models.DateTimeField | models.DateField):
                value = getattr(obj, field.name)
                row[field.name] = value.isoformat() if value else None
        rows.append(row)
    return rows


def _by_user(model_label: str, *, field: str = "user", exclude: tuple[str, ...] = ()) -> PersonalData:
    """Rows that belong to the person through `field`; erased by deleting them."""

    def export(user: User) -> list[dict]:
        model = apps.get_model(model_label)
        return _rows(model.objects.filter(**{field: user}), exclude=exclude)

    def erase(user: User) -> None:
        apps.get_model(model_label).objects.filter(**{field: user}).delete()

    return PersonalData(export=export, erase=erase, retention="")


def _export_account(user: User) -> dict:
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "birth_year": user.birth_year,
        "preferred_language": user.preferred_language,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
    }


def _export_profile(user: User) -> dict | None:
    profile = getattr(user, "volunteer_profile", None)
    if profile is None:
        return None
    data = _rows([profile], exclude=("user", "completed_steps"))[0]
    data["kommune"] = profile.kommune.name if profile.kommune else None
    data["handlungsfelder"] = [field.name for field in profile.handlungsfelder.all()]
    data["activity_types"] = [activity.name for activity in profile.activity_types.all()]
    data["languages"] = [
        {"language": entry.language.name, "level": entry.get_level_display()}
        for entry in profile.languages.all()
    ]
    return data


def _export_consents(user: User) -> list[dict]:
    return [
        {
            "text": f"{consent.text.get_kind_display()} v{consent.text.version}",
            "wording": consent.text.text,
            "given_at": consent.given_at.isoformat(),
            "withdrawn_at": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
        }
        for consent in user.consents.select_related("text")
    ]


def _export_memberships(user: User) -> list[dict]:
    return [
        {"organisation": membership.organisation.name, "role": membership.get_role_display()}
        for membership in user.memberships.select_related("organisation")
    ]


def _notifications_of(user: User):
    notification = apps.get_model("notifications.Notification")
    return notification.objects.filter(models.Q(recipient=user) | models.Q(email__iexact=user.email))


def _erase_stories(user: User) -> None:
    for story in apps.get_model("cms.StoryPage").objects.filter(portrayed_user=user):
        if story.live:
            story.unpublish()
        story.consents.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        story.delete_portrait()  # the private photo file and its name in every revision
    apps.get_model("cms.StoryPage").objects.filter(portrayed_user=user).update(portrayed_user=None)


def _tandem_requests_of(user: User):
    # Only requests the person made for themselves; an adviser's address on someone else's request is
    # not that request's subject.
    return apps.get_model("volunteering.TandemRequest").objects.filter(
        email__iexact=user.email, consent_recorded_by="self"
    )


def _export_tandem_requests(user: User) -> list[dict]:
    rows = []
    for request in _tandem_requests_of(user).select_related("kommune", "tandem_type", "consent_text"):
        row = _rows(
            [request], exclude=("recorded_by", "interests", "consent_text", "kommune", "tandem_type")
        )[0]
        row["kommune"] = request.kommune.name
        row["tandem_type"] = request.tandem_type.name
        row["interests"] = [activity.name for activity in request.interests.all()]
        row["languages"] = [
            {"language": entry.language.name, "level": entry.get_level_display()}
            for entry in request.languages.select_related("language")
        ]
        row["consent"] = f"v{request.consent_text.version}: {request.consent_text.text}"
        rows.append(row)
    return rows


def _export_tandems(user: User) -> list[dict]:
    """The volunteer's tandems: dates, what was agreed and their own answers – not the newcomer."""
    tandems = apps.get_model("volunteering.Tandem").objects.filter(volunteer=user)
    return [
        {
            "tandem_type": tandem.request.tandem_type.name,
            "kommune": tandem.request.kommune.name,
            "status": tandem.get_status_display(),
            "proposed_at": tandem.proposed_at.isoformat(),
            "decided_at": tandem.decided_at.isoformat() if tandem.decided_at else None,
            "decline_reason": tandem.decline_reason,
            "first_meeting_at": tandem.first_meeting_at.isoformat() if tandem.first_meeting_at else None,
            "scope": tandem.scope,
            "ends_on": tandem.ends_on.isoformat() if tandem.ends_on else None,
            "ended_at": tandem.ended_at.isoformat() if tandem.ended_at else None,
            "end_reason": tandem.end_reason,
            "volunteer_rating": tandem.volunteer_rating,
            "volunteer_comment": tandem.volunteer_comment,
        }
        for tandem in tandems.select_related("request__tandem_type", "request__kommune")
    ]


def _erase_tandems(user: User) -> None:
    from volunteering.services.tandems import tandems_of_volunteer_erase

    tandems_of_volunteer_erase(user)


def _erase_nothing(user: User) -> None:
    """Deleting the account removes these rows (CASCADE) or keeps them without the person (SET_NULL)."""


HANDLERS: dict[str, PersonalData] = {
    "volunteering.User": PersonalData(
        export=_export_account, erase=_erase_nothing, retention="Bis das Konto gelöscht wird."
    ),
    "volunteering.VolunteerProfile": PersonalData(
        export=_export_profile, erase=_erase_nothing, retention="Bis das Konto gelöscht wird."
    ),
    "volunteering.ProfileLanguage": PersonalData(
        export=lambda user: None, erase=_erase_nothing, retention="Teil des Profils (oben)."
    ),
    "volunteering.Consent": PersonalData(
        export=_export_consents,
        erase=_erase_nothing,
        retention="Solange das Konto besteht; widerrufene Einwilligungen bleiben als Nachweis.",
    ),
    "volunteering.ParentalConsent": PersonalData(
        export=lambda user: _rows(
            apps.get_model("volunteering.ParentalConsent").objects.filter(user=user), exclude=("user",)
        ),
        erase=_erase_nothing,
        retention="Bis das Konto gelöscht wird.",
    ),
    "volunteering.OrganisationMembership": PersonalData(
        export=_export_memberships, erase=_erase_nothing, retention="Bis die Mitgliedschaft endet."
    ),
    "volunteering.OrganisationInvitation": PersonalData(
        export=lambda user: _rows(
            apps.get_model("volunteering.OrganisationInvitation").objects.filter(email__iexact=user.email),
            exclude=("invited_by",),
        ),
        erase=lambda user: (
            apps.get_model("volunteering.OrganisationInvitation")
            .objects.filter(email__iexact=user.email)
            .delete()
        ),
        retention="Offene Einladungen verfallen nach 14 Tagen.",
    ),
    "volunteering.CoordinatorRole": PersonalData(
        export=lambda user: (
            {"whole_district": user.coordinator_role.whole_district}
            if hasattr(user, "coordinator_role")
            else None
        ),
        erase=_erase_nothing,
        retention="Solange die Rolle vergeben ist.",
    ),
    "volunteering.AuditEntry": PersonalData(
        # What the person did as staff is kept for accountability, without the person (actor set NULL).
        export=lambda user: _rows(
            apps.get_model("volunteering.AuditEntry").objects.filter(actor=user), exclude=("actor",)
        ),
        erase=_erase_nothing,
        retention="Zwei Jahre, dann gelöscht.",
    ),
    "volunteering.Application": _by_user(
        "volunteering.Application", field="volunteer", exclude=("volunteer",)
    ),
    "volunteering.ApplicationEvent": PersonalData(
        export=lambda user: _rows(
            apps.get_model("volunteering.ApplicationEvent").objects.filter(application__volunteer=user),
            exclude=("actor",),
        ),
        erase=_erase_nothing,
        retention="Teil der Bewerbung.",
    ),
    "volunteering.ApplicationMessage": PersonalData(
        # Only what the person wrote; the other side's messages belong to the other side.
        export=lambda user: _rows(
            apps.get_model("volunteering.ApplicationMessage").objects.filter(author=user), exclude=("author",)
        ),
        erase=lambda user: (
            apps.get_model("volunteering.ApplicationMessage").objects.filter(author=user).delete()
        ),
        retention="Mit der Bewerbung.",
    ),
    "volunteering.Engagement": _by_user("volunteering.Engagement", field="volunteer", exclude=("volunteer",)),
    "volunteering.SavedNeed": _by_user("volunteering.SavedNeed", exclude=("user",)),
    "volunteering.TasterSignup": _by_user("volunteering.TasterSignup", exclude=("user",)),
    "volunteering.CampaignSignup": _by_user("volunteering.CampaignSignup", exclude=("user",)),
    "cms.StoryPage": PersonalData(
        # Stories that portray the person through their account; erasure takes them offline and unlinks them.
        export=lambda user: [
            {"title": story.title, "live": story.live, "first_published_at": str(story.first_published_at)}
            for story in apps.get_model("cms.StoryPage").objects.filter(portrayed_user=user)
        ],
        erase=lambda user: _erase_stories(user),
        retention="Solange die Einwilligung besteht; ein Widerruf nimmt die Geschichte sofort offline.",
    ),
    "cms.StoryConsent": PersonalData(
        export=lambda user: _rows(
            apps.get_model("cms.StoryConsent").objects.filter(page__portrayed_user=user), exclude=("page",)
        ),
        erase=_erase_nothing,
        retention="Als Nachweis, solange die Geschichte besteht.",
    ),
    # --- Tandems. A volunteer's export shows their side only: never the newcomer's contact data.
    "volunteering.TandemRequest": PersonalData(
        # A newcomer who later opened an account with the same address gets their request(s).
        export=lambda user: _export_tandem_requests(user),
        erase=lambda user: _tandem_requests_of(user).delete(),
        retention=(
            "Sechs Monate nach dem Ende des Tandems (TANDEM_RETENTION_MONTHS); zurückgezogene Anfragen "
            "in der folgenden Nacht; Anfragen ohne Tandem nach zwölf Monaten."
        ),
    ),
    "volunteering.TandemRequestLanguage": PersonalData(
        export=lambda user: None, erase=_erase_nothing, retention="Teil der Tandem-Anfrage (oben)."
    ),
    "volunteering.Tandem": PersonalData(
        export=lambda user: _export_tandems(user),
        erase=lambda user: _erase_tandems(user),
        retention="Mit der Tandem-Anfrage (sechs Monate nach dem Ende).",
    ),
    "volunteering.TandemCheckIn": PersonalData(
        export=lambda user: _rows(
            apps.get_model("volunteering.TandemCheckIn").objects.filter(tandem__volunteer=user),
            exclude=("id",),
        ),
        erase=_erase_nothing,
        retention="Teil des Tandems.",
    ),
    "volunteering.MatchingRun": PersonalData(
        # Ids and scores only; who started the run is kept without the person after erasure (SET_NULL).
        export=lambda user: [
            {"created_at": run.created_at.isoformat()}
            for run in apps.get_model("volunteering.MatchingRun").objects.filter(created_by=user)
        ],
        erase=_erase_nothing,
        retention="14 Tage (MATCHING_RUN_RETENTION_DAYS).",
    ),
    "notifications.Notification": PersonalData(
        export=lambda user: [
            {
                "kind": n.kind,
                "channel": n.channel,
                "status": n.status,
                "due_at": n.due_at.isoformat(),
                "sent_at": n.sent_at.isoformat() if n.sent_at else None,
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in _notifications_of(user)
        ],
        erase=lambda user: _notifications_of(user).delete(),
        retention="Bis das Konto gelöscht wird; verschickte Nachrichten werden nach 180 Tagen gelöscht.",
    ),
    "notifications.NotificationPreference": _by_user(
        "notifications.NotificationPreference", exclude=("user",)
    ),
    "volunteering.EfzRecord": PersonalData(
        # The person's own records; who recorded them (a staff member) is left out.
        export=lambda user: _rows(
            apps.get_model("volunteering.EfzRecord").objects.filter(volunteer=user),
            exclude=("volunteer", "recorded_by"),
        ),
        erase=lambda user: apps.get_model("volunteering.EfzRecord").objects.filter(volunteer=user).delete(),
        retention=(
            "Sofort gelöscht, wenn die Person nicht beginnt; spätestens drei Monate nach dem Ende des "
            "Engagements (täglicher Lauf)."
        ),
    ),
    "volunteering.IssuedLetter": PersonalData(
        # Letters about the person, with exactly what they state; who issued them is left out.
        export=lambda user: _rows(
            apps.get_model("volunteering.IssuedLetter").objects.filter(subject=user),
            exclude=("subject", "issued_by", "revoked_by"),
        ),
        erase=lambda user: apps.get_model("volunteering.IssuedLetter").objects.filter(subject=user).delete(),
        retention="Bis das Konto gelöscht wird; danach lässt sich der Prüfcode nicht mehr bestätigen.",
    ),
    # --- Trainings: the person's bookings, attendance, qualifications, calendar link; sessions they train
    "volunteering.Registration": PersonalData(
        export=lambda user: _rows(
            apps.get_model("volunteering.Registration").objects.filter(user=user), exclude=("user",)
        ),
        erase=lambda user: apps.get_model("volunteering.Registration").objects.filter(user=user).delete(),
        retention="Bis das Konto gelöscht wird (Nachweis der Teilnahme und der Qualifikation).",
    ),
    "volunteering.Attendance": PersonalData(
        # Whether the person was there; who recorded it (trainer or coordinator) is left out.
        export=lambda user: _rows(
            apps.get_model("volunteering.Attendance").objects.filter(registration__user=user),
            exclude=("marked_by",),
        ),
        erase=lambda user: (
            apps.get_model("volunteering.Attendance").objects.filter(registration__user=user).delete()
        ),
        retention="Mit der Schulungsanmeldung.",
    ),
    "volunteering.VolunteerQualification": PersonalData(
        export=lambda user: [
            {
                "qualification": held.qualification.name,
                "granted_on": held.granted_on.isoformat(),
                "expires_on": held.expires_on.isoformat() if held.expires_on else None,
            }
            for held in apps.get_model("volunteering.VolunteerQualification")
            .objects.filter(user=user)
            .select_related("qualification")
        ],
        erase=lambda user: (
            apps.get_model("volunteering.VolunteerQualification").objects.filter(user=user).delete()
        ),
        retention="Bis das Konto gelöscht wird; abgelaufene Qualifikationen bleiben als Nachweis sichtbar.",
    ),
    "volunteering.TrainingCalendarToken": PersonalData(
        # The secret itself is not exported: it is a key, not information about the person.
        export=lambda user: (
            {"private_calendar_link": True}
            if apps.get_model("volunteering.TrainingCalendarToken").objects.filter(user=user).exists()
            else None
        ),
        erase=lambda user: (
            apps.get_model("volunteering.TrainingCalendarToken").objects.filter(user=user).delete()
        ),
        retention="Bis die Person einen neuen Link erzeugt oder das Konto gelöscht wird.",
    ),
    "volunteering.TrainingSession": PersonalData(
        # Sessions the person leads as trainer; erasure removes them as trainer, the session stays.
        export=lambda user: [
            {
                "training": session.training.title,
                "kommune": session.kommune.name,
                "trainer_name": session.trainer_name,
            }
            for session in apps.get_model("volunteering.TrainingSession")
            .objects.filter(trainer=user)
            .select_related("training", "kommune")
        ],
        erase=lambda user: (
            apps.get_model("volunteering.TrainingSession").objects.filter(trainer=user).update(trainer=None)
        ),
        retention="Solange die Person als Referent*in eingetragen ist.",
    ),
    # --- Recognition: the person's hours, milestones and thank-yous, settings, certificates, nominations.
    # Who decided, edited, wrote or nominated (organisation members, coordinators) is left out.
    "volunteering.HoursEntry": PersonalData(
        export=lambda user: _rows(
            apps.get_model("volunteering.HoursEntry").objects.filter(volunteer=user),
            exclude=("volunteer", "decided_by"),
        ),
        erase=lambda user: apps.get_model("volunteering.HoursEntry").objects.filter(volunteer=user).delete(),
        retention="Bis das Konto gelöscht wird (Nachweis für Ehrenamtskarte und Engagementnachweis).",
    ),
    "volunteering.Milestone": _by_user("volunteering.Milestone", field="volunteer", exclude=("volunteer",)),
    "volunteering.ThankYou": PersonalData(
        export=lambda user: _rows(
            apps.get_model("volunteering.ThankYou").objects.filter(milestone__volunteer=user),
            exclude=("edited_by",),
        ),
        erase=_erase_nothing,
        retention="Mit dem Meilenstein.",
    ),
    "volunteering.RecognitionSettings": _by_user(
        "volunteering.RecognitionSettings", exclude=("user", "public_slug")
    ),
    "volunteering.EngagementCertificate": PersonalData(
        export=lambda user: _rows(
            apps.get_model("volunteering.EngagementCertificate").objects.filter(engagement__volunteer=user),
            exclude=("written_by",),
        ),
        erase=_erase_nothing,
        retention="Mit dem Engagement; der ausgestellte Nachweis ist ein Schreiben (unten).",
    ),
    "volunteering.StoryNomination": PersonalData(
        export=lambda user: _rows(
            apps.get_model("volunteering.StoryNomination").objects.filter(volunteer=user),
            exclude=("volunteer", "nominated_by"),
        ),
        erase=lambda user: (
            apps.get_model("volunteering.StoryNomination").objects.filter(volunteer=user).delete()
        ),
        retention="Bis das Konto gelöscht wird; eine abgelehnte Anfrage bleibt, damit niemand erneut fragt.",
    ),
    "volunteering.EventInvitation": PersonalData(
        export=lambda user: [
            {
                "event": invitation.event.title,
                "starts_at": invitation.event.starts_at.isoformat(),
                "rsvp": invitation.rsvp,
            }
            for invitation in apps.get_model("volunteering.EventInvitation")
            .objects.filter(volunteer=user)
            .select_related("event")
        ],
        erase=lambda user: (
            apps.get_model("volunteering.EventInvitation").objects.filter(volunteer=user).delete()
        ),
        retention="Bis das Konto gelöscht wird.",
    ),
    "volunteering.RecognitionEvent": PersonalData(
        # Events a coordinator created; after erasure they stay without the person (SET_NULL).
        export=lambda user: [
            {"title": event.title, "created_at": event.created_at.isoformat()}
            for event in apps.get_model("volunteering.RecognitionEvent").objects.filter(created_by=user)
        ],
        erase=_erase_nothing,
        retention="Solange die Veranstaltung gespeichert ist.",
    ),
    # --- Library models linked to accounts
    "account.EmailAddress": _by_user("account.EmailAddress", exclude=("user",)),
    "mfa.Authenticator": PersonalData(
        export=lambda user: [
            {"type": a.type, "created_at": a.created_at.isoformat()} for a in user.authenticator_set.all()
        ],
        erase=_erase_nothing,
        retention="Bis die Zwei-Faktor-Anmeldung abgeschaltet oder das Konto gelöscht wird.",
    ),
    "usersessions.UserSession": PersonalData(
        export=lambda user: [
            {
                "created_at": s.created_at.isoformat(),
                "last_seen_at": s.last_seen_at.isoformat(),
                "ip": s.ip,
                "user_agent": s.user_agent,
            }
            for s in apps.get_model("usersessions.UserSession").objects.filter(user=user)
        ],
        erase=lambda user: [
            s.end() for s in apps.get_model("usersessions.UserSession").objects.filter(user=user)
        ],
        retention="Bis zur Abmeldung oder bis die Sitzung abläuft (14 Tage).",
    ),
    "wagtailusers.UserProfile": PersonalData(
        export=lambda user: None, erase=_erase_nothing, retention="Einstellungen der Verwaltungsoberfläche."
    ),
}

NO_PERSONAL_DATA: dict[str, str] = {
    "volunteering.District": "Stammdaten",
    "volunteering.Kommune": "Stammdaten",
    "volunteering.Postcode": "Stammdaten",
    "volunteering.Handlungsfeld": "Stammdaten",
    "volunteering.ActivityType": "Stammdaten",
    "volunteering.Language": "Stammdaten",
    "volunteering.ConsentText": "Versionierte Texte, die Menschen zustimmen",
    "volunteering.Organisation": "Angaben der Organisation; die prüfende Person wird beim Löschen entfernt",
    "volunteering.Need": "Angaben der Organisation; die Ansprechperson ist ihr veröffentlichter Kontakt",
    "volunteering.AnswerTemplate": "Textbausteine der Organisation",
    "volunteering.Qualification": "Stammdaten",
    "volunteering.Training": "Katalog der Schulungen",
    "volunteering.SessionAppointment": "Zeiten eines öffentlichen Schulungstermins",
    "cms.HomePage": "Redaktionelle Inhalte",
    "cms.StandardPage": "Redaktionelle Inhalte",
    "cms.TasterOfferIndexPage": "Redaktionelle Inhalte",
    "cms.TasterOfferPage": "Angaben der Organisation zu einem öffentlichen Termin",
    "cms.CampaignPage": "Redaktionelle Inhalte",
    "cms.StoryIndexPage": "Redaktionelle Inhalte",
}


def person_export(user: User) -> dict:
    """Returns everything the platform holds about `user`, and nothing about anyone else."""
    data = {}
    for label, handler in HANDLERS.items():
        value = handler.export(user)
        if value not in (None, [], {}):
            data[label] = value
    return data


@transaction.atomic
def person_erase(user: User) -> None:
    """Removes the person: their rows, their sessions, their account. Anonymous statistics stay."""
    # Handlers end the person's sessions too (usersessions tracks every session since the first login).
    for handler in HANDLERS.values():
        handler.erase(user)
    user.delete()
