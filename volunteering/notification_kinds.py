"""The message kinds of the volunteering domain (imported from VolunteeringConfig.ready()).

Rows carry ids only; the context callables load the current data at send time. Links point to the side
the recipient is on: the volunteer's own area, or the organisation's inbox.
"""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.urls import reverse

from notifications.registry import EMAIL, ESSENTIAL, Gone, MessageKind, register


def _application(refs: Mapping[str, int]):
    from volunteering.models import Application

    application = (
        Application.objects.filter(pk=refs["application"]).select_related("need__organisation").first()
    )
    if application is None:
        raise Gone
    return application


def _for_volunteer(refs: Mapping[str, int]) -> dict[str, Any]:
    from volunteering.models import ApplicationEvent

    application = _application(refs)
    event = ApplicationEvent.objects.filter(pk=refs.get("event"), application=application).first()
    return {
        "application": application,
        "status": event.get_status_display() if event else application.get_status_display(),
        "need": application.need,
        "organisation": application.need.organisation,
        "deadline_days": application.need.organisation.response_deadline_days,
        "url": settings.SITE_URL + reverse("application:mine_detail", args=[application.pk]),
    }


def _for_organisation(refs: Mapping[str, int]) -> dict[str, Any]:
    application = _application(refs)
    organisation = application.need.organisation
    return {
        "application": application,
        "need": application.need,
        "organisation": organisation,
        "deadline_days": organisation.response_deadline_days,
        "url": settings.SITE_URL + reverse("application:detail", args=[organisation.pk, application.pk]),
    }


def _for_coordinator(refs: Mapping[str, int]) -> dict[str, Any]:
    application = _application(refs)
    organisation = application.need.organisation
    return {
        "application": application,
        "need": application.need,
        "organisation": organisation,
        "deadline_days": organisation.response_deadline_days,
        "url": settings.SITE_URL + reverse("coordination_escalated_applications"),
    }


KINDS = [
    MessageKind(
        name="application.acknowledged",
        category=ESSENTIAL,
        context=_for_volunteer,
        description="Eingangsbestätigung an die freiwillige Person.",
    ),
    MessageKind(
        name="application.received",
        category=ESSENTIAL,
        context=_for_organisation,
        description="Eine Organisation erhält eine neue Bewerbung.",
    ),
    MessageKind(
        name="application.reminder",
        category=ESSENTIAL,
        context=_for_organisation,
        description="Erinnerung an die Organisation, wenn die Antwortfrist abgelaufen ist.",
    ),
    MessageKind(
        name="application.escalated",
        category=ESSENTIAL,
        context=_for_coordinator,
        description="Hinweis an die Koordination der Kommune nach der doppelten Antwortfrist.",
    ),
    MessageKind(
        name="application.status",
        category=ESSENTIAL,
        context=_for_volunteer,
        description="Die Organisation hat den Stand einer Bewerbung geändert.",
    ),
    MessageKind(
        name="application.withdrawn",
        category=ESSENTIAL,
        context=_for_organisation,
        description="Eine freiwillige Person hat ihre Bewerbung zurückgezogen.",
    ),
    MessageKind(
        name="application.message_to_volunteer",
        category=ESSENTIAL,
        context=_for_volunteer,
        description="Neue Nachricht der Organisation zu einer Bewerbung.",
    ),
    MessageKind(
        name="application.message_to_organisation",
        category=ESSENTIAL,
        context=_for_organisation,
        description="Neue Nachricht der freiwilligen Person zu einer Bewerbung.",
    ),
]

for _kind in KINDS:
    register(_kind)


# --- Needs: review before a listing expires, and the notice that it has ---------------------------------
def _need_for_admins(refs: Mapping[str, int], *, status: str) -> dict[str, Any]:
    from volunteering.models import Need

    need = Need.objects.filter(pk=refs["need"], status=status).select_related("organisation").first()
    if need is None:
        raise Gone  # edited into another state meanwhile: nothing to remind of
    return {
        "need": need,
        "organisation": need.organisation,
        "expires_on": need.expires_on,
        "url": settings.SITE_URL + reverse("needs:editor_edit", args=[need.organisation_id, need.pk]),
    }


def _need_review_due(refs: Mapping[str, int]) -> dict[str, Any]:
    return _need_for_admins(refs, status="published")


def _need_expired(refs: Mapping[str, int]) -> dict[str, Any]:
    return _need_for_admins(refs, status="expired")


