"""Demo content of the cms app: a campaign, five taster offers (one full, with a waitlist), three stories,
the Leichte-Sprache start page and translations of the start page.

`seed_cms_demo()` is idempotent: it finds pages by slug below their parent and updates them. It expects the
page tree of `seed_pages()` and the demo organisations and volunteers of `seed_demo`.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Site

from cms.models import (
    CampaignPage,
    HomePage,
    StandardPage,
    StoryConsent,
    StoryIndexPage,
    StoryPage,
    TasterOfferIndexPage,
    TasterOfferPage,
)
from notifications import clock


def _stream(*paragraphs: str) -> str:
    return json.dumps(
        [{"type": "paragraph", "value": f"<p>{text}</p>", "id": str(uuid.uuid4())} for text in paragraphs]
    )


def _upsert(parent, model, slug: str, **fields):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, locale=parent.locale, **fields)
        parent.add_child(instance=page)
    else:
        for key, value in fields.items():
            setattr(page, key, value)
    page.save_revision().publish()
    return model.objects.get(pk=page.pk)


CAMPAIGN = {
    "title": "Patenschaften für Neuzugewanderte im Kreis Gütersloh",
    "intro": (
        "Eine Patin, ein Pate macht den Unterschied: beim ersten Brief vom Amt, beim Elternabend, beim "
        "Einkaufen im neuen Viertel. Wir suchen Menschen, die eine Familie oder eine Person ein paar Monate "
        "begleiten – etwa zwei Stunden pro Woche."
    ),
    "goal": "40 neue Patenschaften bis zum Sommer",
    "goal_signups": 40,
    "cta_label": "Patenschaften in Ihrer Nähe finden",
    "cta_target": CampaignPage.Target.NEEDS,
    "needs_query": "q=Patenschaft",
    "code": "paten-kreis-gt",
}

OFFERS = [
    (
        "sprachcafe-verl",
        "Sprachcafé im Bürgerhaus",
        "fluechtlingshilfe-verl",
        "Verl",
        9,
        6,
        "Bürgerhaus Verl, Sender Straße 1",
    ),
    (
        "fahrradwerkstatt-guetersloh",
        "Fahrradwerkstatt zum Mitschrauben",
        "caritas-kreis-guetersloh",
        "Gütersloh",
        12,
        4,
        "Werkstatt am Bahnhof, Friedrich-Ebert-Straße 5",
    ),
    (
        "frauentreff-rietberg",
        "Frauenfrühstück mit Gesprächen",
        "interkultureller-frauentreff-rietberg",
        "Rietberg",
        16,
        8,
        "Familienzentrum, Rathausstraße 12",
    ),
    (
        "hausaufgaben-harsewinkel",
        "Hausaufgabenhilfe kennenlernen",
        "stadt-harsewinkel-integrationsbuero",
        "Harsewinkel",
        20,
        2,
        "Grundschule Marienfeld, Klosterhof 4",
    ),
    (
        "lesepaten-halle",
        "Vorlesen in der Stadtbücherei",
        "sprachbruecke-halle",
        "Halle (Westf.)",
        23,
        5,
        "Stadtbücherei, Lange Straße 20",
    ),
]
FULL_OFFER = "hausaufgaben-harsewinkel"

STORIES = [
    (
        "hatice-begleitet-familien",
        "Hatice begleitet Familien zu Ämtern",
        "Hatice",
        "Ich weiß noch, wie fremd mir alles war. Heute kann ich das weitergeben.",
        "Gütersloh",
    ),
    (
        "juergen-repariert-fahrraeder",
        "Jürgen repariert Fahrräder – und knüpft Kontakte",
        "Jürgen",
        "Beim Schrauben redet man über alles. Das ist das Schönste daran.",
        "Verl",
    ),
    (
        "olena-liest-vor",
        "Olena liest Kindern vor",
        "Olena",
        "Wenn die Kinder lachen, ist die Sprache plötzlich egal.",
        "Halle (Westf.)",
    ),
]

EASY_LANGUAGE = {
    "title": "Leichte Sprache",
    "intro": "Hier erklären wir die Internet-Seite in Leichter Sprache.",
    "body": _stream(
        "Auf dieser Seite finden Sie Ehren-Ämter im Kreis Gütersloh.",
        "Ehren-Amt bedeutet: Sie helfen anderen Menschen. Sie bekommen dafür kein Geld.",
        "Sie können zum Beispiel Menschen helfen, die neu in Deutschland sind.",
        "Sie können ein Angebot zuerst ausprobieren. Das heißt: Schnuppern.",
        "Haben Sie Fragen? Dann rufen Sie uns an: 05241 85-0.",
    ),
    "is_easy_language": True,
    "easy_language_checked_on": date(2026, 10, 14),
}

HOME_TRANSLATIONS = {
    "en": (
        "Home",
        "Arriving together – volunteering in the district of Gütersloh",
        "Would you like to help people who are new to the district? Find sponsorships, language cafés, homework help and much more near you – even for a few hours a month.",  # noqa: E501
    ),
    "uk": (
        "Головна",
        "Разом приїжджати – волонтерство в окрузі Гютерсло",
        "Хочете допомагати людям, які нещодавно приїхали? Тут ви знайдете наставництво, мовні кафе, допомогу з домашніми завданнями та багато іншого поруч із вами.",  # noqa: E501
    ),
    "ar": (
        "الصفحة الرئيسية",
        "نصل معًا – العمل التطوعي في مقاطعة غوترسلوه",
        "هل ترغب في مساعدة القادمين الجدد؟ ستجد هنا الرعاية والمقاهي اللغوية والمساعدة في الواجبات المدرسية وغير ذلك بالقرب منك.",  # noqa: E501
    ),
}


def _at(days: int, hour: int) -> datetime:
    return clock.local_datetime(timezone.localdate() + timedelta(days=days), time(hour, 0))


def seed_language_trees() -> None:
    """Mirrors the German page tree into every other language (wagtail-localize's locale synchronisation).

    Pages not translated yet become aliases of the German page, so every address exists in every language
    and shows the German content marked as such; new German pages get their aliases when created.
    """
    from wagtail_localize.models import LocaleSynchronization
    from wagtail_localize.synctree import synchronize_tree

    source = Locale.get_default()
    for locale in Locale.objects.exclude(pk=source.pk):
        LocaleSynchronization.objects.get_or_create(locale=locale, defaults={"sync_from": source})
        synchronize_tree(source, locale)


@transaction.atomic
def seed_cms_demo() -> dict[str, int]:
    """Creates or updates the demo content; returns how many pages of each kind exist."""
    from volunteering.models import Handlungsfeld, Kommune, Organisation, TasterSignup, User
    from volunteering.services.tasters import taster_book

    home = Site.objects.get(is_default_site=True).root_page.specific
    today = timezone.localdate()
    _upsert(
        home,
        CampaignPage,
        "patenschaften",
        starts_on=today - timedelta(days=14),
        ends_on=today + timedelta(days=120),
        body=_stream(
            "Sie bekommen eine Schulung, eine feste Ansprechperson und Austauschtreffen mit anderen Patinnen und Paten."  # noqa: E501
        ),
        **CAMPAIGN,
    )

    tasters = TasterOfferIndexPage.objects.child_of(home).get()
    volunteers = list(User.objects.filter(volunteer_profile__isnull=False).order_by("pk")[:4])
    for slug, title, org_slug, town, days, capacity, place in OFFERS:
        organisation = Organisation.objects.filter(slug=org_slug).first()
        if organisation is None:
            continue
        offer = _upsert(
            tasters,
            TasterOfferPage,
            slug,
            title=title,
            organisation=organisation,
            starts_at=_at(days, 17),
            ends_at=_at(days, 19),
            place=place,
            kommune=Kommune.objects.get(name=town),
            capacity=capacity,
            what_to_expect="Sie lernen das Team und die Menschen kennen, schauen zu und helfen mit, so viel Sie möchten. Danach sprechen wir in Ruhe darüber, ob es zu Ihnen passt.",  # noqa: E501
            accessibility="Stufenloser Zugang; barrierefreies WC im Erdgeschoss.",
        )
        if slug == FULL_OFFER and not TasterSignup.objects.filter(offer=offer).exists():
            for person in volunteers[: capacity + 2]:  # two seats, two on the waitlist
                taster_book(offer=offer, user=person)

    stories = StoryIndexPage.objects.child_of(home).get()
    for index, (slug, title, name, quote, town) in enumerate(STORIES):
        story = StoryPage.objects.child_of(stories).filter(slug=slug).first()
        fields = {
            "title": title,
            "portrayed_name": name,
            "quote": quote,
            "intro": f"{name} engagiert sich seit einigen Jahren ehrenamtlich in {town}.",
            "body": _stream(
                "Was als Schnuppertermin begann, ist heute ein fester Teil der Woche.",
                "Danke für Ihr Engagement!",
            ),
            "kommune": Kommune.objects.get(name=town),
            "handlungsfeld": Handlungsfeld.objects.order_by("sort_order")[index % 2],
        }
        if story is None:
            story = StoryPage(slug=slug, locale=stories.locale, **fields)
            story.consents = [
                StoryConsent(
                    given_by=name,
                    given_at=today - timedelta(days=30),
                    scope=StoryConsent.Scope.WEBSITE_PRINT,
                    recorded_by="Koordinierungsstelle Ehrenamt",
                )
            ]
            stories.add_child(instance=story)
        else:
            for key, value in fields.items():
                setattr(story, key, value)
        story.save_revision().publish()

    _upsert(home, StandardPage, "leichte-sprache", **EASY_LANGUAGE)

    for code, (title, hero_title, hero_text) in HOME_TRANSLATIONS.items():
        locale = Locale.objects.get(language_code=code)
        translated = home.get_translation_or_none(locale)
        if translated is None:
            translated = home.copy_for_translation(locale)
        translated = translated.specific
        translated.title, translated.hero_title, translated.hero_text = title, hero_title, hero_text
        translated.body = []  # the demo translates the introduction only; no German text in the translation
        translated.save_revision().publish()
    seed_language_trees()
    from cms.demo import seed_newsroom_rights

    seed_newsroom_rights()  # the translated start pages exist now
    return {
        "campaigns": CampaignPage.objects.count(),
        "taster_offers": TasterOfferPage.objects.count(),
        "stories": StoryPage.objects.count(),
        "home_translations": HomePage.objects.count() - 1,
    }
