import json

import pytest

from volunteering.models import ActivityType, District, Handlungsfeld, Kommune, Language, Postcode
from volunteering.services.reference_data import district_load, taxonomy_load

GUETERSLOH_KEYS = {
    "Borgholzhausen": "05754004",
    "Gütersloh": "05754008",
    "Halle (Westf.)": "05754012",
    "Harsewinkel": "05754016",
    "Herzebrock-Clarholz": "05754020",
    "Langenberg": "05754024",
    "Rheda-Wiedenbrück": "05754028",
    "Rietberg": "05754032",
    "Schloß Holte-Stukenbrock": "05754036",
    "Steinhagen": "05754040",
    "Verl": "05754044",
    "Versmold": "05754048",
    "Werther (Westf.)": "05754052",
}


@pytest.mark.django_db
def test_it_loads_the_thirteen_towns_with_their_official_keys(reference_data):
    assert reference_data.key == "05754"
    assert dict(Kommune.objects.values_list("name", "ags")) == GUETERSLOH_KEYS
    for kommune in Kommune.objects.all():
        assert 51.7 < kommune.latitude < 52.2 and 8.1 < kommune.longitude < 8.7, kommune.name
        assert kommune.postcodes.exists()


@pytest.mark.django_db
def test_towns_with_their_own_youth_office_keep_it(reference_data):
    assert Kommune.objects.get(name="Gütersloh").jugendamt == "Jugendamt der Stadt Gütersloh"
    assert Kommune.objects.get(name="Verl").jugendamt == "Jugendamt des Kreises Gütersloh"


@pytest.mark.django_db
def test_ehrenamtskarte_rules_are_data_per_town(reference_data):
    rietberg = Kommune.objects.get(name="Rietberg")
    assert rietberg.issues_ehrenamtskarte and rietberg.ehrenamtskarte_validity_years == 3
    assert not Kommune.objects.get(name="Langenberg").issues_ehrenamtskarte


@pytest.mark.django_db
def test_loading_twice_changes_nothing(reference_data):
    counts = (District.objects.count(), Kommune.objects.count(), Postcode.objects.count())

    district_load()
    taxonomy_load()

    assert (District.objects.count(), Kommune.objects.count(), Postcode.objects.count()) == counts


@pytest.mark.django_db
def test_another_district_loads_from_its_own_file(tmp_path):
    path = tmp_path / "kreis.json"
    path.write_text(
        json.dumps(
            {
                "district": {"name": "Kreis Beispiel", "key": "09999", "state": "Bayern"},
                "default_jugendamt": "Jugendamt Beispiel",
                "kommunen": [
                    {
                        "name": "Musterstadt",
                        "ags": "09999001",
                        "lat": 48.1,
                        "lon": 11.5,
                        "postcodes": ["80331"],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )

    district = district_load(path=path)

    assert district.name == "Kreis Beispiel"
    assert list(district.kommunen.values_list("slug", flat=True)) == ["musterstadt"]


@pytest.mark.django_db
def test_a_malformed_key_is_rejected_and_nothing_is_written(tmp_path):
    from django.core.exceptions import ValidationError

    path = tmp_path / "kreis.json"
    path.write_text(
        json.dumps(
            {
                "district": {"name": "Kreis Kaputt", "key": "123", "state": "NRW"},
                "default_jugendamt": "x",
                "kommunen": [],
            }
        ),
        encoding="utf-8",
    )

    with pytest.raises(ValidationError):
        district_load(path=path)
    assert not District.objects.filter(name="Kreis Kaputt").exists()


@pytest.mark.django_db
def test_the_six_fields_and_languages_are_loaded_with_translations(reference_data):
    from django.utils import translation

    assert Handlungsfeld.objects.count() == 6
    assert ActivityType.objects.filter(is_tandem=True).count() >= 4
    assert Language.objects.get(code="ar").right_to_left
    field = Handlungsfeld.objects.get(slug="sprache-bildung")
    with translation.override("uk"):
        assert field.localized_name == "Мова та освіта"
    with translation.override("de"):
        assert field.localized_name == "Sprache und Bildung"
