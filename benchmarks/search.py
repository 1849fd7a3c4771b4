"""Benchmark: the public need search with full text costs at most 10× the same listing without it (issue 5).

In one run on one throwaway PostgreSQL server, 1,000,000 synthetic needs are generated in SQL
(generate_series over German word lists with a skewed word frequency, so that common words like "Kinder"
match hundreds of thousands of rows and rare ones a handful; compound words such as "Hausaufgabenhilfe"
make stemming and prefix matching matter). Then, in the same run, a few hundred searches are timed:

- full text: `search_needs(NeedQuery(text=…, kommune=…))`, the selector the page uses: full text + town +
  published, not expired, verified organisation + newest 20 (21 rows fetched to know whether a next page
  exists), and the capped count the page shows (up to 1,001 rows);
- listing: the same with no text.

Both go through the Django ORM exactly as the search page does; neither ranks or counts all hits. The
script prints median and p95 of each and exits non-zero if the p95 ratio exceeds 10×.

Run: `.venv/bin/python benchmarks/search.py [--rows 1000000] [--queries 300]` (a few minutes, mostly
generating the rows and building the GIN index).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

MAX_RATIO = 10.0
ORGANISATIONS = 60

# Words a need is made of, most frequent first; the generator draws them with a skewed distribution.
TOPICS = [
    "Kinder",
    "Familien",
    "Hausaufgabenhilfe",
    "Sprachcafé",
    "Begleitung",
    "Deutsch",
    "Nachmittag",
    "Jugendliche",
    "Frauen",
    "Senioren",
    "Lesepaten",
    "Fahrradwerkstatt",
    "Behördengänge",
    "Ämtern",
    "Wohnungssuche",
    "Bewerbungstraining",
    "Nachhilfe",
    "Mathematik",
    "Vorlesen",
    "Spielenachmittag",
    "Kochabend",
    "Gartenprojekt",
    "Nähcafé",
    "Reparaturcafé",
    "Fußballtraining",
    "Schwimmkurs",
    "Kleiderkammer",
    "Lebensmittelausgabe",
    "Dolmetschen",
    "Übersetzungen",
    "Arztbesuche",
    "Elternabend",
    "Formulare",
    "Jobcenter",
    "Ausländerbehörde",
    "Kita",
    "Grundschule",
    "Berufsschule",
    "Ausbildung",
    "Praktikum",
    "Computerkurs",
    "Smartphone",
    "Fahrschule",
    "Radfahren",
    "Stadtführung",
    "Museumsbesuch",
    "Theatergruppe",
    "Chorprobe",
    "Musikunterricht",
    "Malkurs",
    "Handarbeit",
    "Holzwerkstatt",
    "Umzugshilfe",
    "Möbelbörse",
    "Patenschaften",
    "Tandempartner",
    "Freizeitgestaltung",
    "Ausflüge",
    "Sommerfest",
    "Weihnachtsmarkt",
    "Nachbarschaftshilfe",
    "Hausbesuche",
    "Telefonkette",
    "Einkaufshilfe",
    "Schulranzen",
    "Lernpaten",
    "Leseförderung",
    "Sprachmittlung",
    "Alltagsbegleitung",
    "Integrationskurs",
]
VERBS = [
    "unterstützen",
    "begleiten",
    "erklären",
    "üben",
    "lesen",
    "spielen",
    "reparieren",
    "kochen",
    "helfen",
    "übersetzen",
    "organisieren",
    "betreuen",
    "zuhören",
    "ermutigen",
    "trainieren",
    "basteln",
]
FILLERS = [
    "gemeinsam",
    "regelmäßig",
    "wöchentlich",
    "geduldig",
    "freundlich",
    "mit",
    "für",
    "und",
    "bei",
    "im",
    "am",
    "zusammen",
    "neu",
    "zugewanderte",
    "geflüchtete",
    "ehrenamtlich",
    "offen",
    "kleine",
    "Gruppe",
]
RARE = ["Tigrinya", "Kurmandschi", "Schachclub", "Imkerei", "Origami", "Tischtennis", "Bouldern"]

# Queries as visitors type them: stems and inflected forms of the words above, some rare ones, some two words.
QUERIES = [
    "Kinder",
    "Hausaufgaben",
    "hausaufgabe",
    "Sprachcafe",
    "Begleitung",
    "Ämter",
    "Fahrrad",
    "Lesepate",
    "Familie",
    "Deutsch",
    "Senioren",
    "Wohnung",
    "Bewerbung",
    "Nachhilfe",
    "Mathe",
    "vorlesen",
    "Spiele",
    "kochen",
    "Garten",
    "Nähen",
    "Reparatur",
    "Fußball",
    "Schwimmen",
    "Kleider",
    "dolmetschen",
    "Arzt",
    "Formular",
    "Jobcenter",
    "Kita",
    "Schule",
    "Ausbildung",
    "Computer",
    "Smartphone",
    "Stadtführung",
    "Theater",
    "Musik",
    "Malen",
    "Umzug",
    "Möbel",
    "Patenschaft",
    "Tandem",
    "Ausflug",
    "Fest",
    "Nachbarschaft",
    "Einkauf",
    "Lernpaten",
    "Sprachmittlung",
    "Integration",
    "Tigrinya",
    "Imker",
    "Origami",
    "Kinder Hausaufgaben",
    "Frauen Deutsch",
    "Begleitung Arzt",
    "Fahrrad reparieren",
]


def _array(words: list[str]) -> str:
    return "ARRAY[" + ", ".join("'" + word.replace("'", "''") + "'" for word in words) + "]"


def _pick(array: str, size: int, skew: float = 2.0) -> str:
    # random()^skew draws the first words far more often than the last ones (a Zipf-like shape).
    return f"({array})[1 + floor(power(random(), {skew}) * {size})::int]"


def _sentence(words: int) -> str:
    topics, verbs, fillers = _array(TOPICS), _array(VERBS), _array(FILLERS)
    parts = []
    for index in range(words):
        if index % 3 == 0:
            parts.append(_pick(topics, len(TOPICS)))
        elif index % 3 == 1:
            parts.append(_pick(fillers, len(FILLERS), 1.0))
        else:
            parts.append(_pick(verbs, len(VERBS), 1.5))
    return " || ' ' || ".join(parts)


INSERT_NEEDS = """
WITH o AS (SELECT array_agg(id ORDER BY id) AS ids FROM volunteering_organisation),
     k AS (SELECT array_agg(id ORDER BY id) AS ids, array_agg(latitude ORDER BY id) AS lats,
                  array_agg(longitude ORDER BY id) AS lons, array_agg(name ORDER BY id) AS names,
                  count(*)::int AS size
           FROM volunteering_kommune),
     a AS (SELECT array_agg(id ORDER BY id) AS ids, array_agg(handlungsfeld_id ORDER BY id) AS fields,
                  array_agg(name ORDER BY id) AS names, count(*)::int AS size
           FROM volunteering_activitytype)
