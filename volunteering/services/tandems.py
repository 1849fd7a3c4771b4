"""Tandems: requests from newcomers, proposals (one by one or from a batch run), the lifecycle, retention.

Lifecycle of a `Tandem`::

    proposed ─accept─▶ accepted ─contacted─▶ contacted ─meeting─▶ meeting ─activate─▶ active ─end─▶ ended
       │  └─decline─▶ declined (the request goes back to the queue, its waiting time kept)
       └─(coordinator)─▶ cancelled  (also from accepted / contacted / meeting)

Every transition locks the tandem and its request (`select_for_update`) and checks the state it starts
from, so two concurrent accepts, or an accept racing a cancellation, cannot both win; an invalid
transition raises ValidationError and changes nothing. At most one live tandem per request is also a
database constraint.

Check-ins: when a tandem becomes active, its check-ins at 2, 6 and 12 weeks and then every 8 weeks up to
the agreed end are created and their reminders scheduled through the outbox; ending the tandem cancels
the reminders still pending. A check-in with a red flag tells the town's coordinators at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from notifications import clock
from notifications.services import cancel, notify, schedule
from volunteering import matching
from volunteering.models import (
    LIVE_TANDEM_STATUSES,
    ActivityType,
    ConsentKind,
    ConsentRecordedBy,
    ContactMethod,
    DeclineReason,
    EndReason,
    Kommune,
    Language,
    MatchingRun,
    Mood,
    Postcode,
    Rating,
    SupportWish,
    Tandem,
    TandemCheckIn,
    TandemRequest,
    TandemRequestLanguage,
    TandemRequestStatus,
    TandemStatus,
    User,
    VolunteerProfile,
)
from volunteering.selectors.applications import coordinators_for_kommune
from volunteering.selectors.roles import coordinator_kommunen, is_coordinator
from volunteering.selectors.tandems import load_matching_facts, request_facts, volunteer_facts

CHECK_IN_WEEKS = (2, 6, 12)
CHECK_IN_EVERY_WEEKS = 8
CHECK_IN_REMINDER_AT = time(10, 0)  # local time on the day a check-in is due
CHECK_IN_AGAIN_AFTER = timedelta(days=7)  # one more reminder when a check-in is still unanswered
CHECK_IN_REMINDER_KINDS = ("tandem.check_in_due", "tandem.check_in_again")
MAX_TANDEM_DURATION = timedelta(days=2 * 366)


def _now() -> datetime:
    return clock.now()


def _today() -> date:
    return clock.now().astimezone(clock.zone()).date()


# --- Access ---------------------------------------------------------------------------------------------
def _require_coordinator_for(actor: User | None, request: TandemRequest) -> None:
    """Raises PermissionDenied unless `actor` coordinates the request's town."""
    if actor is None or not is_coordinator(actor):
        raise PermissionDenied
    if (
        not actor.coordinator_role.whole_district
        and not coordinator_kommunen(actor).filter(pk=request.kommune_id).exists()
    ):
        raise PermissionDenied


def _require_volunteer_of(actor: User, tandem: Tandem) -> None:
    if actor is None or tandem.volunteer_id != actor.pk:
        raise PermissionDenied


def _lock(tandem: Tandem) -> Tandem:
    """Returns the tandem and its request, both locked until the end of the transaction."""
    TandemRequest.objects.select_for_update().filter(pk=tandem.request_id).first()
    return (
        Tandem.objects.select_for_update(of=("self",))
        .select_related("request", "request__kommune", "volunteer")
        .get(pk=tandem.pk)
    )


def _expect(tandem: Tandem, *allowed: str) -> None:
    if tandem.status not in allowed:
        raise ValidationError(
            _("Das geht im Moment nicht: Das Tandem ist %(status)s.")
            % {"status": tandem.get_status_display()}
        )


def _tell_coordinators(kind: str, tandem_or_request: Tandem | TandemRequest, *, key_part: str = "") -> None:
    if isinstance(tandem_or_request, Tandem):
        request, refs = tandem_or_request.request, {"tandem": tandem_or_request.pk}
    else:
        request, refs = tandem_or_request, {"tandem_request": tandem_or_request.pk}
    for coordinator in coordinators_for_kommune(request.kommune):
        notify(
            kind=kind,
            recipient=coordinator,
            refs=refs,
            key=f"{kind}:{next(iter(refs.values()))}:{key_part}:{coordinator.pk}",
        )


