"""Writes about needs: the editor of an organisation (create, change, publish, pause, close, filled,
duplicate, review), the expiry of stale listings, and volunteers' bookmarks.

Every service checks that the acting person belongs to the need's organisation (PermissionDenied
otherwise), even though views load needs through their area's access helper. Breaking a rule (publishing
for an organisation that is not verified yet, an end before the start) raises ValidationError with a
sentence the view shows as it is.

Listings expire: publishing sets `expires_on` (settings.NEED_EXPIRY_DAYS, default 90 days; for a one-off
need at the latest its day), schedules a review reminder to the organisation's admins
(settings.NEED_REVIEW_NOTICE_DAYS before), and the daily task `expire_needs` marks what is past as expired.
The public search never shows a need past its expiry, whether or not the task has run yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications import clock
from notifications.services.outbox import cancel, notify, schedule
from volunteering.models import (
    ActivityType,
    Handlungsfeld,
    Kommune,
    Language,
    MembershipRole,
    Need,
    NeedStatus,
    Organisation,
    OrganisationMembership,
    SavedNeed,
    ScheduleKind,
    User,
)
from volunteering.models.people import SLOTS, WEEKDAYS
from volunteering.search import search_text

REVIEW_KIND = "need.review_due"
EXPIRED_KIND = "need.expired"
REVIEW_TIME = time(9, 0)  # local time of the review reminder
WEEKDAY_CODES = [code for code, _label in WEEKDAYS]
PUBLISHABLE_FROM = (NeedStatus.DRAFT, NeedStatus.PAUSED, NeedStatus.FILLED, NeedStatus.EXPIRED)


@dataclass(frozen=True)
class NeedDetails:
    """Everything an organisation says about a need; the form builds it, the services apply it.

    Status, dates of publication and expiry, coordinates and the organisation are not part of it, so no
    form can set them.
    """

    title: str
    description: str
    tasks: str
    limits: str
    handlungsfeld: Handlungsfeld
    activity_type: ActivityType
    kommune: Kommune
    place: str = ""
    schedule_kind: str = ScheduleKind.RECURRING
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    slots: tuple[str, ...] = ()
    schedule_note: str = ""
    hours_per_week: int | None = None
    time_commitment: str = ""
    languages: tuple[Language, ...] = field(default=())
    no_german_needed: bool = False
    min_age: int = 16
    efz_required: bool = False
    training_required: bool = False
    required_qualifications: tuple = field(default=())  # of Qualification
    taster_possible: bool = False
    volunteers_wanted: int = 1
    contact_name: str = ""


# --- Helpers ---------------------------------------------------------------------------------------------
def _require_member(actor: User, organisation: Organisation) -> None:
    if not (
        actor.is_authenticated
        and actor.is_active
        and OrganisationMembership.objects.filter(user=actor, organisation=organisation).exists()
    ):
        raise PermissionDenied


def _locked(need: Need) -> Need:
    return Need.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=need.pk)


def _apply(need: Need, details: NeedDetails) -> list[Language]:
    """Copies `details` onto `need`, checks the rules between fields, and validates the row."""
    need.title = details.title.strip()
    need.description = details.description.strip()
    need.tasks = details.tasks.strip()
    need.limits = details.limits.strip()
    need.handlungsfeld = details.handlungsfeld
    need.activity_type = details.activity_type
    need.kommune = details.kommune
    need.place = details.place.strip()
    need.schedule_kind = details.schedule_kind
    need.schedule_note = details.schedule_note.strip()
    need.hours_per_week = details.hours_per_week
    need.time_commitment = details.time_commitment.strip()
    need.no_german_needed = details.no_german_needed
    need.min_age = details.min_age
    need.efz_required = details.efz_required
    need.training_required = details.training_required
    need.taster_possible = details.taster_possible
    need.volunteers_wanted = details.volunteers_wanted
    need.contact_name = details.contact_name.strip()
    # The need is placed at its town's centre: the public sees no address-level location.
    need.latitude, need.longitude = details.kommune.latitude, details.kommune.longitude

    errors: dict[str, str] = {}
    if not need.organisation.kommunen.filter(pk=details.kommune.pk).exists():
        errors["kommune"] = _("Bitte wählen Sie eine Kommune, in der Ihre Organisation tätig ist.")
    if details.schedule_kind == ScheduleKind.ONE_OFF:
        need.starts_at, need.ends_at = details.starts_at, details.ends_at
        # The day and time of day of the date, so that the "time of week" filter finds it too.
        need.slots = [slot_of(details.starts_at)] if details.starts_at else []
        if details.starts_at is None:
            errors["starts_at"] = _("Bitte geben Sie an, wann der einmalige Einsatz beginnt.")
        elif details.ends_at is not None and details.ends_at < details.starts_at:
            errors["ends_at"] = _("Das Ende liegt vor dem Beginn.")
    else:
        need.starts_at = need.ends_at = None
        unknown = set(details.slots) - set(SLOTS)
        if unknown:
            errors["slots"] = _("Bitte wählen Sie nur die angebotenen Zeiten.")
        need.slots = [slot for slot in SLOTS if slot in details.slots]
    if errors:
        raise ValidationError(errors)
    need.search_text = need_search_text(need)
    need.full_clean()
    return list(details.languages)


def need_search_text(need: Need) -> str:
    """Returns what the search indexes for `need`: its texts and the names of its field, activity, town and
    organisation."""
    return search_text(
        need.title,
        need.activity_type.name,
        need.handlungsfeld.name,
        need.kommune.name,
        need.place,
        need.organisation.name,
        need.description,
        need.tasks,
    )


def needs_refresh_search_text(needs: QuerySet[Need]) -> int:
    """Stores the search text anew for `needs` (a name they show changed); returns how many changed."""
    changed = []
    for need in needs.select_related("activity_type", "handlungsfeld", "kommune", "organisation"):
        text = need_search_text(need)
        if text != need.search_text:
            need.search_text = text
            changed.append(need)
    Need.objects.bulk_update(changed, ["search_text"], batch_size=500)
    return len(changed)


def slot_of(moment: datetime) -> str:
    """Returns the slot ("tue-evening") of a moment in local time: before 12, before 17, later."""
    local = timezone.localtime(moment)
    part = "morning" if local.hour < 12 else "afternoon" if local.hour < 17 else "evening"
    return f"{WEEKDAY_CODES[local.weekday()]}-{part}"


def _expiry_for(need: Need, today: date) -> date:
    """Returns the day after which the listing disappears: NEED_EXPIRY_DAYS, for a one-off need its day."""
    expires = today + timedelta(days=settings.NEED_EXPIRY_DAYS)
    if need.schedule_kind == ScheduleKind.ONE_OFF and need.starts_at:
        last_day = timezone.localdate(need.ends_at or need.starts_at)
        expires = min(expires, last_day)
    return expires


def _admins(organisation: Organisation) -> list[User]:
    """Returns the people who look after the organisation's listings: its admins (all members if none)."""
    memberships = OrganisationMembership.objects.filter(organisation=organisation, user__is_active=True)
    admins = [m.user for m in memberships.filter(role=MembershipRole.ADMIN).select_related("user")]
    return admins or [m.user for m in memberships.select_related("user")]


