"""Local times in Europe/Berlin across the DST changes of 2026 (QUALITY.md 24)."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from notifications import clock

SPRING = date(2026, 3, 29)  # 02:00 CET → 03:00 CEST: 02:00–02:59 do not exist
AUTUMN = date(2026, 10, 25)  # 03:00 CEST → 02:00 CET: 02:00–02:59 happen twice


@pytest.mark.parametrize(
    "day, at, expected_utc",
    [
        (SPRING, time(2, 30), datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),  # shifted to 03:30 CEST
        (SPRING, time(9, 0), datetime(2026, 3, 29, 7, 0, tzinfo=UTC)),  # 09:00 CEST
        (AUTUMN, time(2, 30), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),  # first 02:30 (CEST)
        (AUTUMN, time(9, 0), datetime(2026, 10, 25, 8, 0, tzinfo=UTC)),  # 09:00 CET
        (date(2026, 1, 15), time(9, 0), datetime(2026, 1, 15, 8, 0, tzinfo=UTC)),
        (date(2026, 7, 15), time(9, 0), datetime(2026, 7, 15, 7, 0, tzinfo=UTC)),
    ],
)
def test_it_maps_local_times_to_one_instant(day, at, expected_utc):
    assert clock.local_datetime(day, at) == expected_utc


def test_a_time_in_the_spring_gap_moves_forward_by_the_gap():
    instant = clock.local_datetime(SPRING, time(2, 30))

    assert clock.is_nonexistent(SPRING, time(2, 30))
    assert instant.astimezone(clock.zone()).strftime("%H:%M %Z") == "03:30 CEST"


def test_a_repeated_autumn_time_means_its_first_occurrence():
    instant = clock.local_datetime(AUTUMN, time(2, 30))

    assert clock.is_ambiguous(AUTUMN, time(2, 30))
    assert instant.astimezone(clock.zone()).strftime("%H:%M %Z") == "02:30 CEST"
    assert not clock.is_ambiguous(AUTUMN, time(9, 0))
    assert not clock.is_nonexistent(SPRING, time(9, 0))


def test_the_next_daily_time_keeps_the_local_hour_across_the_change():
    before = datetime(2026, 3, 28, 7, 0, tzinfo=UTC)  # 08:00 CET on Saturday

    first = clock.next_local_time(before, time(7, 0))
    second = clock.next_local_time(first, time(7, 0))

    assert first == datetime(2026, 3, 29, 5, 0, tzinfo=UTC)  # 07:00 CEST on Sunday
    assert second == datetime(2026, 3, 30, 5, 0, tzinfo=UTC)
    assert second - first == timedelta(hours=24)


def test_the_next_weekly_time_lands_on_the_weekday():
    after = datetime(2026, 10, 21, 12, 0, tzinfo=UTC)  # Wednesday

    monday = clock.next_local_time(after, time(7, 0), weekday=0)

    assert monday == datetime(2026, 10, 26, 6, 0, tzinfo=UTC)  # 07:00 CET, the first Monday after the change


def test_the_frozen_clock_stands_still_and_restores():
    at = datetime(2026, 3, 29, 1, 29, tzinfo=UTC)
    with clock.frozen(at):
        assert clock.now() == at
    assert clock.now() != at


def test_the_frozen_clock_rejects_naive_times():
    with pytest.raises(ValueError, match="timezone-aware"), clock.frozen(datetime(2026, 3, 29, 2, 30)):
        pass


def test_local_midnight_is_the_start_of_the_local_day():
    assert clock.local_midnight(datetime(2026, 10, 25, 12, 0, tzinfo=UTC)) == datetime(
        2026, 10, 24, 22, 0, tzinfo=UTC
    )