# --- Requests -------------------------------------------------------------------------------------------
def current_tandem_consent_text():
    from volunteering.services.people import current_consent_text

    return current_consent_text(ConsentKind.TANDEM)


@dataclass(frozen=True)
class RequestDetails:
    """What the request form validated (see volunteering.forms_tandems.TandemRequestForm)."""

    alias: str
    email: str
    phone: str
    postcode: str
    kommune: Kommune | None
    radius_km: int
    tandem_type: ActivityType
    interests: Sequence[ActivityType]
    availability: Sequence[str]
    languages: Sequence[tuple[Language, int]]
    gender: str
    partner_gender_wish: str
    age_group_wish: str
    birth_year: int | None
    involves_minor: bool
    contact_language: str


def _place(postcode: str, kommune: Kommune | None) -> tuple[Kommune, float, float]:
    """Returns the town and coordinates: from the postcode when it lies in the district, else the town."""
    match = Postcode.objects.filter(code=postcode).select_related("kommune").first() if postcode else None
    if match is not None and (kommune is None or kommune.pk == match.kommune_id):
        town = match.kommune
    elif kommune is not None:
        town = kommune
    else:
        raise ValidationError(
            {
                "postcode": _(
                    "Diese Postleitzahl liegt nicht im Kreis. Bitte wählen Sie Ihren Ort aus der Liste."
                )
            }
        )
    return town, town.latitude, town.longitude


@transaction.atomic
def tandem_request_submit(
    *,
    details: RequestDetails,
    consent_recorded_by: str,
    consent_language: str,
    recorded_by: User | None = None,
) -> TandemRequest:
    """Returns the new request, with its consent recorded; confirms it to the newcomer in their language.

    Public form: `consent_recorded_by` is "self" or "adviser". Coordinator intake: "coordinator" with
    `recorded_by` the coordinator (who must coordinate the town).
    """
    text = current_tandem_consent_text()
    if text is None:
        raise ValidationError(
            _("Im Moment können wir keine Anfragen annehmen. Bitte versuchen Sie es später.")
        )
    if consent_recorded_by not in ConsentRecordedBy.values:
        raise ValidationError(_("Bitte sagen Sie, wer die Anfrage stellt."))
    if not details.email and not details.phone:
        raise ValidationError(_("Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer an."))
    town, lat, lon = _place(details.postcode, details.kommune)
    if consent_recorded_by == ConsentRecordedBy.COORDINATOR:
        probe = TandemRequest(kommune=town)
        _require_coordinator_for(recorded_by, probe)
    if not details.tandem_type.is_tandem:
        raise ValidationError({"tandem_type": _("Bitte wählen Sie eine Art von Tandem aus der Liste.")})
    now = _now()
    request = TandemRequest(
        alias=details.alias,
        email=details.email,
        phone=details.phone,
        postcode=details.postcode,
        kommune=town,
        latitude=lat,
        longitude=lon,
        radius_km=details.radius_km,
        tandem_type=details.tandem_type,
        availability=list(details.availability),
        gender=details.gender,
        partner_gender_wish=details.partner_gender_wish,
        age_group_wish=details.age_group_wish,
        birth_year=details.birth_year,
        involves_minor=details.involves_minor,
        contact_language=details.contact_language,
        consent_text=text,
        consent_language=consent_language,
        consent_given_at=now,
        consent_recorded_by=consent_recorded_by,
        recorded_by=recorded_by if consent_recorded_by == ConsentRecordedBy.COORDINATOR else None,
        waiting_since=now,
    )
    request.full_clean()
    request.save()
    request.interests.set(details.interests)
    TandemRequestLanguage.objects.bulk_create(
        TandemRequestLanguage(request=request, language=language, level=level)
        for language, level in details.languages
    )
    if request.email:
        notify(
            kind="tandem.request_received",
            email=request.email,
            language=request.contact_language,
            refs={"tandem_request": request.pk},
        )
    _tell_coordinators("tandem.request_new", request)
    return request


WITHDRAW_SALT = "volunteering.tandem-request-withdraw"