for _kind in (
    MessageKind(
        name="need.review_due",
        category=ESSENTIAL,
        context=_need_review_due,
        description="Erinnerung an die Verwaltung einer Organisation, einen Einsatz vor Ablauf zu prüfen.",
    ),
    MessageKind(
        name="need.expired",
        category=ESSENTIAL,
        context=_need_expired,
        description="Hinweis an die Verwaltung einer Organisation, dass ein Einsatz abgelaufen ist.",
    ),
):
    register(_kind)


# --- Trainings: bookings, the waitlist, reminders, completion, qualifications and their expiry -------------
def _training_registration(refs: Mapping[str, int], *, statuses: tuple[str, ...]) -> dict[str, Any]:
    from django.utils import timezone

    from volunteering.models import Registration

    registration = (
        Registration.objects.filter(pk=refs["training_registration"], status__in=statuses)
        .select_related("session__training", "session__kommune", "session__training__grants")
        .first()
    )
    if registration is None:
        raise Gone  # cancelled meanwhile: nothing to tell
    session = registration.session
    first = session.appointments.order_by("starts_at").first()
    return {
        "registration": registration,
        "session": session,
        "training": session.training,
        "appointments": [
            {"starts_at": timezone.localtime(a.starts_at), "ends_at": timezone.localtime(a.ends_at)}
            for a in session.appointments.order_by("starts_at")
        ],
        "starts_at": timezone.localtime(first.starts_at) if first else None,
        "place": session.place or session.online_url,
        "kommune": session.kommune.name,
        "url": settings.SITE_URL + reverse("trainings:session", args=[session.pk]),
        "bookings_url": settings.SITE_URL + reverse("trainings:mine"),
    }


def _training_seat(refs: Mapping[str, int]) -> dict[str, Any]:
    return _training_registration(refs, statuses=("booked",))


def _training_waiting(refs: Mapping[str, int]) -> dict[str, Any]:
    return _training_registration(refs, statuses=("waitlisted",))


def _training_completed(refs: Mapping[str, int]) -> dict[str, Any]:
    return _training_registration(refs, statuses=("completed",))


def _held_qualification(refs: Mapping[str, int]) -> dict[str, Any]:
    from volunteering.models import VolunteerQualification
    from volunteering.selectors.trainings import next_sessions_for_qualification

    held = (
        VolunteerQualification.objects.filter(pk=refs["volunteer_qualification"])
        .select_related("qualification")
        .first()
    )
    if held is None:
        raise Gone
    return {
        "held": held,
        "qualification": held.qualification,
        "expires_on": held.expires_on,
        "next_sessions": [
            {"title": s.training.title, "url": settings.SITE_URL + s.get_absolute_url()}
            for s in next_sessions_for_qualification(held.qualification)
        ],
        "url": settings.SITE_URL + reverse("trainings:mine"),
    }


for _kind in (
    MessageKind(
        name="training.booked",
        category=ESSENTIAL,
        context=_training_seat,
        description="Bestätigung einer Schulungsbuchung.",
    ),
    MessageKind(
        name="training.waitlisted",
        category=ESSENTIAL,
        context=_training_waiting,
        description="Die Schulung ist voll: die Person steht auf der Warteliste.",
    ),
    MessageKind(
        name="training.promoted",
        category=ESSENTIAL,
        context=_training_seat,
        description="Ein Schulungsplatz ist frei geworden: die Person ist von der Warteliste nachgerückt.",
    ),
    MessageKind(
        name="training.reminder",
        category="reminders",
        context=_training_seat,
        description="Erinnerung zwei Tage vor dem ersten Schulungstermin.",
    ),
    MessageKind(
        name="training.completed",
        category=ESSENTIAL,
        context=_training_completed,
        description="Die Person hat alle Pflichttermine einer Schulung besucht.",
    ),
    MessageKind(
        name="training.qualification_granted",
        category=ESSENTIAL,
        context=_held_qualification,
        description="Eine Qualifikation wurde eingetragen.",
    ),
    MessageKind(
        name="training.qualification_expiring",
        category=ESSENTIAL,
        context=_held_qualification,
        description="Hinweis 30 Tage bevor eine Qualifikation abläuft, mit den nächsten Terminen.",
    ),
):
    register(_kind)


# --- eFZ (§72a SGB VIII): the volunteer is reminded before the certificate's validity ends --------------
def _efz_renewal(refs: Mapping[str, int]) -> dict[str, Any]:
    from volunteering.models import EfzRecord

    record = EfzRecord.objects.filter(pk=refs["efz_record"]).first()
    if record is None:
        raise Gone  # deleted meanwhile (engagement ended, not started): nothing to renew
    return {"valid_until": record.valid_until, "url": settings.SITE_URL + reverse("efz:mine")}


