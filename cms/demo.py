"""The demo site: a start page and the legal pages, in plausible German.

`seed_pages()` is idempotent: it creates what is missing and updates what exists, so a second run of
`manage.py seed_demo` changes nothing an editor would not expect.
"""

import json
import uuid

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import GroupApprovalTask, Locale, Page, Site, Workflow, WorkflowPage, WorkflowTask

from cms.models import HomePage, StandardPage, StoryIndexPage, TasterOfferIndexPage


def _paragraphs(*blocks: tuple[str, str]) -> str:
    """Returns StreamField JSON for ("heading"|"paragraph", text) pairs."""
    stream = []
    for kind, text in blocks:
        value = {"text": text, "level": "h2"} if kind == "heading" else text
        stream.append({"type": kind, "value": value, "id": str(uuid.uuid4())})
    return json.dumps(stream)


HOME = {
    "title": "Startseite",
    "slug": "start",
    "hero_title": "Gemeinsam ankommen – Ehrenamt im Kreis Gütersloh",
    "hero_text": (
        "Sie möchten Menschen helfen, die neu im Kreis Gütersloh sind? Hier finden Sie Patenschaften, "
        "Sprachcafés, Hausaufgabenhilfe und viele andere Möglichkeiten in Ihrer Nähe – auch für ein paar "
        "Stunden im Monat. Wir begleiten Sie vom ersten Schnuppern bis zum festen Tandem."
    ),
    "hero_cta_label": "",
    "body": _paragraphs(
        ("heading", "Was Sie hier tun können"),
        (
            "paragraph",
            "<ul><li><b>Schnuppern:</b> ein Angebot einmal ausprobieren, ohne Verpflichtung.</li>"
            "<li><b>Einsatz finden:</b> Vereine, Initiativen und Kommunen aus allen 13 Städten und Gemeinden "
            "suchen Unterstützung.</li><li><b>Tandem oder Patenschaft:</b> eine Person oder Familie über "
            "einige Monate begleiten.</li><li><b>Lernen:</b> Schulungen zu interkultureller Kompetenz, "
            "Sprachmittlung und Selbstfürsorge.</li></ul>",
        ),
        ("heading", "Wir lassen Sie nicht allein"),
        (
            "paragraph",
            "<p>Die Koordinierungsstellen in den Kommunen und beim Kreis beantworten Ihre Fragen, vermitteln "
            "passende Einsätze und sind ansprechbar, wenn es einmal schwierig wird. Organisationen antworten "
            "Ihnen innerhalb weniger Tage – sonst meldet sich die Koordination.</p>",
        ),
    ),
}

