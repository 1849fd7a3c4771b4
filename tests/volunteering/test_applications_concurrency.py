"""No over-filling under concurrency (QUALITY.md 14), on PostgreSQL with real concurrent transactions.

Each thread has its own database connection; a barrier releases them together, so their transactions
overlap. The need's row lock (select_for_update) serialises acceptances and new applications.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from tests.volunteering.applications_world import make_need, make_volunteer
from volunteering.models import Application, ApplicationStatus, Engagement, NeedStatus
from volunteering.services.applications import application_accept, application_submit

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


def test_two_volunteers_applying_for_the_last_place_while_the_organisation_accepts(organisation, org_admin):
    need = make_need(organisation, volunteers_wanted=2)
    first, waiting = (application_submit(need=need, volunteer=make_volunteer()) for _ in range(2))
    application_accept(application=first, actor=org_admin)  # one place left
    late_a, late_b = make_volunteer(), make_volunteer()

    for _round in range(5):
        results = _race(
            lambda: application_accept(application=waiting, actor=org_admin),
            lambda: application_submit(need=need, volunteer=late_a),
            lambda: application_submit(need=need, volunteer=late_b),
        )
        need.refresh_from_db()
        accepted = Application.objects.filter(need=need, status=ApplicationStatus.ACCEPTED).count()
        assert accepted == 2 == Engagement.objects.filter(need=need).count()
        assert need.status == NeedStatus.FILLED
        assert isinstance(results[0], Engagement), results
        # Whoever came after the last place was taken was told so; nobody got a place beyond it.
        for result in results[1:]:
            assert isinstance(result, Application | ValidationError), results
        if all(isinstance(r, ValidationError) for r in results[1:]):
            break
        # Reset for another round: the late applications go, the acceptance is undone.
        Application.objects.filter(volunteer__in=[late_a, late_b]).delete()
        Engagement.objects.filter(application=waiting).delete()
        Application.objects.filter(pk=waiting.pk).update(status=ApplicationStatus.SUBMITTED)
        need.status = NeedStatus.PUBLISHED
        need.save()


def test_two_accepts_of_the_last_place_let_exactly_one_through(organisation, org_admin, org_member):
    need = make_need(organisation, volunteers_wanted=1)
    one, two = (application_submit(need=need, volunteer=make_volunteer()) for _ in range(2))

    results = _race(
        lambda: application_accept(application=one, actor=org_admin),
        lambda: application_accept(application=two, actor=org_member),
    )

    assert sorted(type(r).__name__ for r in results) == ["Engagement", "ValidationError"], results
    assert Application.objects.filter(need=need, status=ApplicationStatus.ACCEPTED).count() == 1
    assert Engagement.objects.filter(need=need).count() == 1
    need.refresh_from_db()
    assert need.status == NeedStatus.FILLED


def test_many_parallel_accepts_never_exceed_the_places(organisation, org_admin):
    need = make_need(organisation, volunteers_wanted=3)
    applications = [application_submit(need=need, volunteer=make_volunteer()) for _ in range(8)]

    results = _race(
        *[
            (lambda application=application: application_accept(application=application, actor=org_admin))
            for application in applications
        ]
    )

    assert sum(isinstance(r, Engagement) for r in results) == 3, results
    assert Engagement.objects.filter(need=need).count() == 3


def test_the_same_volunteer_submitting_twice_at_once_gets_one_application(organisation):
    need = make_need(organisation)
    volunteer = make_volunteer()

    results = _race(*[lambda: application_submit(need=need, volunteer=volunteer)] * 2)

    assert sorted(type(r).__name__ for r in results) == ["Application", "ValidationError"], results
    assert Application.objects.filter(need=need, volunteer=volunteer).count() == 1
