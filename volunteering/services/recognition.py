"""Recognition: logging and confirming hours, attendance credits, milestones and their thank-you.

Hours: a volunteer logs entries for their own engagements; members of the engagement's organisation
confirm or reject them (singly or in bulk). Each logging call schedules one reminder to the organisation's
members 14 days later (`HOURS_REMINDER_AFTER`); deciding the entry cancels it, and the reminder's context
answers Gone if its entry has been decided by then, so a reminder only goes out while entries still wait.

Attendance (tasters, trainings, language mediation) is credited by `credit_attendance`: a confirmed entry,
at most one per source row, so calling it twice changes nothing.

Milestones: after every confirmation the confirmed total is checked against 10/50/100/250 hours; the
first engagement and the 1/5/10/25 years since it are checked by the daily job (`milestones_check_all`).
A milestone is a row unique per person and kind, so each triggers exactly once. Its ThankYou is scheduled
in the outbox `THANKS_DELAY` after the milestone: until then the organisation (or the coordination, for
milestones without an organisation) may edit the text or send it at once. A thank-you nobody touched goes
out with the default text in the recipient's language; an edited text is sent as written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import translation
from django.utils.html import escape
from django.utils.module_loading import import_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.rich_text import RichText

from notifications import clock
from notifications.services import cancel, notify, schedule
from volunteering.models import (
    Competency,
    Engagement,
    EngagementCertificate,
    HoursEntry,
    HoursSource,
    HoursStatus,
    Milestone,
    MilestoneKind,
    NominationStatus,
    Organisation,
    OrganisationMembership,
    RecognitionSettings,
    StoryNomination,
    ThankYou,
    ThankYouStatus,
    User,
    VolunteerProfile,
)
from volunteering.models.recognition import HOURS_MILESTONES, MAX_MINUTES_PER_ENTRY, YEARS_MILESTONES

HOURS_REMINDER_AFTER = timedelta(days=14)
THANKS_DELAY = timedelta(days=3)
MAX_ENTRIES_PER_CALL = 20


# --- Attendance credits (called by tasters, trainings, language mediation) ---------------------------
def credit_attendance(
    user: User,
    *,
    source: str,
    source_id: int,
    on_date: date,
    hours: Decimal | float | int,
    organisation: Organisation | None = None,
) -> HoursEntry:
    """Returns the confirmed hours entry for an attendance (created once per source row; idempotent).

    `source` is one of HoursSource ("taster", "training", "mediation"); `source_id` the id of the
    booking/registration/assignment row. Reaching a milestone schedules its thank-you.
    """
    if source not in HoursSource.values or source == HoursSource.MANUAL:
        raise ValueError(f"Attendance comes from a taster, training or mediation, not {source!r}.")
    minutes = int((Decimal(str(hours)) * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    minutes = max(1, min(minutes, MAX_MINUTES_PER_ENTRY))
    with transaction.atomic():
        existing = HoursEntry.objects.filter(volunteer=user, source=source, source_id=source_id).first()
        if existing is not None:
            return existing
        entry = HoursEntry(
            volunteer=user,
            organisation=organisation,
            source=source,
            source_id=source_id,
            worked_on=on_date,
            minutes=minutes,
            status=HoursStatus.CONFIRMED,
            decided_at=clock.now(),
        )
        entry.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError:
            # A concurrent call credited the same attendance first: keep that entry.
            return HoursEntry.objects.get(volunteer=user, source=source, source_id=source_id)
        milestones_check_hours(volunteer=user, organisation=organisation)
    return entry


def credit_attendance_withdraw(user: User, *, source: str, source_id: int) -> int:
    """Removes an attendance credit (attendance corrected to "not shown"); returns how many entries.

    Milestones already reached stay: a thank-you is never taken back.
    """
    deleted, _details = (
        HoursEntry.objects.filter(volunteer=user, source=source, source_id=source_id)
        .exclude(source=HoursSource.MANUAL)
        .delete()
    )
    return deleted


# --- Logging hours ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class HoursLine:
    worked_on: date
    minutes: int
    note: str = ""


def hours_log(*, volunteer: User, engagement: Engagement, lines: Sequence[HoursLine]) -> list[HoursEntry]:
    """Returns the new submitted entries for the volunteer's own engagement; schedules the reminder.

    Raises ValidationError (nothing saved) if any line is invalid: in the future, before the engagement
    started or after it ended, or not between 1 minute and 24 hours.
    """
    if engagement.volunteer_id != volunteer.pk:
        raise PermissionDenied
    if not lines:
        raise ValidationError(_("Bitte tragen Sie mindestens einen Termin mit Dauer ein."))
    if len(lines) > MAX_ENTRIES_PER_CALL:
        raise ValidationError(
            _("Bitte tragen Sie höchstens %(count)d Termine auf einmal ein.")
            % {"count": MAX_ENTRIES_PER_CALL}
        )
    today = clock.now().astimezone(clock.zone()).date()
    entries = []
    for line in lines:
        if line.worked_on > today:
            raise ValidationError(_("Stunden können Sie erst nach dem Einsatz eintragen."))
        if engagement.ends_on and line.worked_on > engagement.ends_on:
            raise ValidationError(
                _("Der %(day)s liegt nach dem Ende dieses Engagements.")
                % {"day": line.worked_on.strftime("%d.%m.%Y")}
            )
        if line.worked_on < engagement.starts_on:
            raise ValidationError(
                _("Der %(day)s liegt vor dem Beginn dieses Engagements.")
                % {"day": line.worked_on.strftime("%d.%m.%Y")}
            )
        entry = HoursEntry(
            volunteer=volunteer,
            organisation_id=engagement.organisation_id,
            engagement=engagement,
            source=HoursSource.MANUAL,
            worked_on=line.worked_on,
            minutes=line.minutes,
            note=line.note.strip(),
        )
        entry.full_clean(validate_constraints=False)
        entries.append(entry)
    with transaction.atomic():
        for entry in entries:
            entry.save()
        due = clock.now() + HOURS_REMINDER_AFTER
        for member in _members(engagement.organisation_id):
            schedule(
                kind="recognition.hours_waiting",
                recipient=member,
                due=due,
                refs={"organisation": engagement.organisation_id, "hours_entry": entries[0].pk},
            )
    return entries


def hours_withdraw(*, volunteer: User, entry: HoursEntry) -> None:
    """Deletes a still submitted entry of the volunteer (a typo, a wrong day)."""
    if entry.volunteer_id != volunteer.pk:
        raise PermissionDenied
    if entry.status != HoursStatus.SUBMITTED:
        raise ValidationError(_("Bestätigte oder abgelehnte Stunden können Sie nicht mehr zurückziehen."))
    with transaction.atomic():
        cancel(kind="recognition.hours_waiting", refs={"hours_entry": entry.pk})
        entry.delete()


def _members(organisation_id: int) -> list[User]:
    return [
        membership.user
        for membership in OrganisationMembership.objects.filter(organisation_id=organisation_id)
        .select_related("user")
        .order_by("pk")
    ]


def _lock_for_member(
    *, actor: User, organisation: Organisation, entry_ids: Iterable[int]
) -> list[HoursEntry]:
    if not OrganisationMembership.objects.filter(organisation=organisation, user=actor).exists():
        raise PermissionDenied
    ids = sorted(set(entry_ids))
    entries = list(
        HoursEntry.objects.select_for_update()
        .filter(pk__in=ids, organisation=organisation, engagement__isnull=False)
        .order_by("pk")
    )
    if len(entries) != len(ids):
        # An id of another organisation (or an unknown one): the caller answers 404; nothing changes.
        raise HoursEntry.DoesNotExist
    return entries


def hours_confirm(*, actor: User, organisation: Organisation, entry_ids: Iterable[int]) -> list[HoursEntry]:
    """Returns the entries now confirmed (already confirmed ones stay as they are); checks milestones.

    Raises HoursEntry.DoesNotExist if any id is not an entry of the organisation (nothing changes).
    """
    with transaction.atomic():
        entries = _lock_for_member(actor=actor, organisation=organisation, entry_ids=entry_ids)
        changed = [entry for entry in entries if entry.status != HoursStatus.CONFIRMED]
        now = clock.now()
        for entry in changed:
            entry.status = HoursStatus.CONFIRMED
            entry.rejection_reason = ""
            entry.decided_by = actor
            entry.decided_at = now
            entry.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
            cancel(kind="recognition.hours_waiting", refs={"hours_entry": entry.pk})
        for volunteer_id in sorted({entry.volunteer_id for entry in changed}):
            milestones_check_hours(volunteer=User.objects.get(pk=volunteer_id), organisation=organisation)
    return changed


def hours_reject(
    *, actor: User, organisation: Organisation, entry_ids: Iterable[int], reason: str
) -> list[HoursEntry]:
    """Returns the entries now rejected, with the reason shown to the volunteer (who is notified)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Bitte schreiben Sie kurz, warum Sie die Stunden nicht bestätigen."))
    if len(reason) > 300:
        raise ValidationError(_("Der Grund darf höchstens 300 Zeichen lang sein."))
    with transaction.atomic():
        entries = _lock_for_member(actor=actor, organisation=organisation, entry_ids=entry_ids)
        changed = [entry for entry in entries if entry.status == HoursStatus.SUBMITTED]
        now = clock.now()
        for entry in changed:
            entry.status = HoursStatus.REJECTED
            entry.rejection_reason = reason
            entry.decided_by = actor
            entry.decided_at = now
            entry.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
            cancel(kind="recognition.hours_waiting", refs={"hours_entry": entry.pk})
            notify(
                kind="recognition.hours_rejected", recipient=entry.volunteer, refs={"hours_entry": entry.pk}
            )
    return changed