def tandem_request_withdraw_token(request: TandemRequest) -> str:
    """Returns the signed token of the newcomer's withdrawal link (bound to this very request)."""
    return signing.dumps({"r": request.pk, "t": int(request.created_at.timestamp())}, salt=WITHDRAW_SALT)


def tandem_request_from_token(token: str) -> TandemRequest | None:
    """Returns the request a withdrawal token points to, or None when forged or the request is gone."""
    try:
        data = signing.loads(token, salt=WITHDRAW_SALT)
    except signing.BadSignature:
        return None
    request = TandemRequest.objects.filter(pk=data.get("r")).first()
    if request is None or int(request.created_at.timestamp()) != data.get("t"):
        return None
    return request


@transaction.atomic
def tandem_request_withdraw(
    *, request: TandemRequest, actor: User | None, by_newcomer: bool = False
) -> TandemRequest:
    """Withdraws a request (the newcomer no longer wants a tandem); its data is deleted by the next purge.

    A coordinator of the town does it for the newcomer, or the newcomer through the signed link of their
    confirmation (`by_newcomer`). A live tandem of the request is cancelled and its volunteer told.
    """
    if not by_newcomer:
        _require_coordinator_for(actor, request)
    request = TandemRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == TandemRequestStatus.WITHDRAWN:
        raise ValidationError(_("Diese Anfrage ist schon zurückgezogen."))
    for tandem in Tandem.objects.select_for_update().filter(request=request, status__in=LIVE_TANDEM_STATUSES):
        _end_live(
            tandem,
            status=TandemStatus.CANCELLED if tandem.status != TandemStatus.ACTIVE else TandemStatus.ENDED,
        )
    request.status = TandemRequestStatus.WITHDRAWN
    request.withdrawn_at = _now()
    request.save(update_fields=["status", "withdrawn_at", "updated_at"])
    return request


def _end_live(tandem: Tandem, *, status: str, reason: str = EndReason.OTHER) -> None:
    tandem.status = status
    if status == TandemStatus.ENDED:
        tandem.ended_at = _now()
        tandem.end_reason = reason
    tandem.save()
    _cancel_check_in_reminders(tandem=tandem)
    notify(kind="tandem.cancelled", recipient=tandem.volunteer, refs={"tandem": tandem.pk})


# --- Proposals ------------------------------------------------------------------------------------------
def _capacity_left(volunteer: User) -> int:
    profile = VolunteerProfile.objects.filter(user=volunteer).first()
    if profile is None:
        return 0
    live = Tandem.objects.filter(volunteer=volunteer, status__in=LIVE_TANDEM_STATUSES).count()
    return profile.tandem_capacity - live


def _create_proposal(
    *, request: TandemRequest, volunteer: User, actor: User, score: matching.Score | None
) -> Tandem:
    if request.status != TandemRequestStatus.OPEN:
        raise ValidationError(_("Diese Anfrage wartet nicht mehr auf eine Vermittlung."))
    if Tandem.objects.filter(request=request, volunteer=volunteer, status=TandemStatus.DECLINED).exists():
        raise ValidationError(_("Diese Person hat diese Anfrage schon abgelehnt."))
    if _capacity_left(volunteer) <= 0:
        raise ValidationError(_("Diese Person hat keinen Platz für ein weiteres Tandem."))
    tandem = Tandem(
        request=request,
        volunteer=volunteer,
        status=TandemStatus.PROPOSED,
        score=score.total if score else 0.0,
        score_terms=dict(score.terms) if score else {},
        proposed_by=actor,
        proposed_at=_now(),
    )
    tandem.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            tandem.save()
    except IntegrityError:
        raise ValidationError(_("Für diese Anfrage gibt es schon einen Vorschlag.")) from None
    request.status = TandemRequestStatus.PROPOSED
    request.save(update_fields=["status", "updated_at"])
    notify(kind="tandem.proposed", recipient=volunteer, refs={"tandem": tandem.pk})
    return tandem