INSERT INTO volunteering_need
    (organisation_id, title, description, tasks, limits, handlungsfeld_id, activity_type_id, kommune_id,
     place, latitude, longitude, schedule_kind, starts_at, ends_at, slots, schedule_note, hours_per_week,
     time_commitment, no_german_needed, min_age, efz_required, training_required, taster_possible,
     volunteers_wanted, contact_name, status, expires_on, reviewed_at, published_at, created_by_id,
     created_at, updated_at, search_text)
SELECT o.ids[1 + g.n %% {orgs}], g.title, g.description, g.tasks, 'Keine Fahrdienste.',
       a.fields[1 + g.n %% a.size], a.ids[1 + g.n %% a.size], k.ids[1 + g.n %% k.size],
       '', k.lats[1 + g.n %% k.size], k.lons[1 + g.n %% k.size], 'recurring', NULL, NULL,
       '["tue-afternoon"]'::jsonb, '', 2, '', g.n %% 7 = 0, 16, false, false, g.n %% 3 = 0, 1, '', g.status,
       CASE WHEN g.status = 'expired' THEN current_date - 1 ELSE current_date + (g.n %% 90) END,
       now(), g.published_at, NULL, g.published_at, g.published_at,
       lower(g.title || ' ' || a.names[1 + g.n %% a.size] || ' ' || k.names[1 + g.n %% k.size] || ' '
             || g.description || ' ' || g.tasks)
