"""Loading the district, its towns and the reference data from the data files in the repository.

Another Kreis is loaded from its own file with the same shape; nothing about a district is in code.
"""

import json
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from volunteering.models import ActivityType, District, Handlungsfeld, Kommune, Language, Postcode

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_DISTRICT_FILE = DATA_DIR / "kreis-guetersloh.json"
TAXONOMY_FILE = DATA_DIR / "taxonomy.json"


@transaction.atomic
def district_load(*, path: Path = DEFAULT_DISTRICT_FILE) -> District:
    """Creates or updates the district described by `path` and its towns; returns the district."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    info = data["district"]
    district, _ = District.objects.update_or_create(
        key=info["key"],
        defaults={"name": info["name"], "state": info["state"], "population": info.get("population")},
    )
    district.full_clean()
    for row in data["kommunen"]:
        card = row.get("ehrenamtskarte", {})
        kommune = Kommune.objects.filter(ags=row["ags"]).first() or Kommune(ags=row["ags"])
        kommune.district = district
        kommune.name = row["name"]
        kommune.slug = row.get("slug") or slugify(row["name"].replace("ß", "ss"))
        kommune.latitude = row["lat"]
        kommune.longitude = row["lon"]
        kommune.jugendamt = row.get("jugendamt") or data["default_jugendamt"]
        kommune.issues_ehrenamtskarte = card.get("issues", False)
        kommune.ehrenamtskarte_prior_years = card.get("prior_years", 1)
        kommune.ehrenamtskarte_validity_years = card.get("validity_years", 2)
        kommune.ehrenamtskarte_min_age = card.get("min_age", 16)
        kommune.full_clean()
        kommune.save()
        for code in row["postcodes"]:
            postcode, _ = Postcode.objects.get_or_create(code=code, kommune=kommune)
            postcode.full_clean()
    return district


@transaction.atomic
def taxonomy_load(*, path: Path = TAXONOMY_FILE) -> None:
    """Creates or updates the Handlungsfelder, activity types and languages from `path`."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    fields = {}
    for order, row in enumerate(data["handlungsfelder"], start=1):
        field, _ = Handlungsfeld.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "name_translations": row.get("translations", {}),
                "sort_order": order,
            },
        )
        fields[row["slug"]] = field
    for row in data["activity_types"]:
        ActivityType.objects.update_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "name_translations": row.get("translations", {}),
                "handlungsfeld": fields[row["field"]],
                "is_tandem": row.get("tandem", False),
                "efz_required": row.get("efz", False),
            },
        )
    for row in data["languages"]:
        Language.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "native_name": row["native"],
                "right_to_left": row.get("rtl", False),
                "sort_order": row.get("order", 100),
            },
        )
