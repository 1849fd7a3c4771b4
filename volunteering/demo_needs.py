"""Demo needs: about 40 plausible Einsatzmöglichkeiten across the district's towns, all six fields and many
languages, for the verified demo organisations. Idempotent (a need is found again by organisation and title).

Needs the demo organisations (`seed_organisations`) first. Two more verified organisations that work across
several towns (a welfare association and the district's integration centre) are added here, so that every
town has needs.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from volunteering.models import (
    ActivityType,
    Kommune,
    Language,
    LegalForm,
    Need,
    Organisation,
    OrganisationStatus,
    ScheduleKind,
)
from volunteering.services.needs import NeedDetails, need_import

MORE_ORGANISATIONS = [
    {
        "slug": "diakonie-guetersloh",
        "name": "Diakonie Gütersloh e. V.",
        "legal_form": LegalForm.WOHLFAHRT,
        "kommunen": [
            "Gütersloh",
            "Halle (Westf.)",
            "Steinhagen",
            "Werther (Westf.)",
            "Borgholzhausen",
            "Versmold",
            "Harsewinkel",
        ],
        "description": "Flüchtlingsberatung, Fahrradwerkstätten und Lernpatenschaften im Nordkreis.",
        "email": "ehrenamt@diakonie-guetersloh.example",
    },
    {
        "slug": "integrationszentrum-kreis-guetersloh",
        "name": "Kommunales Integrationszentrum Kreis Gütersloh",
        "legal_form": LegalForm.KOMMUNE,
        "kommunen": [
            "Herzebrock-Clarholz",
            "Langenberg",
            "Rietberg",
            "Schloß Holte-Stukenbrock",
            "Rheda-Wiedenbrück",
            "Verl",
            "Gütersloh",
        ],
        "description": "Das Integrationszentrum vermittelt Sprachmittlung und begleitet Projekte "
        "in den Kommunen.",
        "email": "integration@kreis-guetersloh.example",
    },
]

# What the tasks and limits of each kind of activity usually are.
ACTIVITY_TEXTS = {
    "hausaufgabenhilfe": (
        "Sie helfen Schulkindern bei den Hausaufgaben, üben Lesen und Rechnen und hören zu, wenn etwas "
        "nicht klappt.",
        "Keine Nachhilfe für Prüfungen, keine Betreuung außerhalb der Lernzeit, keine Gespräche mit der "
        "Schule im Namen der Eltern.",
    ),
    "lesepatenschaft": (
        "Sie lesen einmal in der Woche mit einem Kind oder einer kleinen Gruppe und entdecken gemeinsam "
        "Bücher.",
        "Kein Förderunterricht, keine Hausbesuche.",
    ),
    "sprachpatenschaft": (
        "Sie treffen sich regelmäßig mit einer Person, sprechen Deutsch im Alltag und üben, was gerade "
        "gebraucht wird.",
        "Kein Sprachkurs mit Prüfung, keine Rechtsberatung, keine Geldgeschäfte.",
    ),
    "sprachcafe": (
        "Sie sitzen mit am Tisch, bringen Gespräche in Gang und helfen bei Wörtern, die fehlen.",
        "Kein Unterricht, keine Vorbereitung zu Hause nötig.",
    ),
    "begleitung-aemter": (
        "Sie begleiten zu Terminen bei Ämtern, helfen beim Verstehen und schreiben wichtige Punkte mit auf.",
        "Keine Rechtsberatung, keine Unterschriften im Namen anderer, keine Fahrten mit dem eigenen Auto.",
    ),
    "formularhilfe": (
        "Sie helfen beim Ausfüllen von Anträgen und erklären, welche Unterlagen gebraucht werden.",
        "Keine Rechts- oder Steuerberatung; schwierige Fälle geben Sie an die Beratungsstelle weiter.",
    ),
    "sprachmittlung": (
        "Sie übersetzen mündlich bei Gesprächen in Kita, Schule oder Arztpraxis.",
        "Keine Übersetzung von Urkunden, keine Einsätze ohne vorherige Absprache mit der Koordination.",
    ),
    "freizeit-sport": (
        "Sie gestalten gemeinsame Freizeit: Spiele, Sport, Ausflüge oder Feste.",
        "Keine Aufsichtspflicht allein, keine Verantwortung für Geld oder Fahrzeuge.",
    ),
    "familienpatenschaft": (
        "Sie stehen einer Familie zur Seite, helfen im Alltag und sind Ansprechperson für Fragen.",
        "Keine Kinderbetreuung allein über Nacht, keine finanzielle Unterstützung.",
    ),
    "ausbildungspatenschaft": (
        "Sie begleiten junge Menschen in Ausbildung, üben für Prüfungen und helfen bei Fragen zum Betrieb.",
        "Keine Nachhilfe in allen Fächern, keine Gespräche mit dem Betrieb ohne Zustimmung.",
    ),
    "alltagsbegleitung": (
        "Sie helfen im Alltag: beim Einkaufen, bei der Orientierung in der Stadt, bei Briefen.",
        "Keine Pflege, keine Fahrdienste, keine Geldgeschäfte.",
    ),
    "wohnungssuche": (
        "Sie suchen gemeinsam Wohnungsanzeigen, üben Anrufe bei Vermietern und begleiten zu Besichtigungen.",
        "Keine Bürgschaften, keine Verhandlungen im eigenen Namen.",
    ),
    "fahrradwerkstatt": (
        "Sie reparieren gemeinsam gespendete Fahrräder und zeigen, wie man Reifen flickt und Bremsen "
        "einstellt.",
        "Keine Haftung für Reparaturen, kein Verkauf von Rädern.",
    ),
    "bewerbungshilfe": (
        "Sie helfen bei Lebenslauf und Anschreiben und üben Vorstellungsgespräche.",
        "Keine Stellenvermittlung, keine Gespräche mit Arbeitgebern im Namen anderer.",
    ),
}

# (organisation, town, title, activity, languages, slots or days until a one-off date, extras, description)
NEEDS = [
    (
        "caritas-kreis-guetersloh",
        "Rheda-Wiedenbrück",
        "Hausaufgabenhilfe in der Grundschule am Emsufer",
        "hausaufgabenhilfe",
        ["ar", "ku"],
        ["mon-afternoon", "wed-afternoon"],
        {"taster_possible": True},
        "Kinder der Klassen 1 bis 4 kommen nach der Schule in unseren Lernraum. Viele Familien sind neu in "
        "Rheda-Wiedenbrück und freuen sich über Unterstützung beim Lernen.",
    ),
    (
        "caritas-kreis-guetersloh",
        "Gütersloh",
        "Begleitung zu Ämtern und Behörden in Gütersloh",
        "begleitung-aemter",
        ["ar", "fa", "uk"],
        ["tue-morning", "thu-morning"],
        {"min_age": 18},
        "Termine beim Jobcenter, bei der Ausländerbehörde oder der Familienkasse sind für "
        "Neuzugewanderte oft schwer zu verstehen. Mit Ihnen an der Seite geht es leichter.",
    ),
    (
        "caritas-kreis-guetersloh",
        "Gütersloh",
        "Sprachcafé im Familienzentrum",
        "sprachcafe",
        ["uk", "ru"],
        ["fri-afternoon"],
        {"taster_possible": True, "no_german_needed": False},
        "Jeden Freitag treffen sich Menschen aus vielen Ländern bei Kaffee und Kuchen und sprechen Deutsch.",
    ),
    (
        "caritas-kreis-guetersloh",
        "Rheda-Wiedenbrück",
        "Formularhilfe in der Migrationsberatung",
        "formularhilfe",
        ["ar", "tr"],
        ["wed-morning"],
        {"min_age": 18, "training_required": True},
        "Anträge auf Wohngeld, Kindergeld oder einen Kitaplatz: Wir helfen beim Ausfüllen.",
    ),
    (
        "caritas-kreis-guetersloh",
        "Gütersloh",
        "Bewerbungstraining für junge Erwachsene",
        "bewerbungshilfe",
        ["en", "ar"],
        ["thu-evening"],
        {},
        "Junge Menschen zwischen 18 und 27 suchen einen Ausbildungsplatz und brauchen Hilfe bei ihrer "
        "Bewerbung.",
    ),
    (
        "caritas-kreis-guetersloh",
        "Rheda-Wiedenbrück",
        "Sommerfest der Kulturen: Helferinnen und Helfer gesucht",
        "freizeit-sport",
        ["ar", "tr", "uk", "ro"],
        24,
        {"taster_possible": False, "min_age": 14, "no_german_needed": True},
        "Für unser Sommerfest suchen wir Menschen, die beim Aufbau, am Kuchenstand und bei den Spielen für "
        "Kinder helfen.",
    ),
    (
        "fluechtlingshilfe-verl",
        "Verl",
        "Sprachcafé am Samstag in Verl",
        "sprachcafe",
        ["ar", "fa", "prs"],
        ["sat-morning"],
        {"taster_possible": True, "min_age": 14},
        "Im Sprachcafé im Pfarrheim üben Geflüchtete Deutsch im Gespräch. Vorkenntnisse brauchen Sie nicht.",
    ),
    (
        "fluechtlingshilfe-verl",
        "Verl",
        "Fahrradwerkstatt Verl: Schrauben und Flicken",
        "fahrradwerkstatt",
        [],
        ["sat-afternoon"],
        {"taster_possible": True, "min_age": 12, "no_german_needed": True},
        "In der Werkstatt machen wir gespendete Fahrräder wieder fit, damit Geflüchtete mobil sind.",
    ),
    (
        "fluechtlingshilfe-verl",
        "Verl",
        "Hausaufgabenhilfe für Kinder aus geflüchteten Familien",
        "hausaufgabenhilfe",
        ["ar", "ku"],
        ["tue-afternoon", "thu-afternoon"],
        {},
        "In der Gemeinschaftsunterkunft lernen Kinder nachmittags in kleinen Gruppen.",
    ),
    (
        "fluechtlingshilfe-verl",
        "Verl",
        "Familienpatenschaft für eine syrische Familie",
        "familienpatenschaft",
        ["ar"],
        ["sun-afternoon"],
        {"min_age": 21},
        "Eine Familie mit drei Kindern ist neu in Verl und wünscht sich eine Patin oder einen Paten für den "
        "Alltag.",
    ),
    (
        "fluechtlingshilfe-verl",
        "Verl",
        "Alltagsbegleitung für ältere Menschen aus der Ukraine",
        "alltagsbegleitung",
        ["uk", "ru"],
        ["mon-morning", "wed-morning"],
        {},
        "Ältere Menschen aus der Ukraine brauchen Hilfe beim Einkaufen und bei Arztterminen.",
    ),
    (
        "interkultureller-frauentreff-rietberg",
        "Rietberg",
        "Frauentreff: Deutsch üben beim Kochen",
        "sprachcafe",
        ["ar", "tr", "fa"],
        ["wed-evening"],
        {"taster_possible": True},
        "Frauen treffen sich zum gemeinsamen Kochen und sprechen dabei Deutsch. "
        "Kinderbetreuung ist organisiert.",
    ),
    (
        "interkultureller-frauentreff-rietberg",
        "Rietberg",
        "Kinderbetreuung während des Frauentreffs",
        "freizeit-sport",
        ["ar", "tr"],
        ["wed-evening"],
        {"min_age": 16},
        "Während die Mütter im Treff sind, spielen Sie mit den Kindern im Nebenraum.",
    ),
    (
        "interkultureller-frauentreff-rietberg",
        "Rietberg",
        "Lesepatin für Mädchen im Grundschulalter",
        "lesepatenschaft",
        ["ar"],
        ["fri-afternoon"],
        {},
        "Einmal in der Woche lesen Mädchen aus dem Treff gemeinsam mit einer Lesepatin.",
    ),
    (
        "interkultureller-frauentreff-rietberg",
        "Rietberg",
        "Begleitung zu Arztterminen",
        "sprachmittlung",
        ["ar", "fa", "tr"],
        ["tue-morning"],
        {"min_age": 18, "training_required": True},
        "Frauen wünschen sich eine Begleitung, die bei Arztterminen übersetzt.",
    ),
    (
        "stadt-harsewinkel-integrationsbuero",
        "Harsewinkel",
        "Sprachmittlung Arabisch im Rathaus",
        "sprachmittlung",
        ["ar"],
        ["mon-morning", "thu-morning"],
        {"min_age": 18, "training_required": True},
        "Das Integrationsbüro sucht Menschen, die bei Gesprächen im Rathaus Arabisch und Deutsch übersetzen.",
    ),
    (
        "stadt-harsewinkel-integrationsbuero",
        "Harsewinkel",
        "Begleitung bei der Wohnungssuche",
        "wohnungssuche",
        ["uk", "ru", "ar"],
        ["tue-afternoon"],
        {"min_age": 18},
        "Familien, die aus der Unterkunft ausziehen möchten, suchen eine eigene Wohnung in Harsewinkel.",
    ),
    (
        "stadt-harsewinkel-integrationsbuero",
        "Harsewinkel",
        "Sprachmittlung Ukrainisch in Kita und Schule",
        "sprachmittlung",
        ["uk", "ru"],
        ["wed-afternoon"],
        {"min_age": 18},
        "Bei Elterngesprächen in Kitas und Schulen wird Ukrainisch oder Russisch gebraucht.",
    ),
    (
        "stadt-harsewinkel-integrationsbuero",
        "Harsewinkel",
        "Welcome-Fußball für Jugendliche",
        "freizeit-sport",
        [],
        ["fri-evening"],
        {"min_age": 16, "taster_possible": True, "no_german_needed": True},
        "Jugendliche aus vielen Ländern spielen zusammen Fußball. Wir suchen Trainerinnen und Trainer.",
    ),
    (
        "diakonie-guetersloh",
        "Halle (Westf.)",
        "Fahrradwerkstatt Halle: Räder für alle",
        "fahrradwerkstatt",
        ["fa", "prs"],
        ["thu-afternoon"],
        {"taster_possible": True, "min_age": 14, "no_german_needed": True},
        "In Halle reparieren wir Fahrräder für Menschen, die sich kein eigenes leisten können.",
    ),
    (
        "diakonie-guetersloh",
        "Steinhagen",
        "Lesepaten für die Grundschule Steinhagen",
        "lesepatenschaft",
        [],
        ["tue-morning", "thu-morning"],
        {"taster_possible": True},
        "Kinder mit anderer Muttersprache lesen mit Ihnen und entdecken die Schulbücherei.",
    ),
    (
        "diakonie-guetersloh",
        "Werther (Westf.)",
        "Sprachpatenschaft in Werther",
        "sprachpatenschaft",
        ["fa", "prs", "ps"],
        ["mon-evening"],
        {},
        "Junge Erwachsene aus Afghanistan wünschen sich eine Sprachpatin oder einen Sprachpaten.",
    ),
    (
        "diakonie-guetersloh",
        "Borgholzhausen",
        "Alltagsbegleitung in Borgholzhausen",
        "alltagsbegleitung",
        ["ro", "bg"],
        ["sat-morning"],
        {},
        "Familien aus Rumänien und Bulgarien suchen Unterstützung bei Briefen und Terminen.",
    ),
    (
        "diakonie-guetersloh",
        "Versmold",
        "Ausbildungspaten für Versmolder Betriebe",
        "ausbildungspatenschaft",
        ["ar", "ti"],
        ["wed-evening"],
        {"min_age": 18},
        "Auszubildende in Handwerk und Industrie freuen sich über eine Patin oder einen Paten "
        "für Fragen rund um Berufsschule und Betrieb.",
    ),
    (
        "diakonie-guetersloh",
        "Gütersloh",
        "Formularhilfe im Stadtteilbüro",
        "formularhilfe",
        ["ro", "pl", "bg"],
        ["mon-afternoon"],
        {"min_age": 18},
        "Im Stadtteilbüro helfen Sie bei Anträgen und Briefen von Behörden.",
    ),
    (
        "diakonie-guetersloh",
        "Halle (Westf.)",
        "Bewerbungshilfe im Jugendtreff Halle",
        "bewerbungshilfe",
        ["tr", "ar"],
        ["thu-evening"],
        {},
        "Jugendliche schreiben ihre ersten Bewerbungen für Praktikum und Ausbildung.",
    ),
    (
        "diakonie-guetersloh",
        "Steinhagen",
        "Kleiderkammer: Sortieren und Ausgeben",
        "alltagsbegleitung",
        ["uk", "ar"],
        ["tue-afternoon"],
        {"taster_possible": True, "min_age": 14, "no_german_needed": True},
        "In der Kleiderkammer sortieren Sie Spenden und helfen bei der Ausgabe.",
    ),
    (
        "diakonie-guetersloh",
        "Versmold",
        "Spielenachmittag in der Unterkunft",
        "freizeit-sport",
        [],
        10,
        {"min_age": 14, "taster_possible": True},
        "Ein Nachmittag mit Brettspielen, Basteln und Waffeln für Kinder und Eltern.",
    ),
    (
        "integrationszentrum-kreis-guetersloh",
        "Herzebrock-Clarholz",
        "Sprachmittlung Tigrinya bei Elterngesprächen",
        "sprachmittlung",
        ["ti"],
        ["tue-afternoon"],
        {"min_age": 18, "training_required": True},
        "Für Elterngespräche in Schulen wird dringend Tigrinya gebraucht.",
    ),
    (
        "integrationszentrum-kreis-guetersloh",
        "Langenberg",
        "Sprachcafé Langenberg",
        "sprachcafe",
        ["ro", "pl"],
        ["thu-evening"],
        {"taster_possible": True},
        "Ein neues Sprachcafé im Bürgerhaus sucht Gastgeberinnen und Gastgeber.",
    ),
    (
        "integrationszentrum-kreis-guetersloh",
        "Schloß Holte-Stukenbrock",
        "Hausaufgabenhilfe im Jugendzentrum",
        "hausaufgabenhilfe",
        ["ru", "uk"],
        ["mon-afternoon", "thu-afternoon"],
        {},
        "Schülerinnen und Schüler der Klassen 5 bis 7 brauchen Hilfe bei Mathe und Deutsch.",
    ),
    (
        "integrationszentrum-kreis-guetersloh",
        "Rietberg",
        "Begleitung zum Jobcenter Rietberg",
        "begleitung-aemter",
        ["ar", "ku", "ckb"],
        ["wed-morning"],
        {"min_age": 18},
        "Menschen mit wenig Deutschkenntnissen wünschen sich Begleitung zu Terminen beim Jobcenter.",
    ),
    (
        "integrationszentrum-kreis-guetersloh",
        "Rheda-Wiedenbrück",
        "Ausbildungspatenschaft in der Pflege",
        "ausbildungspatenschaft",
        ["uk", "ar", "so"],
        ["tue-evening"],
        {"min_age": 21},
        "Auszubildende in der Pflege suchen Unterstützung beim Lernen für die Zwischenprüfung.",
    ),
    (
        "integrationszentrum-kreis-guetersloh",
        "Verl",
        "Wohnungssuche: Anrufe bei Vermietern üben",
        "wohnungssuche",
        ["ar", "ti"],
        ["fri-morning"],
        {"min_age": 18},
        "Gemeinsam suchen Sie passende Anzeigen und üben das erste Telefonat.",
    ),
    (
        "integrationszentrum-kreis-guetersloh",
        "Langenberg",
        "Lesepaten in der Gemeindebücherei",
        "lesepatenschaft",
        [],
        ["sat-morning"],
        {"taster_possible": True, "min_age": 14},
        "Samstags lesen Kinder in der Bücherei vor – und Sie hören zu und helfen.",
    ),
    (
        "integrationszentrum-kreis-guetersloh",
        "Herzebrock-Clarholz",
        "Fahrradkurs für Frauen",
        "fahrradwerkstatt",
        ["ar", "fa"],
        ["sat-afternoon"],
        {"taster_possible": True},
        "Frauen lernen Radfahren: Sie halten das Rad, erklären Verkehrsregeln und machen Mut.",
    ),
    (
        "integrationszentrum-kreis-guetersloh",
        "Schloß Holte-Stukenbrock",
        "Familienpatenschaft in Schloß Holte",
        "familienpatenschaft",
        ["ru", "uk"],
        ["sun-morning"],
        {"min_age": 21},
        "Eine Familie aus der Ukraine wünscht sich Anschluss und Hilfe bei Schule und Kita.",
    ),
    (
        "caritas-kreis-guetersloh",
        "Gütersloh",
        "Lernpaten für Berufsschülerinnen und Berufsschüler",
        "ausbildungspatenschaft",
        ["ar", "fa", "prs"],
        ["mon-evening"],
        {},
        "Berufsschülerinnen und Berufsschüler in Internationalen Förderklassen suchen Lernpaten.",
    ),
    (
        "fluechtlingshilfe-verl",
        "Verl",
        "Ausflug in den Tierpark: Begleitung gesucht",
        "freizeit-sport",
        ["ar", "uk"],
        17,
        {"min_age": 16, "taster_possible": False},
        "Für einen Ausflug mit Familien aus der Unterkunft suchen wir Begleitpersonen.",
    ),
    (
        "stadt-harsewinkel-integrationsbuero",
        "Harsewinkel",
        "Formularhilfe für Anträge auf Kindergeld",
        "formularhilfe",
        ["ar", "ku", "tr"],
        ["thu-afternoon"],
        {"min_age": 18},
        "Viele Familien brauchen Hilfe bei den Anträgen der Familienkasse.",
    ),
]


def _organisations() -> None:
    for row in MORE_ORGANISATIONS:
        values = {key: value for key, value in row.items() if key not in ("slug", "kommunen")}
        organisation = Organisation.objects.filter(slug=row["slug"]).first() or Organisation(slug=row["slug"])
        for field, value in values.items():
            setattr(organisation, field, value)
        organisation.status = OrganisationStatus.VERIFIED
        organisation.verified_at = organisation.verified_at or timezone.now()
        organisation.full_clean()
        organisation.save()
        organisation.kommunen.set(Kommune.objects.filter(name__in=row["kommunen"]))


@transaction.atomic
def seed_needs() -> list[Need]:
    """Creates or refreshes the demo needs (published, with a fresh expiry); returns them."""
    _organisations()
    organisations = {organisation.slug: organisation for organisation in Organisation.objects.all()}
    towns = {town.name: town for town in Kommune.objects.all()}
    activities = {
        activity.slug: activity for activity in ActivityType.objects.select_related("handlungsfeld")
    }
    languages = {language.code: language for language in Language.objects.all()}
    needs = []
    for slug, town, title, activity_slug, codes, when, extras, description in NEEDS:
        activity = activities[activity_slug]
        tasks, limits = ACTIVITY_TEXTS[activity_slug]
        if not isinstance(when, int):
            schedule = {"schedule_kind": ScheduleKind.RECURRING, "slots": tuple(when)}
        else:
            starts = timezone.localtime() + timedelta(days=when)
            starts = starts.replace(hour=14, minute=0, second=0, microsecond=0)
            schedule = {
                "schedule_kind": ScheduleKind.ONE_OFF,
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=4),
            }
        values = {"min_age": 16, "efz_required": bool(activity.efz_required), **extras}
        details = NeedDetails(
            title=title,
            description=description,
            tasks=tasks,
            limits=limits,
            handlungsfeld=activity.handlungsfeld,
            activity_type=activity,
            kommune=towns[town],
            languages=tuple(languages[code] for code in codes if code in languages),
            hours_per_week=2,
            time_commitment="mindestens drei Monate"
            if schedule["schedule_kind"] == ScheduleKind.RECURRING
            else "",
            contact_name="Ehrenamtskoordination",
            **schedule,
            **values,
        )
        needs.append(need_import(organisation=organisations[slug], details=details))
    return needs