def _schedule_review(need: Need) -> None:
    """Replaces the pending review reminders of `need` with one per admin before its expiry."""
    cancel(kind=REVIEW_KIND, refs={"need": need.pk})
    if need.expires_on is None:
        return
    notice_day = need.expires_on - timedelta(days=settings.NEED_REVIEW_NOTICE_DAYS)
    due = max(clock.local_datetime(notice_day, REVIEW_TIME), clock.now())
    for admin in _admins(need.organisation):
        schedule(
            kind=REVIEW_KIND,
            due=due,
            recipient=admin,
            refs={"need": need.pk},
            # A fresh key per scheduling: an earlier, cancelled reminder must not stand in for this one.
            key=f"{REVIEW_KIND}:{need.pk}:{admin.pk}:{uuid4().hex}",
        )


def _stop_review(need: Need) -> None:
    cancel(kind=REVIEW_KIND, refs={"need": need.pk})


def _set_status(need: Need, status: str) -> Need:
    need.status = status
    need.full_clean()
    need.save()
    return need


# --- The editor --------------------------------------------------------------------------------------
@transaction.atomic
def need_create(
    *, organisation: Organisation, actor: User, details: NeedDetails, publish: bool = False
) -> Need:
    """Creates a draft need of `organisation`; publishes it at once if asked and the organisation may.

    An organisation that is not verified yet always gets a draft (the view says why).
    """
    _require_member(actor, organisation)
    need = Need(organisation=organisation, created_by=actor, status=NeedStatus.DRAFT)
    languages = _apply(need, details)
    need.save()
    need.languages.set(languages)
    need.required_qualifications.set(details.required_qualifications)
    if publish and organisation.is_verified:
        need = need_publish(need=need, actor=actor)
    return need