@transaction.atomic
def tandem_propose(*, request: TandemRequest, volunteer: User, actor: User) -> Tandem:
    """Returns a new proposal of `volunteer` for `request`, scored and explained; the volunteer is asked.

    Raises ValidationError when the request is not waiting, the volunteer has no room, or a hard rule of
    the matching fails (for example no common language).
    """
    _require_coordinator_for(actor, request)
    request = TandemRequest.objects.select_for_update().get(pk=request.pk)
    profile = VolunteerProfile.objects.filter(user=volunteer).first()
    if profile is None:
        raise ValidationError(_("Diese Person hat kein Profil als freiwillige Person."))
    facts = volunteer_facts([profile.pk])
    request_fact = request_facts([_reload_for_facts(request)])[0]
    score = matching.score(facts[0], request_fact) if facts else None
    if score is None:
        raise ValidationError(
            _("Diese Person passt nach den festen Regeln nicht zu der Anfrage (Sprache, Weg, Zeit, Wünsche).")
        )
    return _create_proposal(request=request, volunteer=volunteer, actor=actor, score=score)


def _reload_for_facts(request: TandemRequest) -> TandemRequest:
    return (
        TandemRequest.objects.select_related("kommune", "tandem_type")
        .prefetch_related("languages__language", "interests__handlungsfeld")
        .get(pk=request.pk)
    )


@transaction.atomic
def tandem_cancel(*, tandem: Tandem, actor: User) -> Tandem:
    """The coordinator takes back a proposal (before the tandem is active); the request waits again."""
    tandem = _lock(tandem)
    _require_coordinator_for(actor, tandem.request)
    _expect(
        tandem, TandemStatus.PROPOSED, TandemStatus.ACCEPTED, TandemStatus.CONTACTED, TandemStatus.MEETING
    )
    _end_live(tandem, status=TandemStatus.CANCELLED)
    _requeue(tandem.request)
    return tandem


def _requeue(request: TandemRequest) -> None:
    """Puts the request back into the queue; `waiting_since` is deliberately left as it was."""
    request.status = TandemRequestStatus.OPEN
    request.save(update_fields=["status", "updated_at"])


# --- The volunteer's answer -----------------------------------------------------------------------------
@transaction.atomic
def tandem_accept(*, tandem: Tandem, actor: User) -> Tandem:
    """The volunteer says yes; the coordinators are told to contact the newcomer."""
    tandem = _lock(tandem)
    _require_volunteer_of(actor, tandem)
    _expect(tandem, TandemStatus.PROPOSED)
    tandem.status = TandemStatus.ACCEPTED
    tandem.decided_at = _now()
    tandem.save(update_fields=["status", "decided_at", "updated_at"])
    _tell_coordinators("tandem.accepted", tandem)
    return tandem


@transaction.atomic
def tandem_decline(*, tandem: Tandem, actor: User, reason: str) -> Tandem:
    """The volunteer says no; the request goes back to the queue, keeping its waiting time."""
    if reason not in DeclineReason.values:
        raise ValidationError(_("Bitte wählen Sie einen Grund."))
    tandem = _lock(tandem)
    _require_volunteer_of(actor, tandem)
    _expect(tandem, TandemStatus.PROPOSED)
    tandem.status = TandemStatus.DECLINED
    tandem.decided_at = _now()
    tandem.decline_reason = reason
    tandem.save(update_fields=["status", "decided_at", "decline_reason", "updated_at"])
    _requeue(tandem.request)
    _tell_coordinators("tandem.declined", tandem)
    return tandem


# --- Coordinator steps ----------------------------------------------------------------------------------
@transaction.atomic
def tandem_mark_contacted(*, tandem: Tandem, actor: User, method: str) -> Tandem:
    """Records that the newcomer knows about their partner: by the coordinator, or by an email now."""
    if method not in ContactMethod.values:
        raise ValidationError(_("Bitte wählen Sie, wie die Person erreicht wurde."))
    tandem = _lock(tandem)
    _require_coordinator_for(actor, tandem.request)
    _expect(tandem, TandemStatus.ACCEPTED)
    if method == ContactMethod.EMAIL:
        if not tandem.request.email:
            raise ValidationError(_("Für diese Anfrage gibt es keine E-Mail-Adresse. Bitte rufen Sie an."))
        notify(
            kind="tandem.partner_found",
            email=tandem.request.email,
            language=tandem.request.contact_language,
            refs={"tandem": tandem.pk},
        )
    tandem.status = TandemStatus.CONTACTED
    tandem.contacted_at = _now()
    tandem.contact_method = method
    tandem.save(update_fields=["status", "contacted_at", "contact_method", "updated_at"])
    return tandem