LEGAL_PAGES = [
    {
        "title": "Impressum",
        "slug": "impressum",
        "intro": "Angaben nach § 5 Digitale-Dienste-Gesetz (DDG) und § 18 Medienstaatsvertrag (MStV).",
        "body": _paragraphs(
            ("heading", "Anbieter"),
            (
                "paragraph",
                "<p>Kreis Gütersloh<br>Der Landrat<br>Herzebrocker Straße 140<br>33334 Gütersloh</p>"
                "<p>Der Kreis Gütersloh ist eine Körperschaft des öffentlichen Rechts. Er wird vertreten "
                "durch den Landrat.</p>",
            ),
            ("heading", "Kontakt"),
            (
                "paragraph",
                "<p>Telefon: 05241 85-0<br>E-Mail: ehrenamt@kreis-guetersloh.example</p>",
            ),
            ("heading", "Verantwortlich für den Inhalt"),
            (
                "paragraph",
                "<p>Abteilung Integration, Koordinierungsstelle Ehrenamt, Anschrift wie oben.</p>",
            ),
            ("heading", "Haftung für Links"),
            (
                "paragraph",
                "<p>Für die Inhalte verlinkter Seiten anderer Anbieter sind deren Betreiber verantwortlich. "
                "Rechtswidrige Inhalte waren zum Zeitpunkt der Verlinkung nicht erkennbar.</p>",
            ),
        ),
    },
    {
        "title": "Datenschutzerklärung",
        "slug": "datenschutz",
        "intro": "Wie wir mit Ihren Daten umgehen – kurz und verständlich.",
        "body": _paragraphs(
            ("heading", "Verantwortliche Stelle"),
            (
                "paragraph",
                "<p>Verantwortlich im Sinne der Datenschutz-Grundverordnung (DSGVO) ist der Kreis Gütersloh, "
                "Herzebrocker Straße 140, 33334 Gütersloh. Unsere Datenschutzbeauftragte erreichen Sie unter "
                "datenschutz@kreis-guetersloh.example.</p>",
            ),
            ("heading", "Welche Daten wir verarbeiten und warum"),
            (
                "paragraph",
                "<p>Wenn Sie ein Konto anlegen, speichern wir Ihre E-Mail-Adresse und ein verschlüsseltes "
                "Passwort, um Sie anmelden zu können (Art. 6 Abs. 1 lit. b DSGVO). Angaben in Ihrem Profil "
                "– etwa Sprachen, Interessen und Zeiten – nutzen wir nur, um passende Einsätze zu finden. "
                "Gesundheit, Religion, Herkunft oder Aufenthaltsstatus fragen wir nie ab.</p>",
            ),
            ("heading", "Ihre Rechte"),
            (
                "paragraph",
                "<p>Sie können jederzeit Auskunft über Ihre Daten verlangen, sie berichtigen, herunterladen "
                "oder löschen lassen (Art. 15 bis 20 DSGVO). Eine Einwilligung können Sie so einfach "
                "widerrufen, wie Sie sie gegeben haben. Beschwerden richten Sie an die Landesbeauftragte für "
                "Datenschutz und Informationsfreiheit Nordrhein-Westfalen.</p>",
            ),
            ("heading", "Speicherdauer"),
            (
                "paragraph",
                "<p>Wir löschen Daten, sobald der Zweck entfällt: ein gelöschtes Konto sofort, Angaben zu "
                "einem erweiterten Führungszeugnis spätestens drei Monate nach Ende der Tätigkeit.</p>",
            ),
            ("heading", "Cookies"),
            (
                "paragraph",
                "<p>Wir setzen nur technisch notwendige Cookies für die Anmeldung und den Schutz von "
                "Formularen. Es gibt keine Werbung und kein Tracking.</p>",
            ),
        ),
    },
    {
        "title": "Erklärung zur Barrierefreiheit",
        "slug": "barrierefreiheit",
        "intro": "Wir möchten, dass alle Menschen diese Website nutzen können.",
        "body": _paragraphs(
            ("heading", "Stand der Vereinbarkeit"),
            (
                "paragraph",
                "<p>Diese Website soll die Anforderungen der Barrierefreie-Informationstechnik-Verordnung "
                "Nordrhein-Westfalen (BITVNRW) und der WCAG 2.1 auf Stufe AA erfüllen. Jede Seite wird bei "
                "jeder Änderung automatisch auf Barrieren geprüft.</p>",
            ),
            ("heading", "Nicht barrierefreie Inhalte"),
            (
                "paragraph",
                "<p>Einige Inhalte gibt es noch nicht in Leichter Sprache und in Deutscher Gebärdensprache. "
                "Wir arbeiten daran.</p>",
            ),
            ("heading", "Barriere melden"),
            (
                "paragraph",
                "<p>Ist Ihnen eine Barriere aufgefallen? Schreiben Sie uns an "
                "barrierefreiheit@kreis-guetersloh.example. Wir antworten innerhalb von sechs Wochen.</p>",
            ),
            ("heading", "Durchsetzungsverfahren"),
            (
                "paragraph",
                "<p>Wenn Sie mit unserer Antwort nicht zufrieden sind, können Sie sich an die Ombudsstelle "
                "für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen wenden.</p>",
            ),
        ),
    },
]


def _ensure_locales() -> Locale:
    for code, _name in settings.LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    return Locale.objects.get(language_code=settings.LANGUAGE_CODE)