@transaction.atomic
def need_update(*, need: Need, actor: User, details: NeedDetails) -> Need:
    """Changes what the need says; its status stays. A published need stays published."""
    need = _locked(need)
    _require_member(actor, need.organisation)
    languages = _apply(need, details)
    expires_on = need.expires_on
    if need.status == NeedStatus.PUBLISHED:
        # A one-off date that moved moves the expiry with it (counted from the last review).
        need.expires_on = _expiry_for(need, timezone.localdate(need.reviewed_at or timezone.now()))
    need.save()
    need.languages.set(languages)
    need.required_qualifications.set(details.required_qualifications)
    if need.status == NeedStatus.PUBLISHED and need.expires_on != expires_on:
        _schedule_review(need)
    return need


@transaction.atomic
def need_publish(*, need: Need, actor: User) -> Need:
    """Makes the need public until its expiry and schedules the review reminder; returns it."""
    need = _locked(need)
    _require_member(actor, need.organisation)
    if not need.organisation.is_verified:
        raise ValidationError(
            _(
                "Ihre Organisation ist noch nicht geprüft. Sie können Einsätze als Entwurf speichern; "
                "veröffentlichen können Sie, sobald die Koordination Ihre Organisation freigegeben hat."
            )
        )
    if need.status not in PUBLISHABLE_FROM:
        raise ValidationError(_("Ein beendeter Einsatz kann nicht wieder veröffentlicht werden."))
    now = timezone.now()
    if need.schedule_kind == ScheduleKind.ONE_OFF and (need.ends_at or need.starts_at) < now:
        raise ValidationError(_("Der Termin liegt in der Vergangenheit. Bitte ändern Sie zuerst das Datum."))
    need.published_at = need.published_at or now
    need.reviewed_at = now
    need.expires_on = _expiry_for(need, timezone.localdate())
    _set_status(need, NeedStatus.PUBLISHED)
    _schedule_review(need)
    return need


@transaction.atomic
def need_pause(*, need: Need, actor: User) -> Need:
    """Hides a published need for a while; publishing it again brings it back."""
    need = _locked(need)
    _require_member(actor, need.organisation)
    if need.status != NeedStatus.PUBLISHED:
        raise ValidationError(_("Nur veröffentlichte Einsätze können pausiert werden."))
    _stop_review(need)
    return _set_status(need, NeedStatus.PAUSED)


@transaction.atomic
def need_mark_filled(*, need: Need, actor: User) -> Need:
    """Marks the need as filled: it leaves the search; the organisation can publish it again later."""
    need = _locked(need)
    _require_member(actor, need.organisation)
    if need.status not in (NeedStatus.PUBLISHED, NeedStatus.PAUSED, NeedStatus.EXPIRED):
        raise ValidationError(_("Nur veröffentlichte oder pausierte Einsätze können besetzt werden."))
    _stop_review(need)
    return _set_status(need, NeedStatus.FILLED)


@transaction.atomic
def need_close(*, need: Need, actor: User) -> Need:
    """Ends the need for good (it stays in the organisation's list as a record)."""
    need = _locked(need)
    _require_member(actor, need.organisation)
    if need.status == NeedStatus.CLOSED:
        raise ValidationError(_("Dieser Einsatz ist bereits beendet."))
    _stop_review(need)
    return _set_status(need, NeedStatus.CLOSED)