@transaction.atomic
def tandem_plan_meeting(*, tandem: Tandem, actor: User, at: datetime, place: str) -> Tandem:
    """Records the first meeting (date and a neutral place); the volunteer is told."""
    tandem = _lock(tandem)
    _require_coordinator_for(actor, tandem.request)
    _expect(tandem, TandemStatus.CONTACTED, TandemStatus.MEETING)
    if at <= _now():
        raise ValidationError({"first_meeting_at": _("Das erste Treffen muss in der Zukunft liegen.")})
    if not place.strip():
        raise ValidationError({"first_meeting_place": _("Bitte nennen Sie einen Ort.")})
    tandem.status = TandemStatus.MEETING
    tandem.first_meeting_at = at
    tandem.first_meeting_place = place.strip()
    tandem.full_clean(validate_constraints=False)
    tandem.save(update_fields=["status", "first_meeting_at", "first_meeting_place", "updated_at"])
    notify(
        kind="tandem.meeting_planned",
        recipient=tandem.volunteer,
        refs={"tandem": tandem.pk},
        key=f"tandem.meeting_planned:{tandem.pk}:{at.isoformat()}",
    )
    return tandem


def _check_end(ends_on: date, today: date) -> None:
    if ends_on <= today:
        raise ValidationError({"ends_on": _("Das vereinbarte Ende muss in der Zukunft liegen.")})
    if ends_on - today > MAX_TANDEM_DURATION:
        raise ValidationError({"ends_on": _("Ein Tandem wird für höchstens zwei Jahre vereinbart.")})


def check_in_dates(start: date, end: date) -> list[date]:
    """Returns the check-in days: 2, 6 and 12 weeks after `start`, then every 8 weeks, up to `end`.

    The first check-in is always kept, even for a tandem agreed for less than two weeks.
    """
    days = [start + timedelta(weeks=weeks) for weeks in CHECK_IN_WEEKS]
    while days[-1] + timedelta(weeks=CHECK_IN_EVERY_WEEKS) <= end:
        days.append(days[-1] + timedelta(weeks=CHECK_IN_EVERY_WEEKS))
    return [day for index, day in enumerate(days) if index == 0 or day <= end]


def _cancel_check_in_reminders(*, tandem: Tandem | None = None, check_in: TandemCheckIn | None = None):
    """Takes back the reminders (first and second) of one check-in, or of all check-ins of a tandem."""
    refs = {"check_in": check_in.pk} if check_in is not None else {"tandem": tandem.pk}
    for kind in CHECK_IN_REMINDER_KINDS:
        cancel(kind=kind, refs=refs)


def _schedule_check_ins(tandem: Tandem, start: date) -> list[TandemCheckIn]:
    existing = set(tandem.check_ins.values_list("number", flat=True))
    created = []
    for number, day in enumerate(check_in_dates(start, tandem.ends_on), start=1):
        if number in existing:
            continue
        check_in = TandemCheckIn.objects.create(tandem=tandem, number=number, due_on=day)
        # On the day, and a week later if still unanswered (an answered check-in drops the second one).
        for kind, due in zip(CHECK_IN_REMINDER_KINDS, (day, day + CHECK_IN_AGAIN_AFTER), strict=True):
            schedule(
                kind=kind,
                recipient=tandem.volunteer,
                due=clock.local_datetime(due, CHECK_IN_REMINDER_AT),
                refs={"tandem": tandem.pk, "check_in": check_in.pk},
                key=f"{kind}:{check_in.pk}",
            )
        created.append(check_in)
    return created