FROM (
    SELECT n,
           {title} AS title,
           {description} AS description,
           {tasks} AS tasks,
           CASE WHEN n %% 20 < 16 THEN 'published' WHEN n %% 20 < 18 THEN 'closed'
                WHEN n %% 20 = 18 THEN 'draft' ELSE 'expired' END AS status,
           now() - (n %% 365) * interval '1 day' - (n %% 1440) * interval '1 minute' AS published_at
    FROM generate_series(%s, %s) AS n
) AS g, o, k, a
"""


def insert_sql() -> str:
    title = _pick(_array(TOPICS), len(TOPICS)) + " || ' ' || " + _pick(_array(TOPICS), len(TOPICS), 1.0)
    description = (
        "("
        + _sentence(18)
        + ") || CASE WHEN random() < 0.0005 THEN ' ' || "
        + _pick(_array(RARE), len(RARE), 1.0)
        + " ELSE '' END"
    )
    return INSERT_NEEDS.format(title=title, description=description, tasks=_sentence(9), orgs=ORGANISATIONS)


def setup_reference_data() -> None:
    from volunteering.models import Kommune, Organisation, OrganisationStatus
    from volunteering.services.reference_data import district_load, taxonomy_load

    district_load()
    taxonomy_load()
    towns = list(Kommune.objects.all())
    for number in range(ORGANISATIONS):
        organisation = Organisation.objects.create(
            name=f"Verein {number}",
            slug=f"verein-{number}",
            legal_form="ev",
            description="Benchmark",
            email=f"verein{number}@example.org",
            status=OrganisationStatus.VERIFIED,
        )
        organisation.kommunen.set([towns[number % len(towns)]])


def fill(rows: int) -> float:
    from django.db import connection

    started = time.perf_counter()
    sql = insert_sql()
    with connection.cursor() as cursor:
        # The GIN index is built once after the rows are in: much faster than maintaining it row by row.
        cursor.execute("DROP INDEX need_search_vector")
        cursor.execute("SELECT setseed(0.42)")
        step = 100_000
        for first in range(1, rows + 1, step):
            cursor.execute(sql, [first, min(first + step - 1, rows)])
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("CREATE INDEX need_search_vector ON volunteering_need USING gin (search_vector)")
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started


def time_searches(queries: list[tuple[str, int]]) -> dict[str, list[float]]:
    """Returns wall times in ms per kind: text/listing, rows only and rows + capped count (as the page)."""
    from volunteering.models import Kommune
    from volunteering.selectors.needs import NeedQuery, capped_count, search_needs, with_listing_relations

    towns = {town.pk: town for town in Kommune.objects.all()}
    timings: dict[str, list[float]] = {
        "text rows": [],
        "listing rows": [],
        "text page": [],
        "listing page": [],
    }
    hits = []
    for warmup in (True, False):
        for text, town_id in queries:
            for label, query in (
                ("text", NeedQuery(text=text, kommune=towns[town_id])),
                ("listing", NeedQuery(kommune=towns[town_id])),
            ):
                needs = search_needs(query)
                started = time.perf_counter()
                rows = list(with_listing_relations(needs)[:21])
                middle = time.perf_counter()
                count = capped_count(needs)
                finished = time.perf_counter()
                if not warmup:
                    timings[f"{label} rows"].append((middle - started) * 1000)
                    timings[f"{label} page"].append((finished - started) * 1000)
                    if label == "text":
                        hits.append((text, len(rows), count))
    timings["_hits"] = hits  # type: ignore[assignment]
    return timings


def explain(text: str, town_id: int) -> str:
    from volunteering.models import Kommune
    from volunteering.selectors.needs import NeedQuery, search_needs

    needs = search_needs(NeedQuery(text=text, kommune=Kommune.objects.get(pk=town_id)))
    return "\n".join("    " + line for line in needs[:21].explain(analyze=True).splitlines())


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()

    from services import Postgres, find_pg_bin

    pg_bin = find_pg_bin()
    if pg_bin is None:
        print("The benchmark needs the PostgreSQL binaries (initdb, pg_ctl).", file=sys.stderr)
        return 3
    postgres = Postgres(pg_bin)
    postgres.start()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_READ_DOT_ENV="false",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret-0123456789"),
        DATABASE_URL=postgres.url,
        CACHE_URL="locmemcache://",
        LOG_LEVEL="WARNING",
    )
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from volunteering.models import Kommune, Need

        call_command("migrate", verbosity=0)
        setup_reference_data()
        fill_seconds = fill(args.rows)
        total = Need.objects.count()
        town_ids = list(Kommune.objects.values_list("pk", flat=True))
        generator = random.Random(7)
        queries = [(generator.choice(QUERIES), generator.choice(town_ids)) for _ in range(args.queries)]
        timings = time_searches(queries)
        plans = {word: explain(word, town_ids[0]) for word in ("Kinder", "Hausaufgaben", "Tigrinya")}
    finally:
        postgres.stop()

    hits = timings.pop("_hits")
    machine = f"{platform.node()}, {os.cpu_count()} CPUs, PostgreSQL {pg_bin.parent.name}"
    print(f"Need search benchmark – {machine}")
    print(
        f"{total:,} needs generated in {fill_seconds:.0f} s; "
        f"{args.queries} searches, each timed once after a warm-up"
    )
    print(
        "(full text + town + published, not expired, verified + newest 20; "
        "the page adds the count up to 1,001)"
    )
    print()
    print(f"{'query':<22}{'median ms':>12}{'p95 ms':>10}")
    for label, values in timings.items():
        print(f"{label:<22}{statistics.median(values):>12.2f}{p95(values):>10.2f}")
    ratios = {
        kind: p95(timings[f"text {kind}"]) / p95(timings[f"listing {kind}"]) for kind in ("rows", "page")
    }
    print()
    for kind, ratio in ratios.items():
        print(f"p95 ratio full text / listing ({kind}): {ratio:.2f} (limit {MAX_RATIO:.0f})")
    capped = sum(1 for _text, _rows, count in hits if count > 1000)
    empty = sum(1 for _text, rows, _count in hits if rows == 0)
    print(f"searches with more than 1,000 hits: {capped}; with none: {empty}")
    for word, plan in plans.items():
        print(f"plan for '{word}' in one town:")
        print(plan)
    if max(ratios.values()) > MAX_RATIO:
        print("FAIL: full-text search costs more than 10× the plain listing.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
