"""Taster offers: booking, the waitlist with automatic promotion, cancellation, attendance, conversion.

Seats: every booking and cancellation locks the offer's page row (`select_for_update` on the specific
TasterOfferPage row of the German source page), so concurrent bookings of the last seat are serialised
and exactly one of them gets it; the others land on the waitlist.

Messages go through the outbox in the same transaction: a confirmation, a reminder two days before and a
follow-up the day after ("Wie war es?" with the organisation's open needs). Both scheduled rows carry keys
derived from the booking and are cancelled with it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time, timedelta

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from notifications import clock
from notifications.services import cancel, notify, schedule
from volunteering.models import (
    Application,
    OrganisationMembership,
    TasterSignup,
    TasterSignupStatus,
    User,
)
from volunteering.selectors.tasters import booked_count, live_signup, waitlist

REMINDER_BEFORE = timedelta(days=2)
FOLLOW_UP_AT = time(10, 0)  # local time on the day after the offer

# Called with the offer's (source page's) id after a commit that changed its seats or waitlist. The cms
# app registers the purge of its page cache here (CmsConfig.ready()); volunteering never imports cms.
_seats_changed_hooks: list[Callable[[int], None]] = []


def on_seats_changed(hook: Callable[[int], None]) -> None:
    """Registers `hook(offer_id)` to run after every commit that changed an offer's seats (idempotent)."""
    if hook not in _seats_changed_hooks:
        _seats_changed_hooks.append(hook)


def _seats_changed(offer) -> None:
    offer_id = offer.pk
    for hook in _seats_changed_hooks:
        transaction.on_commit(lambda hook=hook: hook(offer_id))


def _lock(offer):
    """Returns the offer's page row, locked until the end of the transaction."""
    model = apps.get_model("cms", "TasterOfferPage")
    return model.objects.select_for_update(of=("self",)).get(pk=offer.pk)


def _reminder_key(signup: TasterSignup) -> str:
    return f"taster.reminder:{signup.pk}"


def _follow_up_key(signup: TasterSignup) -> str:
    return f"taster.follow_up:{signup.pk}"


def _schedule_messages(signup: TasterSignup, offer) -> None:
    """Schedules the reminder (if it is still ahead) and the follow-up for a booked seat."""
    now = clock.now()
    reminder_at = offer.starts_at - REMINDER_BEFORE
    if reminder_at > now:
        schedule(
            kind="taster.reminder",
            recipient=signup.user,
            due=reminder_at,
            refs={"taster_signup": signup.pk},
            key=_reminder_key(signup),
        )
    day_after = offer.starts_at.astimezone(clock.zone()).date() + timedelta(days=1)
    schedule(
        kind="taster.follow_up",
        recipient=signup.user,
        due=clock.local_datetime(day_after, FOLLOW_UP_AT),
        refs={"taster_signup": signup.pk},
        key=_follow_up_key(signup),
    )


def taster_book(*, offer, user: User) -> TasterSignup:
    """Returns the person's booking of `offer` (the German source page): a seat, or a waitlist place.

    Raises ValidationError when the offer is not bookable or the person has booked it already.
    """
    with transaction.atomic():
        offer = _lock(offer)
        if not offer.live or offer.source.pk != offer.pk:
            raise ValidationError(_("Dieses Schnupperangebot kann man nicht mehr buchen."))
        if offer.starts_at <= clock.now():
            raise ValidationError(_("Dieses Schnupperangebot hat schon begonnen."))
        if live_signup(offer=offer, user=user) is not None:
            raise ValidationError(_("Sie haben dieses Schnupperangebot schon gebucht."))
        full = booked_count(offer) >= offer.capacity
        signup = TasterSignup(
            offer=offer,
            user=user,
            status=TasterSignupStatus.WAITLISTED if full else TasterSignupStatus.BOOKED,
        )
        signup.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                signup.save()
        except IntegrityError:
            raise ValidationError(_("Sie haben dieses Schnupperangebot schon gebucht.")) from None
        _seats_changed(offer)
        refs = {"taster_signup": signup.pk}
        if full:
            notify(kind="taster.waitlisted", recipient=user, refs=refs)
        else:
            notify(kind="taster.booked", recipient=user, refs=refs)
            _schedule_messages(signup, offer)
    return signup


def taster_cancel(*, signup: TasterSignup, actor: User) -> TasterSignup:
    """Returns the cancelled booking; a freed seat goes to the first person on the waitlist (notified)."""
    if signup.user_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        offer = _lock(signup.offer)
        signup = TasterSignup.objects.select_for_update().get(pk=signup.pk)
        if not signup.is_open:
            raise ValidationError(_("Diese Buchung ist schon abgesagt oder vorbei."))
        if offer.starts_at <= clock.now():
            raise ValidationError(_("Das Schnupperangebot hat schon begonnen."))
        had_seat = signup.status == TasterSignupStatus.BOOKED
        signup.status = TasterSignupStatus.CANCELLED
        signup.cancelled_at = clock.now()
        signup.save(update_fields=["status", "cancelled_at"])
        cancel(key=_reminder_key(signup))
        cancel(key=_follow_up_key(signup))
        _seats_changed(offer)
        if had_seat:
            _promote(offer)
    return signup