@transaction.atomic
def tandem_activate(*, tandem: Tandem, actor: User, scope: str, ends_on: date) -> Tandem:
    """The first meeting went well: the tandem runs with an agreed scope until `ends_on`; check-ins start."""
    tandem = _lock(tandem)
    _require_coordinator_for(actor, tandem.request)
    _expect(tandem, TandemStatus.MEETING)
    today = _today()
    if not scope.strip():
        raise ValidationError(
            {"scope": _("Bitte halten Sie fest, was vereinbart ist (Aufgaben und Grenzen).")}
        )
    _check_end(ends_on, today)
    tandem.status = TandemStatus.ACTIVE
    tandem.scope = scope.strip()
    tandem.ends_on = ends_on
    tandem.activated_at = _now()
    tandem.full_clean(validate_constraints=False)
    tandem.save(update_fields=["status", "scope", "ends_on", "activated_at", "updated_at"])
    request = tandem.request
    request.status = TandemRequestStatus.MATCHED
    request.save(update_fields=["status", "updated_at"])
    _schedule_check_ins(tandem, today)
    notify(kind="tandem.activated", recipient=tandem.volunteer, refs={"tandem": tandem.pk})
    return tandem


@transaction.atomic
def tandem_change_end(*, tandem: Tandem, actor: User, ends_on: date) -> Tandem:
    """Both sides agreed on another end (longer or shorter): the check-ins follow the new date.

    Check-ins the new period needs are scheduled (at the same 2, 6, 12 weeks, then every 8 weeks from the
    start); unanswered ones after a new, earlier end are taken back with their reminders. Answered ones
    stay. The volunteer is told.
    """
    tandem = _lock(tandem)
    _require_coordinator_for(actor, tandem.request)
    _expect(tandem, TandemStatus.ACTIVE)
    today = _today()
    _check_end(ends_on, today)
    if ends_on == tandem.ends_on:
        return tandem
    tandem.ends_on = ends_on
    tandem.save(update_fields=["ends_on", "updated_at"])
    start = tandem.activated_at.astimezone(clock.zone()).date()
    needed = range(1, len(check_in_dates(start, ends_on)) + 1)
    for check_in in tandem.check_ins.filter(answered_at__isnull=True).exclude(number__in=needed):
        _cancel_check_in_reminders(check_in=check_in)
        check_in.delete()
    _schedule_check_ins(tandem, start)
    notify(
        kind="tandem.end_changed",
        recipient=tandem.volunteer,
        refs={"tandem": tandem.pk},
        key=f"tandem.end_changed:{tandem.pk}:{ends_on.isoformat()}",
    )
    return tandem


@transaction.atomic
def tandem_check_in_answer(
    *, check_in: TandemCheckIn, actor: User, frequency: str, mood: str, support: str
) -> TandemCheckIn:
    """Records the volunteer's three answers; a red flag tells the town's coordinators at once."""
    tandem = _lock(check_in.tandem)
    _require_volunteer_of(actor, tandem)
    _expect(tandem, TandemStatus.ACTIVE)
    check_in = TandemCheckIn.objects.select_for_update().get(pk=check_in.pk)
    if check_in.answered_at is not None:
        raise ValidationError(_("Diese Rückmeldung haben Sie schon gegeben. Danke!"))
    if check_in.due_on > _today():
        raise ValidationError(_("Diese Rückmeldung ist noch nicht fällig."))
    check_in.frequency, check_in.mood, check_in.support = frequency, mood, support
    check_in.red_flag = mood == Mood.DIFFICULT or support == SupportWish.URGENT
    check_in.answered_at = _now()
    check_in.full_clean(exclude=["tandem"], validate_constraints=False)
    for field in ("frequency", "mood", "support"):
        if not getattr(check_in, field):
            raise ValidationError({field: _("Bitte beantworten Sie alle drei Fragen.")})
    check_in.save()
    _cancel_check_in_reminders(check_in=check_in)
    if check_in.red_flag or support == SupportWish.CALL:
        check_in.tandem = tandem
        _tell_coordinators(
            "tandem.red_flag" if check_in.red_flag else "tandem.support_wanted",
            tandem,
            key_part=str(check_in.number),
        )
    return check_in


