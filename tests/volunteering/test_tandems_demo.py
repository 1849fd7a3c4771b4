"""Demo tandems: open requests in several towns and languages, one nobody can be found for, and a running
tandem of the demo volunteer."""

import pytest
from django.core.management import call_command

from volunteering.models import Tandem, TandemRequest, TandemStatus
from volunteering.services.tandems import tandem_batch_run

pytestmark = pytest.mark.django_db


def test_the_demo_has_open_requests_and_one_running_tandem_and_stays_idempotent():
    call_command("seed_demo", "--quiet-logins")
    counts = (TandemRequest.objects.count(), Tandem.objects.count())
    call_command("seed_demo", "--quiet-logins")
    assert (TandemRequest.objects.count(), Tandem.objects.count()) == counts == (5, 1)

    tandem = Tandem.objects.get()
    assert tandem.volunteer.email == "freiwillig@demo.example" and tandem.status == TandemStatus.ACTIVE
    assert tandem.check_ins.filter(number=1, answered_at__isnull=True).exists()
    towns = set(TandemRequest.objects.filter(status="open").values_list("kommune__name", flat=True))
    assert len(towns) >= 3

    run = tandem_batch_run(actor=None)
    tigrinya = TandemRequest.objects.get(alias="Tesfay")
    assert tigrinya.pk in {item["request"] for item in run.unmatched}
    assert [item["reasons"][0][0] for item in run.unmatched if item["request"] == tigrinya.pk] == [
        "no_language_within"
    ]
    assert run.proposals  # the others find someone
