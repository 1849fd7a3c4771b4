"""The demo has eFZ records and confirmations, and seeding twice adds none."""

import pytest
from django.core.management import call_command

from volunteering.models import EfzRecord, IssuedLetter
from volunteering.selectors.efz import valid_efz_user_ids


@pytest.mark.django_db
def test_the_demo_seeds_efz_records_and_confirmations_once():
    call_command("seed_demo", "--quiet-logins")
    records, letters = EfzRecord.objects.count(), IssuedLetter.objects.filter(kind="efz_confirmation").count()
    call_command("seed_demo", "--quiet-logins")
    assert records > 0 and letters > 0
    assert EfzRecord.objects.count() == records
    assert IssuedLetter.objects.filter(kind="efz_confirmation").count() == letters
    from django.utils import timezone

    volunteers = EfzRecord.objects.values_list("volunteer_id", flat=True)
    assert valid_efz_user_ids(volunteers, timezone.localdate()) == set(volunteers)
