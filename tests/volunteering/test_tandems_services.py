"""Tandem services: requests, proposals, the lifecycle with its guards, check-ins, batch runs, retention."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from notifications import clock
from notifications.models import Notification
from tests.volunteering.tandems_world import make_request, make_volunteer
from volunteering.models import (
    Kommune,
    MatchingRun,
    Tandem,
    TandemCheckIn,
    TandemRequest,
    TandemRequestStatus,
    TandemStatus,
)
from volunteering.selectors.tandems import open_request_facts, open_requests, request_facts, volunteer_facts
from volunteering.services import tandems as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def helper(reference_data):
    return make_volunteer("helferin@example.org", first_name="Helga")


def _to_active(tandem, coordinator, *, ends_on=None):
    services.tandem_accept(tandem=tandem, actor=tandem.volunteer)
    services.tandem_mark_contacted(tandem=tandem, actor=coordinator, method="coordinator")
    services.tandem_plan_meeting(
        tandem=tandem, actor=coordinator, at=clock.now() + timedelta(days=2), place="Café am Rathaus"
    )
    return services.tandem_activate(
        tandem=tandem,
        actor=coordinator,
        scope="Deutsch üben, einmal pro Woche.",
        ends_on=ends_on or clock.now().date() + timedelta(days=365),
    )


# --- Requests -------------------------------------------------------------------------------------------
def test_a_request_records_its_consent_and_confirms_in_the_newcomers_language(reference_data, coordinator):
    request = make_request(contact_language="uk")

    assert request.status == TandemRequestStatus.OPEN
    assert request.consent_text.kind == "tandem"
    assert request.consent_recorded_by == "self" and request.consent_given_at is not None
    assert request.kommune.name == "Verl" and request.latitude == request.kommune.latitude
    confirmation = Notification.objects.get(kind="tandem.request_received")
    assert (confirmation.email, confirmation.language, confirmation.refs) == (
        "olena@example.org",
        "uk",
        {"tandem_request": request.pk},
    )
    assert Notification.objects.filter(kind="tandem.request_new", recipient=coordinator).exists()


def test_a_request_needs_an_email_address_or_a_phone_number(reference_data):
    with pytest.raises(ValidationError):
        make_request(email="", phone="")
    assert not TandemRequest.objects.exists()


def test_a_request_by_phone_only_sends_no_email(reference_data):
    request = make_request(email="", phone="05241 12345")
    assert request.phone and not Notification.objects.filter(kind="tandem.request_received").exists()


def test_only_a_coordinator_of_the_town_records_an_intake(reference_data, town_coordinator_other_town):
    from tests.volunteering.tandems_world import ensure_tandem_consent_text, request_details

    ensure_tandem_consent_text()
    with pytest.raises(PermissionDenied):
        services.tandem_request_submit(
            details=request_details(town="Verl"),
            consent_recorded_by="coordinator",
            consent_language="de",
            recorded_by=town_coordinator_other_town,
        )
    request = services.tandem_request_submit(
        details=request_details(town="Harsewinkel"),
        consent_recorded_by="coordinator",
        consent_language="uk",
        recorded_by=town_coordinator_other_town,
    )
    assert request.recorded_by == town_coordinator_other_town


# --- Proposals and the volunteer's answer ---------------------------------------------------------------
def test_proposing_asks_the_volunteer_and_takes_the_request_out_of_the_queue(helper, coordinator):
    request = make_request()

    tandem = services.tandem_propose(request=request, volunteer=helper, actor=coordinator)

    request.refresh_from_db()
    assert tandem.status == TandemStatus.PROPOSED and request.status == TandemRequestStatus.PROPOSED
    assert tandem.score > 0 and "language" in tandem.score_terms
    assert Notification.objects.filter(kind="tandem.proposed", recipient=helper).exists()


def test_a_proposal_that_breaks_a_hard_rule_is_refused_and_changes_nothing(reference_data, coordinator):
    no_ukrainian = make_volunteer("nur-deutsch@example.org", languages={"de": 7})
    request = make_request(languages={"uk": 7})

    with pytest.raises(ValidationError):
        services.tandem_propose(request=request, volunteer=no_ukrainian, actor=coordinator)

    request.refresh_from_db()
    assert request.status == TandemRequestStatus.OPEN and not Tandem.objects.exists()


def test_a_coordinator_of_another_town_cannot_propose(helper, town_coordinator_other_town):
    request = make_request(town="Verl")
    with pytest.raises(PermissionDenied):
        services.tandem_propose(request=request, volunteer=helper, actor=town_coordinator_other_town)
    assert not Tandem.objects.exists()


def test_a_request_gets_one_live_proposal_at_a_time(helper, reference_data, coordinator):
    second = make_volunteer("zweiter@example.org", first_name="Paul")
    request = make_request()
    services.tandem_propose(request=request, volunteer=helper, actor=coordinator)
    with pytest.raises(ValidationError):
        services.tandem_propose(request=request, volunteer=second, actor=coordinator)
    assert Tandem.objects.count() == 1


def test_accepting_tells_the_coordinators_and_cannot_happen_twice(helper, coordinator):
    tandem = services.tandem_propose(request=make_request(), volunteer=helper, actor=coordinator)

    services.tandem_accept(tandem=tandem, actor=helper)
    with pytest.raises(ValidationError):
        services.tandem_accept(tandem=tandem, actor=helper)

    tandem.refresh_from_db()
    assert tandem.status == TandemStatus.ACCEPTED and tandem.decided_at is not None
    assert Notification.objects.filter(kind="tandem.accepted", recipient=coordinator).exists()


def test_only_the_proposed_volunteer_can_answer(helper, reference_data, coordinator):
    other = make_volunteer("andere@example.org")
    tandem = services.tandem_propose(request=make_request(), volunteer=helper, actor=coordinator)
    with pytest.raises(PermissionDenied):
        services.tandem_accept(tandem=tandem, actor=other)
    tandem.refresh_from_db()
    assert tandem.status == TandemStatus.PROPOSED


def test_a_decline_returns_the_request_to_the_queue_with_its_waiting_time(helper, coordinator):
    start = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
    with clock.frozen(start):
        request = make_request()
    with clock.frozen(start + timedelta(days=20)):
        tandem = services.tandem_propose(request=request, volunteer=helper, actor=coordinator)
        services.tandem_decline(tandem=tandem, actor=helper, reason="no-time")

    request.refresh_from_db()
    assert request.status == TandemRequestStatus.OPEN
    assert request.waiting_since == start
    assert Notification.objects.filter(kind="tandem.declined", recipient=coordinator).exists()
    # The same person is not asked again for this request.
    with pytest.raises(ValidationError):
        services.tandem_propose(request=request, volunteer=helper, actor=coordinator)


def test_a_decline_needs_a_coded_reason(helper, coordinator):
    tandem = services.tandem_propose(request=make_request(), volunteer=helper, actor=coordinator)
    with pytest.raises(ValidationError):
        services.tandem_decline(tandem=tandem, actor=helper, reason="irgendwas")
    tandem.refresh_from_db()
    assert tandem.status == TandemStatus.PROPOSED


# --- Lifecycle guards -----------------------------------------------------------------------------------
def test_invalid_transitions_are_refused_and_change_nothing(helper, coordinator):
    tandem = services.tandem_propose(request=make_request(), volunteer=helper, actor=coordinator)

    for attempt in (
        lambda: services.tandem_mark_contacted(tandem=tandem, actor=coordinator, method="coordinator"),
        lambda: services.tandem_activate(
            tandem=tandem, actor=coordinator, scope="x", ends_on=date.today() + timedelta(days=30)
        ),
        lambda: services.tandem_end(tandem=tandem, actor=coordinator, reason="completed"),
        lambda: services.tandem_plan_meeting(
            tandem=tandem, actor=coordinator, at=clock.now() + timedelta(days=1), place="Café"
        ),
    ):
        with pytest.raises(ValidationError):
            attempt()
    tandem.refresh_from_db()
    assert tandem.status == TandemStatus.PROPOSED
    assert not TandemCheckIn.objects.exists()


def test_contact_by_email_writes_to_the_newcomer_in_their_language(helper, coordinator):
    tandem = services.tandem_propose(
        request=make_request(contact_language="ar"), volunteer=helper, actor=coordinator
    )
    services.tandem_accept(tandem=tandem, actor=helper)

    services.tandem_mark_contacted(tandem=tandem, actor=coordinator, method="email")

    message = Notification.objects.get(kind="tandem.partner_found")
    assert (message.email, message.language, message.recipient) == ("olena@example.org", "ar", None)


def test_contact_by_email_needs_an_address(helper, coordinator):
    tandem = services.tandem_propose(
        request=make_request(email="", phone="0151 1234567"), volunteer=helper, actor=coordinator
    )
    services.tandem_accept(tandem=tandem, actor=helper)
    with pytest.raises(ValidationError):
        services.tandem_mark_contacted(tandem=tandem, actor=coordinator, method="email")
    tandem.refresh_from_db()
    assert tandem.status == TandemStatus.ACCEPTED


# --- Check-ins ------------------------------------------------------------------------------------------
def test_check_ins_fall_at_two_six_and_twelve_weeks_then_every_eight():
    start = date(2027, 1, 4)
    days = services.check_in_dates(start, start + timedelta(weeks=30))
    assert [(day - start).days // 7 for day in days] == [2, 6, 12, 20, 28]
    assert services.check_in_dates(start, start + timedelta(days=5)) == [start + timedelta(weeks=2)]


def test_activating_schedules_the_check_in_reminders_at_ten_local_time(helper, coordinator):
    tandem = services.tandem_propose(request=make_request(), volunteer=helper, actor=coordinator)
    with clock.frozen(datetime(2027, 1, 4, 12, 0, tzinfo=UTC)):
        _to_active(tandem, coordinator, ends_on=date(2027, 8, 1))

    tandem.refresh_from_db()
    assert tandem.status == TandemStatus.ACTIVE
    assert tandem.request.status == TandemRequestStatus.MATCHED
    check_ins = list(tandem.check_ins.order_by("number"))
    assert [c.due_on for c in check_ins] == [
        date(2027, 1, 18),
        date(2027, 2, 15),
        date(2027, 3, 29),
        date(2027, 5, 24),
        date(2027, 7, 19),
    ]
    reminders = Notification.objects.filter(kind="tandem.check_in_due", channel="email").order_by("due_at")
    assert reminders.count() == 5
    first = reminders.first()
    assert first.recipient == helper and first.status == "pending"
    assert first.due_at.astimezone(clock.zone()).replace(tzinfo=None) == datetime(2027, 1, 18, 10, 0)
    # A week later, a second reminder for a check-in still unanswered.
    again = Notification.objects.filter(kind="tandem.check_in_again", channel="email").order_by("due_at")
    assert again.count() == 5
    assert again.first().due_at.astimezone(clock.zone()).replace(tzinfo=None) == datetime(2027, 1, 25, 10, 0)


def test_a_later_end_adds_the_check_ins_of_the_longer_period_and_tells_the_volunteer(helper, coordinator):
    tandem = services.tandem_propose(request=make_request(), volunteer=helper, actor=coordinator)
    with clock.frozen(datetime(2027, 1, 4, 12, 0, tzinfo=UTC)):
        _to_active(tandem, coordinator, ends_on=date(2027, 8, 1))
    with clock.frozen(datetime(2027, 6, 1, 9, 0, tzinfo=UTC)):
        services.tandem_change_end(tandem=tandem, actor=coordinator, ends_on=date(2027, 12, 31))

    tandem.refresh_from_db()
    assert tandem.ends_on == date(2027, 12, 31)
    assert [c.due_on for c in tandem.check_ins.order_by("number")][-3:] == [
        date(2027, 7, 19),
        date(2027, 9, 13),
        date(2027, 11, 8),
    ]
    reminders = Notification.objects.filter(kind="tandem.check_in_due", channel="email", status="pending")
    assert reminders.count() == 7
    told = Notification.objects.get(kind="tandem.end_changed", channel="email")
    assert told.recipient == helper and told.refs == {"tandem": tandem.pk}


def test_an_earlier_end_takes_back_the_unanswered_check_ins_after_it(helper, coordinator):
    tandem = services.tandem_propose(request=make_request(), volunteer=helper, actor=coordinator)
    with clock.frozen(datetime(2027, 1, 4, 12, 0, tzinfo=UTC)):
        _to_active(tandem, coordinator, ends_on=date(2027, 8, 1))
    with clock.frozen(datetime(2027, 2, 1, 9, 0, tzinfo=UTC)):
        services.tandem_check_in_answer(
            check_in=tandem.check_ins.get(number=1),
            actor=helper,
            frequency="weekly",
            mood="good",
            support="no",
        )
        services.tandem_change_end(tandem=tandem, actor=coordinator, ends_on=date(2027, 4, 15))

    remaining = list(tandem.check_ins.order_by("number"))
    assert [c.due_on for c in remaining] == [date(2027, 1, 18), date(2027, 2, 15), date(2027, 3, 29)]
    assert remaining[0].answered_at is not None
    pending = Notification.objects.filter(kind="tandem.check_in_due", channel="email", status="pending")
    assert sorted(n.refs["check_in"] for n in pending) == [c.pk for c in remaining[1:]]
    assert Notification.objects.filter(kind="tandem.check_in_due", status="cancelled").count() >= 2


def test_changing_the_end_is_guarded(helper, coordinator, town_coordinator_other_town):
    tandem = services.tandem_propose(request=make_request(), volunteer=helper, actor=coordinator)
    with pytest.raises(ValidationError):  # not running yet
        services.tandem_change_end(tandem=tandem, actor=coordinator, ends_on=date(2099, 1, 1))
    with clock.frozen(datetime(2027, 1, 4, 12, 0, tzinfo=UTC)):
        _to_active(tandem, coordinator, ends_on=date(2027, 8, 1))
        for day in (date(2027, 1, 4), date(2029, 2, 1)):  # not in the future; more than two years
            with pytest.raises(ValidationError) as error:
                services.tandem_change_end(tandem=tandem, actor=coordinator, ends_on=day)
            assert "ends_on" in error.value.error_dict
        with pytest.raises(PermissionDenied):
            services.tandem_change_end(
                tandem=tandem, actor=town_coordinator_other_town, ends_on=date(2027, 9, 1)
            )
        with pytest.raises(PermissionDenied):
            services.tandem_change_end(tandem=tandem, actor=helper, ends_on=date(2027, 9, 1))
    tandem.refresh_from_db()
    assert tandem.ends_on == date(2027, 8, 1)
    assert tandem.check_ins.count() == 5
    assert not Notification.objects.filter(kind="tandem.end_changed").exists()


def test_a_red_flag_alerts_the_coordinators_of_the_town(helper, coordinator, town_coordinator):
    tandem = services.tandem_propose(request=make_request(town="Verl"), volunteer=helper, actor=coordinator)
    with clock.frozen(datetime(2027, 1, 4, 12, 0, tzinfo=UTC)):
        _to_active(tandem, coordinator)
    first = tandem.check_ins.get(number=1)

    with clock.frozen(datetime(2027, 1, 4, 12, 0, tzinfo=UTC)), pytest.raises(ValidationError):
        services.tandem_check_in_answer(
            check_in=first, actor=helper, frequency="weekly", mood="good", support="no"
        )
    with clock.frozen(datetime(2027, 1, 18, 11, 0, tzinfo=UTC)):
        services.tandem_check_in_answer(
            check_in=first, actor=helper, frequency="rarely", mood="difficult", support="urgent"
        )

    first.refresh_from_db()
    assert first.red_flag and first.answered_at
    # The town has its own coordinator: the alert goes there (not to the district-wide one).
    alerts = Notification.objects.filter(kind="tandem.red_flag")
    assert {n.recipient for n in alerts} == {town_coordinator}
    for kind in ("tandem.check_in_due", "tandem.check_in_again"):
        reminder = Notification.objects.get(kind=kind, refs__check_in=first.pk, channel="email")
        assert reminder.status == "cancelled"


def test_a_calm_check_in_alerts_nobody(helper, coordinator):
    tandem = services.tandem_propose(request=make_request(), volunteer=helper, actor=coordinator)
    with clock.frozen(datetime(2027, 1, 4, 12, 0, tzinfo=UTC)):
        _to_active(tandem, coordinator)
    with clock.frozen(datetime(2027, 1, 19, 8, 0, tzinfo=UTC)):
        services.tandem_check_in_answer(
            check_in=tandem.check_ins.get(number=1),
            actor=helper,
            frequency="weekly",
            mood="good",
            support="no",
        )
    assert not Notification.objects.filter(kind__in=["tandem.red_flag", "tandem.support_wanted"]).exists()


def test_ending_cancels_the_pending_check_ins_and_closes_the_request(helper, coordinator):
    tandem = services.tandem_propose(request=make_request(), volunteer=helper, actor=coordinator)
    _to_active(tandem, coordinator)

    services.tandem_end(
        tandem=tandem, actor=coordinator, reason="completed", newcomer_rating=1, newcomer_comment="Danke!"
    )

    tandem.refresh_from_db()
    assert tandem.status == TandemStatus.ENDED and tandem.end_reason == "completed"
    assert tandem.request.status == TandemRequestStatus.CLOSED and tandem.request.closed_at
    assert not Notification.objects.filter(kind__startswith="tandem.check_in", status="pending").exists()
    services.tandem_evaluate(tandem=tandem, actor=helper, rating=2, comment="Schön war es.")
    with pytest.raises(ValidationError):
        services.tandem_evaluate(tandem=tandem, actor=helper, rating=1, comment="")
    tandem.refresh_from_db()
    assert (tandem.volunteer_rating, tandem.newcomer_rating) == (2, 1)


# --- Batch run ------------------------------------------------------------------------------------------
def test_the_batch_run_previews_proposals_and_explains_the_unmatched(reference_data, coordinator):
    lena = make_volunteer("lena@example.org", first_name="Lena", languages={"de": 7, "uk": 6})
    omar = make_volunteer("omar@example.org", first_name="Omar", languages={"de": 6, "ar": 7}, town="Verl")
    ukrainian = make_request(alias="Olena", languages={"uk": 7})
    arabic = make_request(alias="Amal", email="amal@example.org", languages={"ar": 7})
    tigrinya = make_request(alias="Tesfay", email="tesfay@example.org", languages={"ti": 7}, radius_km=25)

    run = services.tandem_batch_run(actor=coordinator)

    pairs = {(p["request"], p["volunteer"]) for p in run.proposals}
    assert pairs == {(ukrainian.pk, lena.pk), (arabic.pk, omar.pk)}
    assert run.total == pytest.approx(sum(p["total"] for p in run.proposals))
    assert [u["request"] for u in run.unmatched] == [tigrinya.pk]
    assert run.unmatched[0]["reasons"][0] == ["no_language_within", "ti:25"]
    assert not Tandem.objects.exists()  # a preview proposes nothing

    created = services.tandem_batch_approve(run=run, actor=coordinator, request_ids=[ukrainian.pk])
    assert [(t.request_id, t.volunteer_id) for t in created] == [(ukrainian.pk, lena.pk)]
    # Approving again skips what is no longer waiting.
    assert services.tandem_batch_approve(run=run, actor=coordinator, request_ids=[ukrainian.pk]) == []


def test_the_batch_run_of_a_town_coordinator_covers_their_towns_only(reference_data, town_coordinator):
    make_volunteer("lena@example.org")
    make_request(town="Verl")
    make_request(town="Harsewinkel", email="h@example.org")
    run = services.tandem_batch_run(actor=town_coordinator)
    assert run.request_count == 1


def test_loading_facts_takes_the_same_queries_for_few_and_many(reference_data, django_assert_num_queries):
    for number in range(3):
        make_volunteer(f"v{number}@example.org")
    with django_assert_num_queries(6) as few:
        assert len(volunteer_facts()) == 3
    for number in range(3, 15):
        make_volunteer(f"v{number}@example.org")
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(volunteer_facts()) == 15


def test_open_request_facts_from_value_rows_equal_the_facts_of_the_instances(
    reference_data, django_assert_num_queries
):
    make_request(languages={"uk": 7, "de": 2, "ru": 5}, involves_minor=True, partner_gender_wish="female")
    make_request(town="Harsewinkel", email="h@example.org", slots=["sat-morning"], radius_km=25)
    with django_assert_num_queries(3) as few:
        facts = open_request_facts()
    assert facts == request_facts(open_requests())
    assert [list(fact.languages) for fact in facts] == [
        list(f.languages) for f in request_facts(open_requests())
    ]
    assert facts[0].interests and facts[0].involves_minor and len(facts[0].languages) == 3
    for number in range(12):
        make_request(email=f"r{number}@example.org")
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(open_request_facts()) == 14
    harsewinkel = open_request_facts(Kommune.objects.filter(name="Harsewinkel"))
    assert [fact.radius_km for fact in harsewinkel] == [25.0]


def test_facts_count_free_capacity_and_leave_full_volunteers_out(helper, coordinator):
    services.tandem_propose(request=make_request(), volunteer=helper, actor=coordinator)
    assert [f.id for f in volunteer_facts()] == []  # capacity 1, one live proposal


# --- Retention and erasure ------------------------------------------------------------------------------
def test_newcomer_data_is_deleted_six_months_after_the_tandem_ends(helper, coordinator, settings):
    settings.TANDEM_RETENTION_MONTHS = 6
    tandem = services.tandem_propose(request=make_request(), volunteer=helper, actor=coordinator)
    ended = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)
    with clock.frozen(ended - timedelta(days=60)):
        _to_active(tandem, coordinator)
    with clock.frozen(ended):
        services.tandem_end(tandem=tandem, actor=coordinator, reason="completed")

    with clock.frozen(ended + timedelta(days=180)):
        assert services.tandem_requests_purge() == 0
    assert TandemRequest.objects.exists()
    with clock.frozen(datetime(2027, 7, 11, 12, 0, tzinfo=UTC)):
        assert services.tandem_requests_purge() == 1
    assert not TandemRequest.objects.exists() and not Tandem.objects.exists()
    assert not Notification.objects.filter(email__iexact="olena@example.org").exists()


def test_a_withdrawn_request_is_deleted_at_the_next_purge(helper, coordinator):
    request = make_request()
    tandem = services.tandem_propose(request=request, volunteer=helper, actor=coordinator)

    services.tandem_request_withdraw(request=request, actor=coordinator)
    tandem.refresh_from_db()
    assert tandem.status == TandemStatus.CANCELLED
    assert Notification.objects.filter(kind="tandem.cancelled", recipient=helper).exists()

    assert services.tandem_requests_purge() == 1
    assert not TandemRequest.objects.filter(pk=request.pk).exists()


def test_open_and_running_requests_are_kept(helper, coordinator):
    make_request(email="offen@example.org")
    running = services.tandem_propose(request=make_request(), volunteer=helper, actor=coordinator)
    _to_active(running, coordinator)
    assert services.tandem_requests_purge() == 0
    assert TandemRequest.objects.count() == 2


def test_old_batch_previews_are_deleted(reference_data, coordinator, settings):
    settings.MATCHING_RUN_RETENTION_DAYS = 14
    run = services.tandem_batch_run(actor=coordinator)
    MatchingRun.objects.filter(pk=run.pk).update(created_at=clock.now() - timedelta(days=15))
    services.tandem_requests_purge()
    assert not MatchingRun.objects.exists()


def test_erasing_a_volunteer_returns_their_request_to_the_queue(helper, coordinator):
    from volunteering.privacy import person_erase

    request = make_request()
    tandem = services.tandem_propose(request=request, volunteer=helper, actor=coordinator)
    _to_active(tandem, coordinator)

    person_erase(helper)

    request.refresh_from_db()
    assert request.status == TandemRequestStatus.OPEN
    assert not Tandem.objects.exists()
    assert not Notification.objects.filter(kind__startswith="tandem.check_in", status="pending").exists()


def test_a_volunteers_export_holds_their_side_but_not_the_newcomer(helper, coordinator):
    from volunteering.privacy import person_export

    tandem = services.tandem_propose(
        request=make_request(alias="Olena-Kanarie"), volunteer=helper, actor=coordinator
    )
    _to_active(tandem, coordinator)

    data = person_export(helper)

    assert data["volunteering.Tandem"][0]["scope"] == "Deutsch üben, einmal pro Woche."
    text = str(data)
    assert "Olena-Kanarie" not in text and "olena@example.org" not in text


def test_erasing_a_newcomer_removes_the_request_and_messages_to_them(helper, coordinator):
    request = make_request()
    services.tandem_propose(request=request, volunteer=helper, actor=coordinator)
    services.tandem_request_erase(request=request, actor=coordinator)
    assert not TandemRequest.objects.exists() and not Tandem.objects.exists()
    assert not Notification.objects.filter(email__iexact="olena@example.org").exists()


def test_a_request_with_a_minor_goes_only_to_volunteers_with_a_valid_efz(reference_data, coordinator):
    from volunteering.models import EfzRecord

    without = make_volunteer("ohne@example.org", first_name="Ohne", types=("lesepatenschaft",))
    checked = make_volunteer("mit@example.org", first_name="Mit", types=("lesepatenschaft",))
    EfzRecord.objects.create(
        volunteer=checked,
        certificate_date=clock.now().date() - timedelta(days=30),
        relevant_entry=False,
        inspected_by="kommune",
        kommune=checked.volunteer_profile.kommune,
        inspected_on=clock.now().date() - timedelta(days=20),
    )
    request = make_request(tandem_type="lesepatenschaft", involves_minor=True)

    facts = {f.id: f for f in volunteer_facts()}
    assert (facts[checked.pk].efz_valid, facts[without.pk].efz_valid) == (True, False)
    with pytest.raises(ValidationError):
        services.tandem_propose(request=request, volunteer=without, actor=coordinator)
    assert services.tandem_propose(request=request, volunteer=checked, actor=coordinator).volunteer == checked


def test_every_tandem_message_renders_in_its_recipients_language(helper, coordinator):
    from notifications.rendering import render

    request = make_request(contact_language="ar")
    tandem = services.tandem_propose(request=request, volunteer=helper, actor=coordinator)
    with clock.frozen(datetime(2027, 1, 4, 12, 0, tzinfo=UTC)):
        _to_active(tandem, coordinator)
    first = tandem.check_ins.get(number=1)
    for kind in ("tandem.check_in_due", "tandem.check_in_again"):
        reminder = Notification.objects.get(kind=kind, channel="email", refs__check_in=first.pk)
        message = render(reminder)  # before it is answered (then both are cancelled)
        assert "/rueckmeldung/1/" in message.text and message.subject.strip()
    with clock.frozen(datetime(2027, 1, 18, 11, 0, tzinfo=UTC)):
        services.tandem_check_in_answer(
            check_in=tandem.check_ins.get(number=1),
            actor=helper,
            frequency="rarely",
            mood="difficult",
            support="urgent",
        )
    services.tandem_end(tandem=tandem, actor=coordinator, reason="completed")

    kinds = {"tandem.check_in_due"}
    rows = Notification.objects.filter(kind__startswith="tandem.", channel="email").exclude(
        status="cancelled"
    )
    for row in rows:
        message = render(row)
        kinds.add(row.kind)
        assert message.subject.strip() and message.text.strip(), row.kind
        assert "{{" not in message.text and "{%" not in message.text, row.kind
        if row.email:
            assert message.language == "ar"
    assert {
        "tandem.request_received",
        "tandem.request_new",
        "tandem.proposed",
        "tandem.accepted",
        "tandem.meeting_planned",
        "tandem.activated",
        "tandem.check_in_due",
        "tandem.red_flag",
        "tandem.ended",
    } <= kinds