def _promote(offer) -> TasterSignup | None:
    """Gives free seats to the waitlist in order; returns the last person promoted."""
    promoted = None
    while booked_count(offer) < offer.capacity:
        first = waitlist(offer).select_for_update().first()
        if first is None:
            break
        first.status = TasterSignupStatus.BOOKED
        first.promoted_at = clock.now()
        first.save(update_fields=["status", "promoted_at"])
        notify(kind="taster.promoted", recipient=first.user, refs={"taster_signup": first.pk})
        _schedule_messages(first, offer)
        promoted = first
    return promoted


def taster_mark_attendance(*, signup: TasterSignup, actor: User, attended: bool) -> TasterSignup:
    """Returns the booking marked as attended or not shown, by a member of the offering organisation."""
    with transaction.atomic():
        signup = TasterSignup.objects.select_for_update().select_related("offer").get(pk=signup.pk)
        offer = signup.offer
        if not OrganisationMembership.objects.filter(
            organisation_id=offer.organisation_id, user=actor
        ).exists():
            raise PermissionDenied
        if signup.status not in (
            TasterSignupStatus.BOOKED,
            TasterSignupStatus.ATTENDED,
            TasterSignupStatus.NO_SHOW,
        ):
            raise ValidationError(_("Nur gebuchte Plätze können Sie als teilgenommen eintragen."))
        if offer.starts_at > clock.now():
            raise ValidationError(_("Die Teilnahme können Sie eintragen, sobald das Angebot begonnen hat."))
        signup.status = TasterSignupStatus.ATTENDED if attended else TasterSignupStatus.NO_SHOW
        signup.attendance_marked_at = clock.now()
        signup.save(update_fields=["status", "attendance_marked_at"])
        if not attended:
            cancel(key=_follow_up_key(signup))
        _credit_taster_hours(signup, offer, attended=attended)
    return signup


TASTER_DEFAULT_HOURS = 2  # credited for an offer without an end time


def _credit_taster_hours(signup: TasterSignup, offer, *, attended: bool) -> None:
    """Credits the offer's duration as confirmed hours for an attendance (withdraws it for a no-show)."""
    from volunteering.services.recognition import credit_attendance, credit_attendance_withdraw

    if not attended:
        credit_attendance_withdraw(signup.user, source="taster", source_id=signup.pk)
        return
    if offer.ends_at and offer.ends_at > offer.starts_at:
        hours = (offer.ends_at - offer.starts_at).total_seconds() / 3600
    else:
        hours = TASTER_DEFAULT_HOURS
    credit_attendance(
        signup.user,
        source="taster",
        source_id=signup.pk,
        on_date=offer.starts_at.astimezone(clock.zone()).date(),
        hours=hours,
        organisation=offer.organisation,
    )


def taster_conversion_record(*, application: Application) -> int:
    """Records that people who tried the organisation out have now applied to it; returns how many rows."""
    return TasterSignup.objects.filter(
        user_id=application.volunteer_id,
        offer__organisation_id=application.need.organisation_id,
        status__in=[TasterSignupStatus.ATTENDED, TasterSignupStatus.BOOKED],
        converted_application__isnull=True,
        created_at__lte=application.created_at,
    ).update(converted_application=application, converted_at=application.created_at)


def taster_offer_propose(*, organisation, actor: User, details: dict) -> object:
    """Returns a new draft TasterOfferPage of `organisation`, submitted to the editors' moderation workflow.

    Only admins of the organisation propose offers; the editors check and publish them in the Wagtail admin.
    """
    from django.utils.text import slugify

    from volunteering.selectors.tasters import taster_index_page

    if not OrganisationMembership.objects.filter(
        organisation=organisation, user=actor, role="admin"
    ).exists():
        raise PermissionDenied
    index_page = taster_index_page()
    if index_page is None:
        raise ValidationError(_("Im Moment können keine Schnupperangebote vorgeschlagen werden."))
    model = apps.get_model("cms", "TasterOfferPage")
    languages = details.get("languages") or []
    with transaction.atomic():
        base = slugify(details["title"])[:60] or "schnupperangebot"
        slug, number = base, 1
        while index_page.get_children().filter(slug=slug).exists():
            number += 1
            slug = f"{base}-{number}"
        page = model(
            title=details["title"],
            slug=slug,
            organisation=organisation,
            starts_at=details["starts_at"],
            ends_at=details.get("ends_at"),
            place=details["place"],
            kommune=details["kommune"],
            capacity=details["capacity"],
            what_to_expect=details["what_to_expect"],
            accessibility=details.get("accessibility", ""),
            need=details.get("need"),
            live=False,
            owner=actor,
        )
        page.languages.set(languages)
        index_page.add_child(instance=page)
        # Mirror the new page into the synchronised language trees, as creating it in the admin would.
        from wagtail_localize.synctree import create_aliases_for_new_page

        create_aliases_for_new_page(page)
        revision = page.save_revision(user=actor, log_action=True)
        workflow = page.get_workflow()
        if workflow is not None:
            workflow.start(page, actor)
        del revision
    return page
