"""Two answers to one tandem at the same moment (QUALITY.md 14), on PostgreSQL with real concurrent
transactions: the tandem's row lock lets exactly one of them through; the other is told why."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from tests.volunteering.tandems_world import make_request, make_volunteer
from volunteering.models import Tandem, TandemRequestStatus, TandemStatus
from volunteering.services import tandems as services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(*calls) -> list[object]:
    """Runs the calls at the same moment in threads; returns each result or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # the outcome is what the test inspects
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    close_old_connections()
    return results


def test_two_accepts_of_one_tandem_let_exactly_one_through(reference_data, coordinator):
    helper = make_volunteer("helga@example.org", first_name="Helga")
    for round_ in range(4):
        request = make_request(email=f"neu{round_}@example.org")
        tandem = services.tandem_propose(request=request, volunteer=helper, actor=coordinator)

        results = _race(
            lambda t=tandem: services.tandem_accept(tandem=t, actor=helper),
            lambda t=tandem: services.tandem_accept(tandem=t, actor=helper),
        )

        assert sum(isinstance(result, Tandem) for result in results) == 1, results
        assert sum(isinstance(result, ValidationError) for result in results) == 1, results
        tandem.refresh_from_db()
        assert tandem.status == TandemStatus.ACCEPTED
        services.tandem_cancel(tandem=tandem, actor=coordinator)


def test_an_accept_racing_a_decline_and_a_cancellation_leaves_one_consistent_state(
    reference_data, coordinator
):
    helper = make_volunteer("helga@example.org", first_name="Helga")
    for round_ in range(4):
        request = make_request(email=f"neu{round_}@example.org")
        tandem = services.tandem_propose(request=request, volunteer=helper, actor=coordinator)

        results = _race(
            lambda t=tandem: services.tandem_accept(tandem=t, actor=helper),
            lambda t=tandem: services.tandem_decline(tandem=t, actor=helper, reason="no-time"),
            lambda t=tandem: services.tandem_cancel(tandem=t, actor=coordinator),
        )

        assert sum(isinstance(result, Tandem) for result in results) >= 1, results
        assert not [r for r in results if r is not None and not isinstance(r, Tandem | ValidationError)], (
            results
        )
        tandem.refresh_from_db()
        request.refresh_from_db()
        expected_request = {
            TandemStatus.ACCEPTED: TandemRequestStatus.PROPOSED,
            TandemStatus.DECLINED: TandemRequestStatus.OPEN,
            TandemStatus.CANCELLED: TandemRequestStatus.OPEN,
        }
        assert request.status == expected_request[tandem.status]
        if tandem.status == TandemStatus.ACCEPTED:
            services.tandem_cancel(tandem=tandem, actor=coordinator)


def test_two_coordinators_proposing_for_one_request_make_one_proposal(reference_data, coordinator):
    first = make_volunteer("helga@example.org", first_name="Helga")
    second = make_volunteer("paul@example.org", first_name="Paul")
    request = make_request()

    results = _race(
        lambda: services.tandem_propose(request=request, volunteer=first, actor=coordinator),
        lambda: services.tandem_propose(request=request, volunteer=second, actor=coordinator),
    )

    assert sum(isinstance(result, Tandem) for result in results) == 1, results
    assert Tandem.objects.filter(request=request).count() == 1