register(
    MessageKind(
        name="efz.renewal_due",
        category=ESSENTIAL,
        context=_efz_renewal,
        description=(
            "Erinnerung an die freiwillige Person, ein neues erweitertes Führungszeugnis zu beantragen."
        ),
    )
)


# --- Recognition: hours waiting for confirmation, rejected hours, thank-yous, story nominations ----------
def _hours_waiting(refs: Mapping[str, int]) -> dict[str, Any]:
    from volunteering.models import HoursEntry, HoursStatus, Organisation

    # Only while the entry that started the reminder still waits: deciding it earlier makes this Gone.
    entry = HoursEntry.objects.filter(pk=refs["hours_entry"], status=HoursStatus.SUBMITTED).first()
    organisation = Organisation.objects.filter(pk=refs["organisation"]).first()
    if entry is None or organisation is None:
        raise Gone
    waiting = HoursEntry.objects.filter(organisation=organisation, status=HoursStatus.SUBMITTED).count()
    return {
        "organisation": organisation,
        "waiting": waiting,
        "url": settings.SITE_URL + reverse("recognition:org_hours", args=[organisation.pk]),
    }


def _hours_rejected(refs: Mapping[str, int]) -> dict[str, Any]:
    from volunteering.models import HoursEntry, HoursStatus

    entry = (
        HoursEntry.objects.filter(pk=refs["hours_entry"], status=HoursStatus.REJECTED)
        .select_related("organisation")
        .first()
    )
    if entry is None:
        raise Gone
    return {
        "entry": entry,
        "organisation": entry.organisation,
        "url": settings.SITE_URL + reverse("recognition:overview"),
    }


def _thanks(refs: Mapping[str, int]) -> dict[str, Any]:
    from volunteering.models import ThankYou

    thank_you = ThankYou.objects.filter(pk=refs["thank_you"]).select_related("milestone").first()
    if thank_you is None:
        raise Gone
    return {
        "thank_you": thank_you,
        "milestone": thank_you.milestone,
        "custom_text": thank_you.text,
        "signature": thank_you.signature,
        "url": settings.SITE_URL + reverse("recognition:overview"),
    }


def _nomination(refs: Mapping[str, int]) -> dict[str, Any]:
    from volunteering.models import NominationStatus, StoryNomination

    nomination = (
        StoryNomination.objects.filter(pk=refs["story_nomination"], status=NominationStatus.ASKED)
        .select_related("organisation")
        .first()
    )
    if nomination is None:
        raise Gone
    return {
        "nomination": nomination,
        "organisation": nomination.organisation,
        "url": settings.SITE_URL + reverse("recognition:overview") + "#geschichten",
    }


def _event_invitation(refs: Mapping[str, int], *, skip_declined: bool = False) -> dict[str, Any]:
    from volunteering.models import EventInvitation, RsvpStatus

    invitation = EventInvitation.objects.filter(pk=refs["event_invitation"]).select_related("event").first()
    if invitation is None or (skip_declined and invitation.rsvp == RsvpStatus.NO):
        raise Gone
    return {
        "invitation": invitation,
        "event": invitation.event,
        "url": settings.SITE_URL + reverse("recognition:overview") + "#einladungen",
    }


def _event_reminder(refs: Mapping[str, int]) -> dict[str, Any]:
    return _event_invitation(refs, skip_declined=True)


for _kind in (
    MessageKind(
        name="recognition.hours_waiting",
        category=ESSENTIAL,
        context=_hours_waiting,
        description="Erinnerung an eine Organisation, eingetragene Stunden nach 14 Tagen zu bestätigen.",
    ),
    MessageKind(
        name="recognition.hours_rejected",
        category=ESSENTIAL,
        context=_hours_rejected,
        description="Eine Organisation hat eingetragene Stunden nicht bestätigt (mit Grund).",
    ),
    MessageKind(
        name="recognition.thanks",
        category="recognition",
        context=_thanks,
        description="Persönlicher Dank zu einem Meilenstein, von Organisation oder Koordination.",
    ),
    MessageKind(
        name="recognition.nomination",
        category=ESSENTIAL,
        context=_nomination,
        description="Frage an eine freiwillige Person, ob über sie eine Geschichte erscheinen darf.",
    ),
    MessageKind(
        name="recognition.event_invitation",
        category="recognition",
        context=_event_invitation,
        description="Einladung zu einer Anerkennungsveranstaltung (zum Beispiel dem Ehrenamtsempfang).",
    ),
    MessageKind(
        name="recognition.event_reminder",
        category="reminders",
        context=_event_reminder,
        description="Erinnerung zwei Tage vor einer Anerkennungsveranstaltung (nicht nach einer Absage).",
    ),
):
    register(_kind)