@transaction.atomic
def need_review(*, need: Need, actor: User) -> Need:
    """Confirms that a published (or expired) need is still current: it stays public for another period."""
    need = _locked(need)
    _require_member(actor, need.organisation)
    if need.status not in (NeedStatus.PUBLISHED, NeedStatus.EXPIRED):
        raise ValidationError(_("Nur veröffentlichte oder abgelaufene Einsätze können bestätigt werden."))
    if need.status == NeedStatus.EXPIRED:
        return need_publish(need=need, actor=actor)
    now = timezone.now()
    if need.schedule_kind == ScheduleKind.ONE_OFF and (need.ends_at or need.starts_at) < now:
        raise ValidationError(_("Der Termin liegt in der Vergangenheit. Bitte ändern Sie zuerst das Datum."))
    need.reviewed_at = now
    need.expires_on = _expiry_for(need, timezone.localdate())
    _set_status(need, NeedStatus.PUBLISHED)
    _schedule_review(need)
    return need


@transaction.atomic
def need_duplicate(*, need: Need, actor: User) -> Need:
    """Returns a new draft with everything the need says (for the next round of the same task)."""
    original = Need.objects.select_related("organisation").get(pk=need.pk)
    _require_member(actor, original.organisation)
    copy = Need.objects.get(pk=original.pk)
    languages = list(original.languages.all())
    qualifications = list(original.required_qualifications.all())
    copy.pk = None
    copy._state.adding = True
    suffix = " " + _("(Kopie)")
    copy.title = original.title[: Need._meta.get_field("title").max_length - len(suffix)] + suffix
    copy.status = NeedStatus.DRAFT
    copy.published_at = copy.expires_on = copy.reviewed_at = None
    copy.created_by = actor
    copy.full_clean()
    copy.save()
    copy.languages.set(languages)
    copy.required_qualifications.set(qualifications)
    return copy


@transaction.atomic
def need_import(*, organisation: Organisation, details: NeedDetails, publish: bool = True) -> Need:
    """Creates or updates the need of `organisation` with this title, without an acting person; returns it.

    For trusted imports only (the demo data, a move from another system): no membership check, and it
    publishes without scheduling review reminders.
    """
    need = Need.objects.filter(organisation=organisation, title=details.title.strip()).first()
    need = need or Need(organisation=organisation, status=NeedStatus.DRAFT)
    languages = _apply(need, details)
    if publish and organisation.is_verified:
        now = timezone.now()
        need.status = NeedStatus.PUBLISHED
        need.published_at = need.published_at or now
        need.reviewed_at = now
        need.expires_on = _expiry_for(need, timezone.localdate())
    need.save()
    need.languages.set(languages)
    need.required_qualifications.set(details.required_qualifications)
    return need


# --- Expiry ------------------------------------------------------------------------------------------
def needs_expire(*, today: date | None = None, limit: int = 1000) -> int:
    """Marks published needs past their expiry as expired and tells the admins; returns how many.

    Each need is handled in its own short transaction; rows another process holds are left for the next
    run (the search already hides them).
    """
    today = today or timezone.localdate()
    done = 0
    candidates = Need.objects.filter(status=NeedStatus.PUBLISHED, expires_on__lt=today).values_list(
        "pk", flat=True
    )
    for pk in list(candidates[:limit]):
        with transaction.atomic():
            need = (
                Need.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("organisation")
                .filter(pk=pk, status=NeedStatus.PUBLISHED, expires_on__lt=today)
                .first()
            )
            if need is None:
                continue
            _stop_review(need)
            _set_status(need, NeedStatus.EXPIRED)
            for admin in _admins(need.organisation):
                notify(
                    kind=EXPIRED_KIND,
                    recipient=admin,
                    refs={"need": need.pk},
                    key=f"{EXPIRED_KIND}:{need.pk}:{admin.pk}:{need.expires_on.isoformat()}",
                )
            done += 1
    return done


# --- Bookmarks ---------------------------------------------------------------------------------------
@transaction.atomic
def saved_need_add(*, user: User, need: Need) -> SavedNeed:
    """Bookmarks a need for the person (once); returns the bookmark."""
    if not user.is_authenticated:
        raise PermissionDenied
    saved, _created = SavedNeed.objects.get_or_create(user=user, need=need)
    return saved


@transaction.atomic
def saved_need_remove(*, user: User, need: Need) -> int:
    """Removes the person's bookmark of a need; returns how many were removed (0 or 1)."""
    if not user.is_authenticated:
        raise PermissionDenied
    deleted, _by_model = SavedNeed.objects.filter(user=user, need=need).delete()
    return deleted