@transaction.atomic
def seed_pages() -> HomePage:
    """Creates or updates the start page, the legal pages, and the default Site; returns the start page."""
    locale = _ensure_locales()
    # Transactional tests flush the tree that Wagtail's migrations create; rebuild the root then.
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root", locale=locale)
    home = HomePage.objects.filter(locale=locale).first()
    home_fields = {key: value for key, value in HOME.items() if key != "body"}
    if home is None:
        home = HomePage(locale=locale, **home_fields)
        home.body = HOME["body"]
        root.add_child(instance=home)
    else:
        for key, value in home_fields.items():
            setattr(home, key, value)
        home.body = HOME["body"]
    home.save_revision().publish()

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = home
    site.site_name = settings.PLATFORM_NAME
    site.save()

    # Wagtail's migrations create a placeholder "Welcome" page; the demo site replaces it.
    for page in root.get_children().exclude(pk=home.pk).specific():
        if page.__class__ is Page:
            page.delete()

    for data in LEGAL_PAGES:
        page = StandardPage.objects.child_of(home).filter(slug=data["slug"]).first()
        fields = {key: value for key, value in data.items() if key != "body"}
        if page is None:
            page = StandardPage(locale=locale, show_in_footer=True, **fields)
            page.body = data["body"]
            home.add_child(instance=page)
        else:
            for key, value in fields.items():
                setattr(page, key, value)
            page.body = data["body"]
            page.show_in_footer = True
        page.save_revision().publish()

    seed_taster_index(home)
    seed_story_index(home)
    seed_workflow(home)
    return home


TASTER_INDEX = {
    "title": "Schnuppern",
    "slug": "schnuppern",
    "intro": (
        "Probieren Sie ein Ehrenamt einmal aus – ohne Verpflichtung. Melden Sie sich für einen Termin an, "
        "lernen Sie die Menschen kennen und entscheiden Sie danach in Ruhe."
    ),
}

STORY_INDEX = {
    "title": "Geschichten",
    "slug": "geschichten",
    "intro": (
        "Menschen aus dem ganzen Kreis erzählen, warum sie sich engagieren – und was sie dabei erleben. "
        "Danke, dass Sie da sind!"
    ),
}


def seed_story_index(home: HomePage) -> StoryIndexPage:
    """Creates or updates the list of appreciation stories below the start page."""
    page = StoryIndexPage.objects.child_of(home).first()
    if page is None:
        page = StoryIndexPage(locale=home.locale, **STORY_INDEX)
        home.add_child(instance=page)
    else:
        for key, value in STORY_INDEX.items():
            setattr(page, key, value)
    page.save_revision().publish()
    return page


WORKFLOW_NAME = "Redaktion → Freigabe"


def seed_taster_index(home: HomePage) -> TasterOfferIndexPage:
    """Creates or updates the list of taster offers below the start page."""
    page = TasterOfferIndexPage.objects.child_of(home).first()
    if page is None:
        page = TasterOfferIndexPage(locale=home.locale, **TASTER_INDEX)
        home.add_child(instance=page)
    else:
        for key, value in TASTER_INDEX.items():
            setattr(page, key, value)
    page.save_revision().publish()
    return page


def seed_workflow(home: HomePage) -> Workflow:
    """Creates the moderation workflow "Redaktion → Freigabe" for everything below the start page."""
    editorial, _created = Group.objects.get_or_create(name="Redaktion")
    approval, _created = Group.objects.get_or_create(name="Freigabe")
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    for order, (name, group) in enumerate([("Redaktion", editorial), ("Freigabe", approval)]):
        task = GroupApprovalTask.objects.filter(name=name).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=name)
        task.groups.set([group])
        WorkflowTask.objects.update_or_create(workflow=workflow, task=task, defaults={"sort_order": order})
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    seed_newsroom_rights()
    return workflow


NEWSROOM_PAGE_RIGHTS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")


def seed_newsroom_rights() -> None:
    """The newsroom ("Redaktion") translates pages with wagtail-localize (Translate → segments → publish)
    and edits the translations: the right to submit translations and page rights in every language tree
    (each start page; the German one gets its rights from volunteering.demo.seed_roles as well)."""
    from wagtail.models import GroupPagePermission

    editorial, _created = Group.objects.get_or_create(name="Redaktion")
    # wagtail-localize creates this permission in a data migration (on a content type of its own), which
    # a flushed test database no longer has: made here the same way if missing.
    content_type, _created = ContentType.objects.get_or_create(
        app_label="wagtail_localize", model="translation"
    )
    submit, _created = Permission.objects.get_or_create(
        content_type=content_type, codename="submit_translation", defaults={"name": "Can submit translations"}
    )
    editorial.permissions.add(submit)
    rights = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=NEWSROOM_PAGE_RIGHTS
    )
    for home in HomePage.objects.all():
        for permission in rights:
            GroupPagePermission.objects.get_or_create(group=editorial, page=home, permission=permission)