# --- Tandems: requests, proposals, the lifecycle and check-ins (volunteering/services/tandems.py) ---------
# Newcomers usually have no account: their messages go to the request's address in its contact language.
def _tandem_request_ctx(refs: Mapping[str, int]) -> dict[str, Any]:
    from volunteering.models import TandemRequest

    request = TandemRequest.objects.filter(pk=refs["tandem_request"]).select_related("kommune", "tandem_type")
    request = request.first()
    if request is None:
        raise Gone  # withdrawn and deleted meanwhile
    return {
        "tandem_request": request,
        "alias": request.alias,
        "tandem_type": request.tandem_type.localized_name,
        "kommune": request.kommune.name,
        "url": settings.SITE_URL + reverse("coordination_tandem_request", args=[request.pk]),
    }


def _tandem_request_for_newcomer(refs: Mapping[str, int]) -> dict[str, Any]:
    from django.utils import translation

    from volunteering.services.tandems import tandem_request_withdraw_token

    context = _tandem_request_ctx(refs)
    request = context.pop("tandem_request")
    with translation.override(request.contact_language):
        path = reverse("tandems:request_withdraw", args=[tandem_request_withdraw_token(request)])
    context.pop("url")  # the coordinators' page is not for the newcomer
    context["withdraw_url"] = settings.SITE_URL + path
    return context


def _tandem_ctx(refs: Mapping[str, int]) -> dict[str, Any]:
    from volunteering.models import Tandem

    tandem = (
        Tandem.objects.filter(pk=refs["tandem"])
        .select_related("request__kommune", "request__tandem_type", "volunteer")
        .first()
    )
    if tandem is None:
        raise Gone
    return {
        "tandem": tandem,
        "alias": tandem.request.alias,
        "tandem_type": tandem.request.tandem_type.localized_name,
        "kommune": tandem.request.kommune.name,
        "volunteer_first_name": tandem.volunteer.first_name,
    }


def _tandem_for_volunteer(refs: Mapping[str, int]) -> dict[str, Any]:
    context = _tandem_ctx(refs)
    context["url"] = settings.SITE_URL + reverse("tandems:mine_detail", args=[context["tandem"].pk])
    return context


def _tandem_for_coordinator(refs: Mapping[str, int]) -> dict[str, Any]:
    context = _tandem_ctx(refs)
    context["url"] = settings.SITE_URL + reverse("coordination_tandem", args=[context["tandem"].pk])
    return context


def _tandem_for_newcomer(refs: Mapping[str, int]) -> dict[str, Any]:
    context = _tandem_ctx(refs)
    context.pop("tandem")  # the newcomer learns the partner's first name, nothing else
    return context


def _tandem_check_in(refs: Mapping[str, int]) -> dict[str, Any]:
    from volunteering.models import TandemCheckIn

    check_in = (
        TandemCheckIn.objects.filter(pk=refs["check_in"], tandem_id=refs["tandem"], answered_at__isnull=True)
        .select_related("tandem__request")
        .first()
    )
    if check_in is None or check_in.tandem.status != "active":
        raise Gone  # answered, or the tandem ended meanwhile
    return {
        "check_in": check_in,
        "alias": check_in.tandem.request.alias,
        "url": settings.SITE_URL + reverse("tandems:check_in", args=[check_in.tandem_id, check_in.number]),
    }