# --- Milestones and thanks ------------------------------------------------------------------------------
def _today() -> date:
    return clock.now().astimezone(clock.zone()).date()


def confirmed_minutes(volunteer: User) -> int:
    """Returns the volunteer's confirmed minutes across all organisations."""
    total = HoursEntry.objects.filter(volunteer=volunteer, status=HoursStatus.CONFIRMED).aggregate(
        total=Sum("minutes")
    )["total"]
    return total or 0


def milestones_check_hours(*, volunteer: User, organisation: Organisation | None) -> list[Milestone]:
    """Returns the hours milestones the volunteer has newly reached (each once, ever)."""
    # One check per person at a time: two confirmations that only cross a threshold together must not
    # both count without the other's hours (the lock waits for the other transaction's commit).
    User.objects.select_for_update().filter(pk=volunteer.pk).values_list("pk", flat=True).first()
    hours = confirmed_minutes(volunteer) // 60
    reached = []
    for threshold, kind in HOURS_MILESTONES.items():
        if hours >= threshold:
            milestone = milestone_reach(volunteer=volunteer, kind=kind, organisation=organisation)
            if milestone is not None:
                reached.append(milestone)
    return reached


def first_engagement_start(volunteer: User) -> tuple[date, Organisation | None] | None:
    """Returns the start of the first engagement (or first confirmed hours) and its organisation."""
    engagement = Engagement.objects.filter(volunteer=volunteer).select_related("organisation")
    first = engagement.order_by("starts_on", "pk").first()
    entry = (
        HoursEntry.objects.filter(volunteer=volunteer, status=HoursStatus.CONFIRMED)
        .select_related("organisation")
        .order_by("worked_on", "pk")
        .first()
    )
    candidates = []
    if first is not None:
        candidates.append((first.starts_on, first.organisation))
    if entry is not None:
        candidates.append((entry.worked_on, entry.organisation))
    if not candidates:
        return None
    return min(candidates, key=lambda candidate: candidate[0])


