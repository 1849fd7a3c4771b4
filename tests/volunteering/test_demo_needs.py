"""The demo needs: about 40, in every town and field, many languages, public, idempotent."""

import pytest

from volunteering.demo import seed_accounts
from volunteering.demo_needs import seed_needs
from volunteering.demo_organisations import seed_organisations
from volunteering.models import Handlungsfeld, Kommune, Need
from volunteering.selectors.needs import NeedQuery, public_needs, search_needs

pytestmark = pytest.mark.django_db


def test_the_demo_needs_cover_the_district_and_can_be_seeded_twice(reference_data, roles):
    seed_accounts()
    seed_organisations()

    first = seed_needs()
    second = seed_needs()

    assert 35 <= len(first) == Need.objects.count() == len(second)
    assert public_needs().count() == Need.objects.count()
    assert set(Need.objects.values_list("kommune", flat=True)) == set(
        Kommune.objects.values_list("pk", flat=True)
    )
    assert set(Need.objects.values_list("handlungsfeld", flat=True)) == set(
        Handlungsfeld.objects.values_list("pk", flat=True)
    )
    assert Need.objects.values("languages__code").distinct().count() >= 12
    homework = search_needs(
        NeedQuery(text="Hausaufgaben", kommune=Kommune.objects.get(name="Rheda-Wiedenbrück"))
    )
    assert [need.title for need in homework] == ["Hausaufgabenhilfe in der Grundschule am Emsufer"]