@transaction.atomic
def tandem_end(
    *,
    tandem: Tandem,
    actor: User,
    reason: str,
    newcomer_rating: int | None = None,
    newcomer_comment: str = "",
) -> Tandem:
    """Ends a running tandem with a coded reason (and the newcomer's evaluation, as told to the
    coordinator); pending check-in reminders are cancelled and the volunteer is asked for theirs."""
    if reason not in EndReason.values:
        raise ValidationError({"end_reason": _("Bitte wählen Sie einen Grund.")})
    tandem = _lock(tandem)
    _require_coordinator_for(actor, tandem.request)
    _expect(tandem, TandemStatus.ACTIVE)
    tandem.status = TandemStatus.ENDED
    tandem.ended_at = _now()
    tandem.end_reason = reason
    tandem.newcomer_rating = newcomer_rating
    tandem.newcomer_comment = newcomer_comment.strip()
    tandem.full_clean(validate_constraints=False)
    tandem.save()
    _cancel_check_in_reminders(tandem=tandem)
    request = tandem.request
    request.status = TandemRequestStatus.CLOSED
    request.closed_at = tandem.ended_at
    request.save(update_fields=["status", "closed_at", "updated_at"])
    notify(kind="tandem.ended", recipient=tandem.volunteer, refs={"tandem": tandem.pk})
    return tandem


@transaction.atomic
def tandem_evaluate(*, tandem: Tandem, actor: User, rating: int, comment: str) -> Tandem:
    """Records the volunteer's short evaluation of an ended tandem (once)."""
    tandem = _lock(tandem)
    _require_volunteer_of(actor, tandem)
    _expect(tandem, TandemStatus.ENDED)
    if tandem.volunteer_rating is not None:
        raise ValidationError(_("Ihre Rückmeldung zu diesem Tandem haben wir schon. Danke!"))
    if rating not in Rating.values:
        raise ValidationError({"volunteer_rating": _("Bitte wählen Sie eine Bewertung.")})
    tandem.volunteer_rating = rating
    tandem.volunteer_comment = comment.strip()
    tandem.full_clean(validate_constraints=False)
    tandem.save(update_fields=["volunteer_rating", "volunteer_comment", "updated_at"])
    return tandem


# --- Batch run: optimal assignment over all open requests -----------------------------------------------
def tandem_batch_run(*, actor: User | None, kommunen: Iterable[Kommune] | None = None) -> MatchingRun:
    """Returns a stored preview of the optimal assignment of all open requests (in `kommunen`).

    Nothing is proposed yet: the coordinator approves the proposals they want (`tandem_batch_approve`).
    Loads the facts in a fixed number of queries, solves with `matching.assign`, and stores one row.
    """
    if actor is not None and not is_coordinator(actor):
        raise PermissionDenied
    if kommunen is None and actor is not None:
        kommunen = coordinator_kommunen(actor)
    kommunen = list(kommunen) if kommunen is not None else None
    facts = load_matching_facts(kommunen)
    proposals = matching.assign(facts.volunteers, facts.requests)
    matched = {proposal.request_id for proposal in proposals}
    # One vectorised pass explains every request left out (the same codes as explain_unmatched).
    reasons = matching.explain_all(
        [request for request in facts.requests if request.id not in matched], facts.volunteers, proposals
    )
    unmatched = [
        {"request": request_id, "reasons": [[reason.code, reason.value] for reason in explained]}
        for request_id, explained in reasons.items()
    ]
    ordered = sorted(proposals, key=lambda p: (-p.score.total, p.request_id))
    run = MatchingRun.objects.create(
        created_by=actor,
        proposals=[
            {
                "request": proposal.request_id,
                "volunteer": proposal.volunteer_id,
                "total": round(proposal.score.total, 3),
                "terms": {name: round(points, 3) for name, points in proposal.score.terms.items()},
                "reasons": [[reason.code, reason.value] for reason in proposal.score.reasons],
            }
            for proposal in ordered
        ],
        unmatched=unmatched,
        total=round(sum(proposal.score.total for proposal in proposals), 3),
        volunteer_count=len(facts.volunteers),
        request_count=len(facts.requests),
    )
    if kommunen is not None:
        run.kommunen.set(kommunen)
    return run


