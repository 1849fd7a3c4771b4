"""Applications: a volunteer applies, the organisation answers in time, accepts or declines; the thread.

The state machine: submitted → in contact → accepted / declined; the volunteer may withdraw while the
application is open. Every change is an ApplicationEvent and tells the other side through the outbox.

Deadlines are outbox rows written with the application: a reminder to the organisation's members at
created + response_deadline_days and an escalation to the town's coordinators at twice that. The first
answer of the organisation (contact, message, acceptance, decline) or a withdrawal cancels both.

Places: acceptances and submissions lock the need's row (`select_for_update`), so that concurrent
transactions see each other's acceptances and a need is never filled beyond `volunteers_wanted`.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications import clock
from notifications.services import cancel, notify, schedule
from volunteering.models import (
    OPEN_APPLICATION_STATUSES,
    AnswerTemplate,
    Application,
    ApplicationEvent,
    ApplicationMessage,
    ApplicationStatus,
    Engagement,
    MembershipRole,
    Need,
    NeedStatus,
    Organisation,
    OrganisationMembership,
    ProfileStatus,
    User,
    VolunteerProfile,
)
from volunteering.selectors.applications import accepted_count, coordinators_for_kommune, live_application
from volunteering.selectors.needs import is_public
from volunteering.services.efz import efz_delete_for_application
from volunteering.services.tasters import taster_conversion_record

DEADLINE_KINDS = ("application.reminder", "application.escalated")

# Which status a transition may start from.
ALLOWED_FROM = {
    ApplicationStatus.IN_CONTACT: {ApplicationStatus.SUBMITTED},
    ApplicationStatus.ACCEPTED: {ApplicationStatus.SUBMITTED, ApplicationStatus.IN_CONTACT},
    ApplicationStatus.DECLINED: {ApplicationStatus.SUBMITTED, ApplicationStatus.IN_CONTACT},
    ApplicationStatus.WITHDRAWN: {ApplicationStatus.SUBMITTED, ApplicationStatus.IN_CONTACT},
}


# --- Helpers -----------------------------------------------------------------------------------------
def _members(need: Need) -> list[User]:
    return [
        membership.user
        for membership in OrganisationMembership.objects.filter(
            organisation_id=need.organisation_id, user__is_active=True
        ).select_related("user")
    ]


def _is_member(user: User, need: Need) -> bool:
    return OrganisationMembership.objects.filter(organisation_id=need.organisation_id, user=user).exists()


def _lock(application: Application) -> Application:
    """Returns the application's row, locked for this transaction, with its need."""
    return Application.objects.select_for_update().select_related("need__organisation").get(pk=application.pk)


def _record(application: Application, *, status: str, actor: User | None) -> ApplicationEvent:
    event = ApplicationEvent(application=application, status=status, actor=actor)
    event.full_clean()
    event.save()
    return event


def _move(application: Application, *, to: str, actor: User) -> ApplicationEvent:
    if application.status not in ALLOWED_FROM[to]:
        raise ValidationError(
            _("Diese Bewerbung ist %(status)s; das geht jetzt nicht mehr.")
            % {"status": application.get_status_display()}
        )
    application.status = to
    now = timezone.now()
    if to in (ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN):
        application.decided_at = now
    if to != ApplicationStatus.WITHDRAWN and application.answered_at is None:
        application.answered_at = now
    application.full_clean()
    application.save()
    return _record(application, status=to, actor=actor)


def _stop_deadline(application: Application) -> None:
    """Cancels the pending reminder and escalation of the application (answered or withdrawn)."""
    for kind in DEADLINE_KINDS:
        cancel(kind=kind, refs={"application": application.pk})


def _tell_volunteer(application: Application, event: ApplicationEvent) -> None:
    notify(
        kind="application.status",
        recipient=application.volunteer,
        refs={"application": application.pk, "event": event.pk},
    )


def _post(application: Application, *, author: User, body: str) -> ApplicationMessage:
    message = ApplicationMessage(application=application, author=author, body=body.strip())
    message.full_clean()
    message.save()
    return message