def _years_between(start: date, end: date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def milestones_check_dates(*, volunteer: User, on: date | None = None) -> list[Milestone]:
    """Returns the first-engagement and years milestones newly reached on `on` (default: today)."""
    on = on or _today()
    start = first_engagement_start(volunteer)
    if start is None:
        return []
    started_on, organisation = start
    reached = []
    if started_on <= on and Engagement.objects.filter(volunteer=volunteer, starts_on__lte=on).exists():
        milestone = milestone_reach(
            volunteer=volunteer, kind=MilestoneKind.FIRST_ENGAGEMENT, organisation=organisation
        )
        if milestone is not None:
            reached.append(milestone)
    years = _years_between(started_on, on)
    for threshold, kind in YEARS_MILESTONES.items():
        if years >= threshold:
            milestone = milestone_reach(volunteer=volunteer, kind=kind, organisation=organisation)
            if milestone is not None:
                reached.append(milestone)
    return reached


def milestones_check_all(*, on: date | None = None) -> int:
    """Checks the date milestones of every person with an engagement or confirmed hours; returns how many."""
    volunteer_ids = set(Engagement.objects.values_list("volunteer_id", flat=True)) | set(
        HoursEntry.objects.filter(status=HoursStatus.CONFIRMED).values_list("volunteer_id", flat=True)
    )
    count = 0
    for volunteer in User.objects.filter(pk__in=volunteer_ids, is_active=True).order_by("pk").iterator():
        with transaction.atomic():
            count += len(milestones_check_dates(volunteer=volunteer, on=on))
    return count


def _thanks_key(thank_you: ThankYou) -> str:
    return f"recognition.thanks:{thank_you.pk}"


def milestone_reach(*, volunteer: User, kind: str, organisation: Organisation | None) -> Milestone | None:
    """Records the milestone and schedules its thank-you; returns None if it was reached before."""
    with transaction.atomic():
        milestone = Milestone(volunteer=volunteer, kind=kind, reached_on=_today(), organisation=organisation)
        try:
            with transaction.atomic():
                milestone.save()
        except IntegrityError:
            return None  # reached before (or concurrently): exactly one thank-you per milestone
        signature = organisation.name if organisation is not None else _("Ihre Ehrenamtskoordination")
        thank_you = ThankYou.objects.create(
            milestone=milestone,
            organisation=organisation,
            text="",
            signature=signature[:200],
            send_after=clock.now() + THANKS_DELAY,
        )
        schedule(
            kind="recognition.thanks",
            recipient=volunteer,
            due=thank_you.send_after,
            refs={"thank_you": thank_you.pk},
            key=_thanks_key(thank_you),
        )
    return milestone


def _can_edit_thanks(actor: User, thank_you: ThankYou) -> bool:
    if thank_you.organisation_id is not None:
        return OrganisationMembership.objects.filter(
            organisation_id=thank_you.organisation_id, user=actor
        ).exists()
    from volunteering.selectors.recognition import coordinates_volunteer

    return coordinates_volunteer(actor, thank_you.milestone.volunteer)


def thanks_update(*, actor: User, thank_you: ThankYou, text: str, signature: str, send_now: bool) -> ThankYou:
    """Returns the thank-you with the edited text; sent at once when asked, otherwise at `send_after`."""
    if not _can_edit_thanks(actor, thank_you):
        raise PermissionDenied
    text, signature = text.strip(), signature.strip()
    with transaction.atomic():
        thank_you = ThankYou.objects.select_for_update().get(pk=thank_you.pk)
        if thank_you.status == ThankYouStatus.SENT or thank_you.send_after <= clock.now():
            raise ValidationError(_("Dieses Dankeschön ist schon verschickt."))
        thank_you.text = text
        thank_you.signature = signature or thank_you.signature
        thank_you.edited_by = actor
        thank_you.full_clean()
        fields = ["text", "signature", "edited_by"]
        if send_now:
            cancel(key=_thanks_key(thank_you))
            thank_you.status = ThankYouStatus.SENT
            thank_you.sent_at = thank_you.send_after = clock.now()
            fields += ["status", "sent_at", "send_after"]
            notify(
                kind="recognition.thanks",
                recipient=thank_you.milestone.volunteer,
                refs={"thank_you": thank_you.pk},
                key=_thanks_key(thank_you) + ":now",
            )
        thank_you.save(update_fields=fields)
    return thank_you


# --- The volunteer's settings ---------------------------------------------------------------------------
def recognition_settings_update(*, user: User, **values) -> RecognitionSettings:
    """Returns the volunteer's saved recognition settings (allowance, earlier years, public badges)."""
    allowed = {"allowance_kind", "allowance_eur_per_year", "years_before_platform", "public_badges"}
    with transaction.atomic():
        settings_row, _created = RecognitionSettings.objects.select_for_update().get_or_create(user=user)
        for name, value in values.items():
            if name in allowed:
                setattr(settings_row, name, value)
        if settings_row.public_badges and not settings_row.public_slug:
            import secrets

            settings_row.public_slug = secrets.token_urlsafe(12).lower().replace("_", "-")
        settings_row.full_clean()
        settings_row.save()
    return settings_row


def milestone_set_public(*, user: User, milestone: Milestone, public: bool) -> Milestone:
    """Returns the volunteer's milestone shown on (or hidden from) the public profile."""
    if milestone.volunteer_id != user.pk:
        raise PermissionDenied
    milestone.show_publicly = public
    milestone.save(update_fields=["show_publicly"])
    return milestone


# --- Story nominations ----------------------------------------------------------------------------------
# The story pages live in cms; volunteering refers to them lazily (apps.get_model / import_string), never
# by import, so that cms stays the only app that knows its page models.
def _can_nominate(actor: User, volunteer: User, organisation: Organisation | None) -> bool:
    from volunteering.selectors.recognition import coordinates_volunteer

    if organisation is not None:
        return (
            OrganisationMembership.objects.filter(organisation=organisation, user=actor).exists()
            and Engagement.objects.filter(organisation=organisation, volunteer=volunteer).exists()
        )
    return coordinates_volunteer(actor, volunteer)


def nomination_create(
    *, actor: User, volunteer: User, text: str, organisation: Organisation | None = None
) -> StoryNomination:
    """Returns a new nomination; the volunteer is asked for consent (no story exists before that)."""
    if not _can_nominate(actor, volunteer, organisation):
        raise PermissionDenied
    text = text.strip()
    with transaction.atomic():
        if StoryNomination.objects.filter(volunteer=volunteer, status=NominationStatus.ASKED).exists():
            raise ValidationError(_("Diese Person wurde schon vorgeschlagen und hat noch nicht geantwortet."))
        nomination = StoryNomination(
            volunteer=volunteer, organisation=organisation, nominated_by=actor, text=text
        )
        nomination.full_clean()
        nomination.save()
        notify(kind="recognition.nomination", recipient=volunteer, refs={"story_nomination": nomination.pk})
    return nomination


def _story_index():
    return (
        apps.get_model("cms", "StoryIndexPage")
        .objects.filter(locale__language_code=settings.LANGUAGE_CODE)
        .first()
    )


def _create_draft_story(nomination: StoryNomination):
    """Returns a new unpublished StoryPage under the story index, with the nomination text and consent."""
    index_page = _story_index()
    if index_page is None:
        raise ValidationError(_("Im Moment können keine Geschichten angelegt werden."))
    story_model = apps.get_model("cms", "StoryPage")
    consent_model = apps.get_model("cms", "StoryConsent")
    volunteer = nomination.volunteer
    profile = VolunteerProfile.objects.filter(user=volunteer).first()
    name = (profile.display_name if profile else "") or volunteer.first_name or _("Freiwillige Person")
    base = slugify(f"geschichte-{name}")[:50] or "geschichte"
    slug, number = base, 1
    while index_page.get_children().filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    text = nomination.text
    page = story_model(
        title=_("Geschichte über %(name)s") % {"name": name},
        slug=slug,
        portrayed_name=name[:120],
        portrayed_user=volunteer,
        # Editors write the quote with the person; the draft says so instead of inventing one.
        quote=_("Zitat noch mit der Person abstimmen"),
        intro=text[:600],
        body=[
            ("paragraph", RichText("".join(f"<p>{escape(part)}</p>" for part in text.split("\n") if part)))
        ],
        kommune=profile.kommune if profile else None,
        live=False,
    )
    index_page.add_child(instance=page)
    consent_model.objects.create(
        page=page,
        given_by=name[:120],
        given_at=_today(),
        scope="website",
        recorded_by=_("Zustimmung in „Mein Bereich“"),
    )
    page.save_revision(user=None, log_action=True)
    return page


def nomination_answer(*, volunteer: User, nomination: StoryNomination, consent: bool) -> StoryNomination:
    """Returns the nomination after the volunteer's answer; consent creates a draft story for the editors."""
    if nomination.volunteer_id != volunteer.pk:
        raise PermissionDenied
    with transaction.atomic():
        nomination = StoryNomination.objects.select_for_update().get(pk=nomination.pk)
        if nomination.status != NominationStatus.ASKED:
            raise ValidationError(_("Auf diese Anfrage haben Sie schon geantwortet."))
        nomination.decided_at = clock.now()
        if consent:
            with translation.override(settings.LANGUAGE_CODE):  # the draft is a German page
                page = _create_draft_story(nomination)
            nomination.status = NominationStatus.CONSENTED
            nomination.story_page_id = page.pk
        else:
            nomination.status = NominationStatus.DECLINED
        nomination.save(update_fields=["status", "decided_at", "story_page_id"])
    return nomination


def nomination_revoke(*, volunteer: User, nomination: StoryNomination) -> StoryNomination:
    """Returns the nomination after the person revoked consent; the story goes offline (cms' revocation)."""
    if nomination.volunteer_id != volunteer.pk:
        raise PermissionDenied
    with transaction.atomic():
        nomination = StoryNomination.objects.select_for_update().get(pk=nomination.pk)
        if nomination.status != NominationStatus.CONSENTED:
            raise ValidationError(_("Hier gibt es keine Zustimmung zu widerrufen."))
        consent_model = apps.get_model("cms", "StoryConsent")
        consent = consent_model.objects.filter(
            page_id=nomination.story_page_id, revoked_at__isnull=True
        ).first()
        if consent is not None:
            import_string("cms.services.story_consent_revoke")(consent=consent, actor=volunteer)
        nomination.status = NominationStatus.REVOKED
        nomination.decided_at = clock.now()
        nomination.save(update_fields=["status", "decided_at"])
    return nomination


# --- Letters: the hours confirmation for the Ehrenamtskarte and the Engagementnachweis ------------------
# Both are letters of the shared machinery (volunteering/letters/, kinds in letters/recognition_kinds.py):
# what they state is frozen in the IssuedLetter with a verification code and a public verification page.
def _person_name(user: User) -> str:
    return user.get_full_name() or user.email


def _hours_text(minutes: int) -> str:
    hours = Decimal(minutes) / 60
    text = f"{hours.quantize(Decimal('0.01')):.2f}".replace(".", ",").removesuffix(",00")
    return _("%(hours)s Stunden") % {"hours": text}


def _allowance_text(settings_row: RecognitionSettings) -> str:
    if settings_row.allowance_kind == RecognitionSettings.Allowance.NONE:
        return _("Keine pauschale Aufwandsentschädigung")
    return _("%(kind)s: %(amount)s € im Jahr") % {
        "kind": settings_row.get_allowance_kind_display(),
        "amount": settings_row.allowance_eur_per_year,
    }


def _hours_confirmation_stated(
    volunteer: User, organisation: Organisation, per_year: list[tuple[date, date, int]], today: date
) -> dict:
    """Returns what the hours confirmation states (in the active language)."""
    from volunteering.selectors.recognition import settings_of

    total = sum(minutes for _after, _up_to, minutes in per_year)
    start = per_year[-1][0]
    days = (today - start).days
    activities = sorted(
        {
            title
            for title in Engagement.objects.filter(
                volunteer=volunteer, organisation=organisation
            ).values_list("need__title", flat=True)
            if title
        }
    )
    return {
        "name": _person_name(volunteer),
        "organisation": organisation.name,
        "activity": ", ".join(activities) or _("Ehrenamtliche Mitarbeit"),
        "period_from": start + timedelta(days=1),
        "period_to": today,
        "hours_total": _hours_text(total),
        "hours_per_year": [
            _("%(start)s bis %(end)s: %(hours)s")
            % {
                "start": (after + timedelta(days=1)).strftime("%d.%m.%Y"),
                "end": up_to.strftime("%d.%m.%Y"),
                "hours": _hours_text(minutes),
            }
            for after, up_to, minutes in per_year
        ],
        "weekly_average": _hours_text(total * 7 // days if days else 0),
        "allowance": _allowance_text(settings_of(volunteer)),
    }


def hours_confirmation_issue(*, volunteer: User, organisation: Organisation):
    """Returns the letter confirming the hours the organisation confirmed for the volunteer over the
    town's prior-engagement period (1 or 2 years up to today); an identical, unrevoked letter is reused.

    Raises ValidationError if the organisation confirmed no hours in that period.
    """
    from volunteering import ehrenamtskarte
    from volunteering.letters.recognition_kinds import HOURS_CONFIRMATION
    from volunteering.models import IssuedLetter
    from volunteering.selectors.recognition import confirmed_minutes_for, town_rules
    from volunteering.services.letters import letter_issue

    town = town_rules(volunteer)
    today = _today()
    windows = ehrenamtskarte.year_windows(today, town.prior_years if town else 2)
    per_year = [
        (after, up_to, confirmed_minutes_for(volunteer, organisation, after=after, up_to=up_to))
        for after, up_to in windows
    ]
    if not any(minutes for _after, _up_to, minutes in per_year):
        raise ValidationError(_("Für diesen Zeitraum hat die Organisation noch keine Stunden bestätigt."))
    with translation.override(settings.LANGUAGE_CODE):  # letters are German
        stated = _hours_confirmation_stated(volunteer, organisation, per_year, today)
    with transaction.atomic():
        letter = letter_issue(
            kind=HOURS_CONFIRMATION.name,
            subject=volunteer,
            issued_by=None,
            stated=stated,
            organisation=organisation,
        )
        earlier = (
            IssuedLetter.objects.filter(
                kind=HOURS_CONFIRMATION.name,
                subject=volunteer,
                organisation=organisation,
                revoked_at__isnull=True,
                stated=letter.stated,
            )
            .exclude(pk=letter.pk)
            .order_by("pk")
            .first()
        )
        if earlier is not None:
            letter.delete()  # nothing changed since: keep one letter (and one code) for the same facts
            return earlier
    return letter


def certificate_issue(
    *,
    actor: User,
    engagement: Engagement,
    area: str,
    period_from: date,
    period_to: date,
    scope: str,
    description: str,
    thanks: str,
    tasks: str = "",
    competencies: Sequence[str] = (),
) -> EngagementCertificate:
    """Returns the Engagementnachweis an organisation member wrote for one of its engagements, issued as a
    letter with a verification code (the volunteer downloads it in Mein Bereich)."""
    from volunteering.letters.recognition_kinds import ENGAGEMENT_CERTIFICATE
    from volunteering.selectors.recognition import confirmed_minutes_for
    from volunteering.services.letters import letter_issue

    if not OrganisationMembership.objects.filter(
        organisation_id=engagement.organisation_id, user=actor
    ).exists():
        raise PermissionDenied
    if period_to < period_from:
        raise ValidationError(_("Das Ende des Zeitraums muss nach dem Beginn liegen."))
    with transaction.atomic():
        certificate = EngagementCertificate(
            engagement=engagement,
            area=area.strip(),
            period_from=period_from,
            period_to=period_to,
            scope=scope.strip(),
            description=description.strip(),
            tasks=tasks.strip(),
            competencies=[value for value in competencies if value in Competency.values],
            thanks=thanks.strip(),
            written_by=actor,
        )
        certificate.full_clean()
        certificate.save()
        minutes = confirmed_minutes_for(
            engagement.volunteer,
            engagement.organisation,
            after=period_from - timedelta(days=1),
            up_to=period_to,
        )
        with translation.override(settings.LANGUAGE_CODE):  # letters are German
            stated = {
                "name": _person_name(engagement.volunteer),
                "organisation": engagement.organisation.name,
                "area": certificate.area,
                "period_from": certificate.period_from,
                "period_to": certificate.period_to,
                "scope": certificate.scope,
                "confirmed_hours": _hours_text(minutes) if minutes else "",
                "description": certificate.description,
                "tasks": certificate.tasks,
                "competencies": certificate.competency_labels(),
                "thanks": certificate.thanks,
                "signed_by": _person_name(actor),
            }
        letter = letter_issue(
            kind=ENGAGEMENT_CERTIFICATE.name,
            subject=engagement.volunteer,
            issued_by=actor,
            stated=stated,
            organisation=engagement.organisation,
        )
        certificate.letter_id = letter.pk
        certificate.save(update_fields=["letter_id"])
    return certificate


# --- Recognition events ---------------------------------------------------------------------------------
EVENT_REMINDER_BEFORE = timedelta(days=2)


def _event_reminder_key(invitation) -> str:
    return f"recognition.event_reminder:{invitation.pk}"


def event_create(*, actor: User, kommunen=(), **details):
    """Returns a new recognition event of a coordinator; towns outside the coordinator's are refused."""
    from volunteering.models import RecognitionEvent
    from volunteering.selectors.roles import coordinator_kommunen, is_coordinator

    if not is_coordinator(actor):
        raise PermissionDenied
    allowed = set(coordinator_kommunen(actor).values_list("pk", flat=True))
    if any(kommune.pk not in allowed for kommune in kommunen):
        raise PermissionDenied
    if details["starts_at"] <= clock.now():
        raise ValidationError(_("Die Veranstaltung muss in der Zukunft liegen."))
    with transaction.atomic():
        event = RecognitionEvent(created_by=actor, **details)
        event.full_clean()
        event.save()
        event.kommunen.set(kommunen)
    return event


def event_invite(*, actor: User, event) -> int:
    """Invites every volunteer who meets the event's criteria and is not invited yet; returns how many.

    Each invitation is notified now and reminded two days before (the reminder is cancelled by a "no").
    """
    from volunteering.models import EventInvitation
    from volunteering.selectors.recognition import event_candidates, events_for_coordinator

    if not events_for_coordinator(actor).filter(pk=event.pk).exists():
        raise PermissionDenied
    if event.starts_at <= clock.now():
        raise ValidationError(_("Die Veranstaltung hat schon begonnen."))
    invited = 0
    with transaction.atomic():
        already = EventInvitation.objects.filter(event=event).values("volunteer_id")
        for volunteer in event_candidates(event, coordinator=actor).exclude(pk__in=already):
            invitation = EventInvitation.objects.create(event=event, volunteer=volunteer)
            notify(
                kind="recognition.event_invitation",
                recipient=volunteer,
                refs={"event_invitation": invitation.pk},
            )
            reminder_at = event.starts_at - EVENT_REMINDER_BEFORE
            if reminder_at > clock.now():
                schedule(
                    kind="recognition.event_reminder",
                    recipient=volunteer,
                    due=reminder_at,
                    refs={"event_invitation": invitation.pk},
                    key=_event_reminder_key(invitation),
                )
            invited += 1
    return invited


def event_rsvp(*, volunteer: User, invitation, attending: bool):
    """Returns the invitation with the volunteer's answer; a "no" cancels the reminder."""
    from volunteering.models import EventInvitation, RsvpStatus

    if invitation.volunteer_id != volunteer.pk:
        raise PermissionDenied
    with transaction.atomic():
        invitation = EventInvitation.objects.select_for_update().select_related("event").get(pk=invitation.pk)
        if invitation.event.starts_at <= clock.now():
            raise ValidationError(_("Die Veranstaltung hat schon begonnen."))
        said_no_before = invitation.rsvp == RsvpStatus.NO
        invitation.rsvp = RsvpStatus.YES if attending else RsvpStatus.NO
        invitation.responded_at = clock.now()
        invitation.save(update_fields=["rsvp", "responded_at"])
        refs = {"event_invitation": invitation.pk}
        if not attending:
            cancel(kind="recognition.event_reminder", refs=refs)
        elif said_no_before and invitation.event.starts_at - EVENT_REMINDER_BEFORE > clock.now():
            schedule(
                kind="recognition.event_reminder",
                recipient=volunteer,
                due=invitation.event.starts_at - EVENT_REMINDER_BEFORE,
                refs=refs,
                key=f"{_event_reminder_key(invitation)}:{invitation.responded_at.timestamp():.0f}",
            )
    return invitation