@transaction.atomic
def tandem_batch_approve(*, run: MatchingRun, actor: User, request_ids: Iterable[int]) -> list[Tandem]:
    """Turns the selected proposals of a run into tandem proposals (each volunteer is asked).

    Proposals whose request or volunteer changed since the run (no longer waiting, no room left) are
    skipped; the result lists the tandems created.
    """
    if not is_coordinator(actor):
        raise PermissionDenied
    wanted = set(request_ids)
    chosen = [proposal for proposal in run.proposals if proposal["request"] in wanted]
    requests = {
        request.pk: request
        for request in TandemRequest.objects.select_for_update()
        .filter(pk__in=[proposal["request"] for proposal in chosen])
        .select_related("kommune")
    }
    volunteers = User.objects.in_bulk([proposal["volunteer"] for proposal in chosen])
    created = []
    for proposal in chosen:
        request, volunteer = requests.get(proposal["request"]), volunteers.get(proposal["volunteer"])
        if request is None or volunteer is None:
            continue
        _require_coordinator_for(actor, request)
        score = matching.Score(total=proposal["total"], terms=proposal["terms"])
        try:
            with transaction.atomic():
                created.append(
                    _create_proposal(request=request, volunteer=volunteer, actor=actor, score=score)
                )
        except ValidationError:
            continue
    return created


# --- Retention and erasure ------------------------------------------------------------------------------
def tandem_requests_purge() -> int:
    """Deletes newcomer data that is no longer needed; returns how many requests were deleted.

    Withdrawn requests go at once (at the next run); requests whose tandem ended more than
    TANDEM_RETENTION_MONTHS ago; requests that waited TANDEM_OPEN_REQUEST_RETENTION_MONTHS without a
    tandem. Batch-run previews older than MATCHING_RUN_RETENTION_DAYS go too. Newcomer notifications
    (bare email addresses) of deleted requests are removed with them.
    """
    from notifications.models import Notification

    now = _now()
    ended_before = now - relativedelta(months=settings.TANDEM_RETENTION_MONTHS)
    waiting_before = now - relativedelta(months=settings.TANDEM_OPEN_REQUEST_RETENTION_MONTHS)
    doomed = TandemRequest.objects.filter(
        Q(status=TandemRequestStatus.WITHDRAWN)
        | Q(status=TandemRequestStatus.CLOSED, closed_at__lt=ended_before)
        | Q(status=TandemRequestStatus.OPEN, waiting_since__lt=waiting_before)
    ).exclude(tandems__status__in=LIVE_TANDEM_STATUSES)
    with transaction.atomic():
        rows = list(doomed.values_list("pk", "email"))
        ids = [pk for pk, _email in rows]
        emails = {email.lower() for _pk, email in rows if email}
        # Keep addresses still used by another (kept) request of the same person.
        emails -= {
            email.lower()
            for email in TandemRequest.objects.exclude(pk__in=ids)
            .filter(email__in=list(emails))
            .values_list("email", flat=True)
        }
        for email in emails:
            Notification.objects.filter(recipient__isnull=True, email__iexact=email).delete()
        deleted = TandemRequest.objects.filter(pk__in=ids).delete()[1].get("volunteering.TandemRequest", 0)
        MatchingRun.objects.filter(
            created_at__lt=now - timedelta(days=settings.MATCHING_RUN_RETENTION_DAYS)
        ).delete()
    return deleted


@transaction.atomic
def tandem_request_erase(*, request: TandemRequest, actor: User) -> None:
    """Erases a newcomer at their request (Art. 17): the request, its tandems and messages to them."""
    _require_coordinator_for(actor, request)
    from notifications.models import Notification

    if (
        request.email
        and not TandemRequest.objects.exclude(pk=request.pk).filter(email__iexact=request.email).exists()
    ):
        Notification.objects.filter(recipient__isnull=True, email__iexact=request.email).delete()
    for tandem in Tandem.objects.filter(request=request, status__in=LIVE_TANDEM_STATUSES).select_related(
        "volunteer"
    ):
        _cancel_check_in_reminders(tandem=tandem)
    request.delete()


@transaction.atomic
def tandems_of_volunteer_erase(user: User) -> None:
    """Before a volunteer's account is deleted: their requests go back to the queue, keeping their
    waiting time, and their tandems (with check-ins and evaluations) are deleted."""
    live = Tandem.objects.select_for_update().filter(volunteer=user, status__in=LIVE_TANDEM_STATUSES)
    request_ids = list(live.values_list("request_id", flat=True))
    for tandem in live:
        _cancel_check_in_reminders(tandem=tandem)
    Tandem.objects.filter(volunteer=user).delete()
    TandemRequest.objects.filter(
        pk__in=request_ids, status__in=[TandemRequestStatus.PROPOSED, TandemRequestStatus.MATCHED]
    ).update(status=TandemRequestStatus.OPEN)