# --- Submitting --------------------------------------------------------------------------------------
def application_submit(
    *, need: Need, volunteer: User, message: str = "", campaign_code: str = ""
) -> Application:
    """Returns the new application after checking the need takes it; acknowledges it and sets the deadline.

    Raises ValidationError when the need is not public (published, not expired, of a verified
    organisation), full, the person is too young or has applied already.
    """
    with transaction.atomic():
        need = Need.objects.select_for_update().select_related("organisation").get(pk=need.pk)
        if not is_public(need):
            raise ValidationError(
                _("Für diese Einsatzmöglichkeit nimmt die Organisation keine Bewerbungen an.")
            )
        if accepted_count(need) >= need.volunteers_wanted:
            raise ValidationError(_("Alle Plätze dieser Einsatzmöglichkeit sind schon vergeben."))
        age = volunteer.age_in()
        if age is None:
            raise ValidationError(
                _("Bitte tragen Sie zuerst Ihr Geburtsjahr ein; manche Einsätze haben ein Mindestalter.")
            )
        if age < need.min_age:
            raise ValidationError(
                _("Für diese Einsatzmöglichkeit müssen Sie mindestens %(age)s Jahre alt sein.")
                % {"age": need.min_age}
            )
        if live_application(need=need, volunteer=volunteer) is not None:
            raise ValidationError(_("Sie haben sich für diese Einsatzmöglichkeit schon beworben."))

        application = Application(
            need=need, volunteer=volunteer, message=message.strip(), campaign_code=campaign_code[:40]
        )
        application.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:
            # A second request of the same person won the race (one_live_application_per_need).
            raise ValidationError(_("Sie haben sich für diese Einsatzmöglichkeit schon beworben.")) from None
        _record(application, status=ApplicationStatus.SUBMITTED, actor=volunteer)
        taster_conversion_record(application=application)  # the taster→regular KPI

        notify(kind="application.acknowledged", recipient=volunteer, refs={"application": application.pk})
        deadline = timedelta(days=need.organisation.response_deadline_days)
        now = clock.now()
        for member in _members(need):
            notify(kind="application.received", recipient=member, refs={"application": application.pk})
            schedule(
                kind="application.reminder",
                recipient=member,
                due=now + deadline,
                refs={"application": application.pk},
                key=f"application.reminder:{application.pk}:{member.pk}",
            )
        for coordinator in coordinators_for_kommune(need.kommune):
            schedule(
                kind="application.escalated",
                recipient=coordinator,
                due=now + 2 * deadline,
                refs={"application": application.pk},
                key=f"application.escalated:{application.pk}:{coordinator.pk}",
            )
    return application


# --- The organisation answers ------------------------------------------------------------------------
def application_contact(*, application: Application, actor: User, message: str) -> Application:
    """Returns the application, now in contact, with the organisation's message in its thread."""
    if not message.strip():
        raise ValidationError(_("Bitte schreiben Sie der Person ein paar Worte."))
    with transaction.atomic():
        application = _lock(application)
        _check_member(actor, application)
        event = _move(application, to=ApplicationStatus.IN_CONTACT, actor=actor)
        _post(application, author=actor, body=message)
        _stop_deadline(application)
        _tell_volunteer(application, event)
    return application


application_answer = application_contact