for _kind in (
    MessageKind(
        name="tandem.request_received",
        context=_tandem_request_for_newcomer,
        description="Bestätigung einer Tandem-Anfrage an die neue Person (in ihrer Sprache).",
    ),
    MessageKind(
        name="tandem.request_new",
        context=_tandem_request_ctx,
        description="Hinweis an die Koordination der Kommune: eine neue Tandem-Anfrage.",
    ),
    MessageKind(
        name="tandem.proposed",
        context=_tandem_for_volunteer,
        description="Eine freiwillige Person bekommt einen Tandem-Vorschlag.",
    ),
    MessageKind(
        name="tandem.accepted",
        context=_tandem_for_coordinator,
        description="Die freiwillige Person hat den Tandem-Vorschlag angenommen.",
    ),
    MessageKind(
        name="tandem.declined",
        context=_tandem_for_coordinator,
        description="Die freiwillige Person hat den Tandem-Vorschlag abgelehnt.",
    ),
    MessageKind(
        name="tandem.cancelled",
        context=_tandem_for_volunteer,
        description="Die Koordination hat einen Tandem-Vorschlag zurückgenommen.",
    ),
    MessageKind(
        name="tandem.partner_found",
        context=_tandem_for_newcomer,
        description="Nachricht an die neue Person: eine Patin oder ein Pate ist gefunden.",
    ),
    MessageKind(
        name="tandem.meeting_planned",
        context=_tandem_for_volunteer,
        description="Das erste Treffen eines Tandems ist vereinbart.",
    ),
    MessageKind(
        name="tandem.activated",
        context=_tandem_for_volunteer,
        description="Ein Tandem läuft; die Rückmeldungen beginnen.",
    ),
    MessageKind(
        name="tandem.end_changed",
        context=_tandem_for_volunteer,
        description="Das vereinbarte Ende eines laufenden Tandems hat sich geändert.",
    ),
    MessageKind(
        name="tandem.check_in_due",
        category="reminders",
        context=_tandem_check_in,
        description="Erinnerung an die kurze Rückmeldung zu einem Tandem.",
    ),
    MessageKind(
        name="tandem.check_in_again",
        category="reminders",
        context=_tandem_check_in,
        description="Zweite Erinnerung an eine Rückmeldung zu einem Tandem, eine Woche später.",
    ),
    MessageKind(
        name="tandem.red_flag",
        context=_tandem_for_coordinator,
        description="Warnsignal in der Rückmeldung zu einem Tandem.",
    ),
    MessageKind(
        name="tandem.support_wanted",
        context=_tandem_for_coordinator,
        description="Eine freiwillige Person bittet in ihrer Rückmeldung um einen Anruf.",
    ),
    MessageKind(
        name="tandem.ended",
        context=_tandem_for_volunteer,
        description="Ein Tandem ist beendet; Bitte um eine kurze Rückmeldung.",
    ),
):
    register(_kind)


# --- Organisations: the result of the review, invitations by email -------------------------------------
def _reviewed(refs: Mapping[str, int], *, status: str) -> dict[str, Any]:
    from volunteering.models import Organisation

    organisation = Organisation.objects.filter(pk=refs["organisation"], status=status).first()
    if organisation is None:
        raise Gone  # reviewed again meanwhile: the newer result has its own message
    link = settings.SITE_URL + reverse("organisation:detail", kwargs={"pk": organisation.pk})
    public_link = settings.SITE_URL + reverse("organisation_public", kwargs={"slug": organisation.slug})
    return {
        "organisation": organisation,
        "link": link,
        "public_link": public_link,
        "url": public_link if status == "verified" else link,
    }


def _organisation_verified(refs: Mapping[str, int]) -> dict[str, Any]:
    return _reviewed(refs, status="verified")


def _organisation_rejected(refs: Mapping[str, int]) -> dict[str, Any]:
    return _reviewed(refs, status="rejected")


def _invitation(refs: Mapping[str, int]) -> dict[str, Any]:
    from volunteering.models import MembershipRole, OrganisationInvitation
    from volunteering.selectors.organisations import INVITATION_VALIDITY
    from volunteering.services.organisations import invitation_token

    invitation = (
        OrganisationInvitation.objects.filter(pk=refs["organisation_invitation"], accepted_at__isnull=True)
        .select_related("organisation", "invited_by")
        .first()
    )
    if invitation is None:
        raise Gone  # replaced by a newer invitation, or accepted already
    inviter = invitation.invited_by
    link = settings.SITE_URL + reverse(
        "organisation:invitation_accept", kwargs={"token": invitation_token(invitation)}
    )
    return {
        "organisation_name": invitation.organisation.name,
        "inviter": (inviter.get_full_name() or inviter.email) if inviter else invitation.organisation.name,
        "role": MembershipRole(invitation.role).label,
        "days": INVITATION_VALIDITY.days,
        "link": link,
        "url": link,
    }


for _kind in (
    MessageKind(
        name="organisation.verified",
        category=ESSENTIAL,
        context=_organisation_verified,
        description="Die Koordination hat eine Organisation geprüft; ihre Seite ist öffentlich.",
    ),
    MessageKind(
        name="organisation.rejected",
        category=ESSENTIAL,
        context=_organisation_rejected,
        description="Die Koordination hat eine Organisation nicht freigegeben (mit Begründung).",
    ),
    MessageKind(
        name="organisation.invitation",
        category=ESSENTIAL,
        channels=(EMAIL,),
        context=_invitation,
        description="Einladung an eine E-Mail-Adresse, bei einer Organisation mitzuarbeiten.",
    ),
):
    register(_kind)