def application_accept(
    *,
    application: Application,
    actor: User,
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> Engagement:
    """Returns the engagement created by accepting the application (the assignment record for insurance).

    The need's row is locked first, so that two acceptances (or an acceptance and new applications) in
    parallel never take more places than the need has; the last place marks the need as filled.
    """
    with transaction.atomic():
        need = Need.objects.select_for_update().get(pk=application.need_id)
        application = _lock(application)
        _check_member(actor, application)
        if accepted_count(need) >= need.volunteers_wanted:
            raise ValidationError(_("Alle Plätze dieser Einsatzmöglichkeit sind schon vergeben."))
        event = _move(application, to=ApplicationStatus.ACCEPTED, actor=actor)
        starts_on = starts_on or timezone.localdate()
        if ends_on is not None and ends_on < starts_on:
            raise ValidationError(_("Das Ende kann nicht vor dem Beginn liegen."))
        engagement = Engagement(
            application=application,
            volunteer_id=application.volunteer_id,
            organisation_id=need.organisation_id,
            need=need,
            tasks=need.tasks,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        engagement.full_clean()
        engagement.save()
        profile, _created = VolunteerProfile.objects.get_or_create(user_id=application.volunteer_id)
        if profile.status != ProfileStatus.ACTIVE:
            VolunteerProfile.objects.filter(pk=profile.pk).update(status=ProfileStatus.ACTIVE)
        if accepted_count(need) >= need.volunteers_wanted:
            need.status = NeedStatus.FILLED
            need.save(update_fields=["status", "updated_at"])
        _stop_deadline(application)
        _tell_volunteer(application, event)
    return engagement


def application_decline(*, application: Application, actor: User, message: str = "") -> Application:
    """Returns the declined application; an optional answer (e.g. from a template) goes into the thread."""
    with transaction.atomic():
        application = _lock(application)
        _check_member(actor, application)
        event = _move(application, to=ApplicationStatus.DECLINED, actor=actor)
        efz_delete_for_application(application=application)  # the person does not start (§72a)
        if message.strip():
            _post(application, author=actor, body=message)
        _stop_deadline(application)
        _tell_volunteer(application, event)
    return application


def _check_member(actor: User, application: Application) -> None:
    if not _is_member(actor, application.need):
        raise ValidationError(_("Nur die Organisation kann diese Bewerbung beantworten."))


# --- The volunteer -----------------------------------------------------------------------------------
def application_withdraw(*, application: Application, actor: User) -> Application:
    """Returns the withdrawn application; only its volunteer may withdraw it, while it is open."""
    with transaction.atomic():
        application = _lock(application)
        if application.volunteer_id != actor.pk:
            raise ValidationError(
                _("Nur die Person, die sich beworben hat, kann die Bewerbung zurückziehen.")
            )
        _move(application, to=ApplicationStatus.WITHDRAWN, actor=actor)
        efz_delete_for_application(application=application)  # the person does not start (§72a)
        _stop_deadline(application)
        for member in _members(application.need):
            notify(kind="application.withdrawn", recipient=member, refs={"application": application.pk})
    return application


# --- The thread --------------------------------------------------------------------------------------
def message_post(*, application: Application, author: User, body: str) -> ApplicationMessage:
    """Returns the new message in the application's thread and tells the other side.

    A message of the organisation counts as its answer: the deadline reminder and escalation stop.
    """
    with transaction.atomic():
        application = _lock(application)
        from_volunteer = application.volunteer_id == author.pk
        if not from_volunteer:
            _check_member(author, application)
        if application.status == ApplicationStatus.WITHDRAWN:
            raise ValidationError(
                _("Diese Bewerbung ist zurückgezogen; Nachrichten sind nicht mehr möglich.")
            )
        message = _post(application, author=author, body=body)
        refs = {"application": application.pk, "message": message.pk}
        if from_volunteer:
            for member in _members(application.need):
                notify(kind="application.message_to_organisation", recipient=member, refs=refs)
        else:
            if application.answered_at is None:
                application.answered_at = timezone.now()
                application.save(update_fields=["answered_at"])
            if application.status in OPEN_APPLICATION_STATUSES:
                _stop_deadline(application)
            notify(kind="application.message_to_volunteer", recipient=application.volunteer, refs=refs)
    return message


# --- Answer templates --------------------------------------------------------------------------------
def _check_admin(actor: User, organisation_id: int) -> None:
    if not OrganisationMembership.objects.filter(
        organisation_id=organisation_id, user=actor, role=MembershipRole.ADMIN
    ).exists():
        raise ValidationError(_("Nur die Verwaltung der Organisation kann Textbausteine ändern."))


def answer_template_create(
    *, organisation: Organisation, actor: User, title: str, body: str
) -> AnswerTemplate:
    """Returns a new answer template of the organisation."""
    with transaction.atomic():
        _check_admin(actor, organisation.pk)
        template = AnswerTemplate(organisation=organisation, title=title.strip(), body=body.strip())
        template.full_clean()
        template.save()
    return template


def answer_template_update(*, template: AnswerTemplate, actor: User, title: str, body: str) -> AnswerTemplate:
    """Returns the changed answer template."""
    with transaction.atomic():
        _check_admin(actor, template.organisation_id)
        template.title, template.body = title.strip(), body.strip()
        template.full_clean()
        template.save()
    return template


def answer_template_delete(*, template: AnswerTemplate, actor: User) -> None:
    with transaction.atomic():
        _check_admin(actor, template.organisation_id)
        template.delete()
