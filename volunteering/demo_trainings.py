"""Demo trainings: the catalogue, qualifications, sessions in several towns (one online, one full with a
waitlist), and the requirement "Basiskurs Sprachmittlung" on the activity type Sprachmittlung.

Idempotent: trainings and qualifications are keyed by slug, sessions by training and town. A session whose
dates have passed and that nobody booked is moved into the future again on the next run.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

from django.db import transaction

from notifications import clock
from volunteering.models import (
    ActivityType,
    Handlungsfeld,
    Kommune,
    Language,
    Qualification,
    Registration,
    RegistrationStatus,
    SessionAppointment,
    Training,
    TrainingSession,
    User,
)

QUALIFICATIONS = [
    (
        "basiskurs-sprachmittlung",
        "Basiskurs Sprachmittlung",
        {"en": "Basic course in community interpreting"},
    ),
    ("interkulturelle-kompetenz", "Interkulturelle Kompetenz", {"en": "Intercultural competence"}),
    (
        "asylrecht-grundlagen",
        "Grundlagen Asyl- und Aufenthaltsrecht",
        {"en": "Basics of asylum and residence law"},
    ),
    ("kinderschutz", "Kinderschutz im Ehrenamt", {"en": "Child protection in volunteering"}),
    ("erste-hilfe", "Erste Hilfe", {"en": "First aid"}),
]

# slug, title, summary, description, field, target group, hours, qualification, validity (months)
TRAININGS = [
    (
        "basiskurs-sprachmittlung",
        "Basiskurs Sprachmittlung",
        "Acht Abende über das Dolmetschen im Alltag: Rolle, Neutralität, Techniken, Fachbegriffe.",
        "Sprachmittlerinnen und Sprachmittler begleiten Geflüchtete zu Ärztinnen, Schulen und Ämtern. Der "
        "Basiskurs bereitet in acht Terminen darauf vor: Rolle und Grenzen, Neutralität und Schweigepflicht, "
        "Dolmetschtechniken, Fachbegriffe aus Gesundheit, Schule und Verwaltung, schwierige Gespräche und "
        "der Schutz der eigenen Kräfte. Wer an allen Terminen teilnimmt, wird in den Pool der "
        "Sprachmittlung aufgenommen.",
        "sprache-bildung",
        "Freiwillige, die Deutsch und mindestens eine weitere Sprache gut sprechen.",
        Decimal("40"),
        "basiskurs-sprachmittlung",
        None,
    ),
    (
        "interkulturelle-kompetenz",
        "Interkulturelle Kompetenz",
        "Ein Tag über Kultur, Vorurteile und Kommunikation – mit vielen Beispielen aus der Praxis.",
        "Was ist eigentlich Kultur, und wie prägt sie unser Verhalten? Der Workshop zeigt, wie "
        "Missverständnisse entstehen, wie man sie anspricht und wie eigene Bilder im Kopf wirken.",
        "zusammenleben-teilhabe",
        "Alle Freiwilligen, besonders zu Beginn.",
        Decimal("6"),
        "interkulturelle-kompetenz",
        None,
    ),
    (
        "asylrecht-grundlagen",
        "Asyl- und Aufenthaltsrecht Grundlagen",
        "Asylverfahren, Aufenthaltstitel und wohin man Menschen mit Rechtsfragen verweist.",
        "Ein Überblick über das Asylverfahren, die wichtigsten Aufenthaltstitel und Fristen. Der Kurs zeigt "
        "auch die Grenze: Rechtsberatung ist Sache der Fachstellen – Sie lernen, wohin Sie verweisen.",
        "professionalisierung-institutionen",
        "Freiwillige in Begleitung und Beratung.",
        Decimal("6"),
        "asylrecht-grundlagen",
        24,
    ),
    (
        "kinderschutz",
        "Kinderschutz im Ehrenamt",
        "Kindeswohl erkennen und schützen: Nähe und Distanz, Verdachtsfälle, Ansprechstellen.",
        "Wer mit Kindern und Jugendlichen arbeitet, trägt Verantwortung. Die Schulung behandelt Nähe und "
        "Distanz, Anzeichen einer Gefährdung, das Vorgehen im Verdachtsfall und Ansprechstellen im Kreis.",
        "sprache-bildung",
        "Freiwillige in Hausaufgabenhilfe, Lesepatenschaften, Freizeit und Sport mit Kindern.",
        Decimal("4"),
        "kinderschutz",
        36,
    ),
    (
        "erste-hilfe",
        "Erste Hilfe",
        "Der Erste-Hilfe-Kurs nach den Vorgaben der Berufsgenossenschaften, an einem Samstag.",
        "Neun Unterrichtseinheiten: Notruf, stabile Seitenlage, Herz-Lungen-Wiederbelebung, Wundversorgung. "
        "Die Bescheinigung gilt zwei Jahre.",
        "gesundheit-pflege",
        "Alle Freiwilligen, besonders in Freizeit, Sport und Begleitung.",
        Decimal("9"),
        "erste-hilfe",
        24,
    ),
    (
        "grenzen-selbstfuersorge",
        "Grenzen im Ehrenamt / Selbstfürsorge",
        "Ein Abend über die eigenen Grenzen: Nein sagen, abgeben, Kraft behalten.",
        "Engagement kann erschöpfen, besonders in der Arbeit mit Menschen in Not. Der Abend hilft, eigene "
        "Grenzen zu erkennen und zu vertreten, belastende Erlebnisse zu verarbeiten und Unterstützung zu "
        "finden – ohne Leistungsdruck, im vertraulichen Kreis.",
        "zusammenleben-teilhabe",
        "Alle Freiwilligen, auch langjährig Engagierte.",
        Decimal("3"),
        None,
        None,
    ),
]

# training, town, place (or "" for online), capacity, weeks ahead, weekday offset, start, hours, count,
# trainer name, language
SESSIONS = [
    (
        "basiskurs-sprachmittlung",
        "gutersloh",
        "Kreishaus Gütersloh, Herzebrocker Str. 140, Raum 2.12",
        16,
        3,
        1,
        time(18, 0),
        5,
        8,
        "Dr. Nadia Haddad",
        "de",
    ),
    (
        "basiskurs-sprachmittlung",
        "rheda-wiedenbruck",
        "VHS Reckenberg-Ems, Rathausplatz 1",
        14,
        10,
        2,
        time(17, 30),
        5,
        8,
        "Irina Kovalenko",
        "de",
    ),
    (
        "interkulturelle-kompetenz",
        "halle-westf",
        "Bürgerzentrum Remise, Kiskerstr. 2",
        20,
        2,
        5,
        time(10, 0),
        6,
        1,
        "Kemal Aydın",
        "de",
    ),
    ("interkulturelle-kompetenz", "gutersloh", "", 30, 5, 2, time(18, 0), 3, 2, "Kemal Aydın", "de"),
    (
        "asylrecht-grundlagen",
        "verl",
        "Rathaus Verl, Paderborner Str. 5, Ratssaal",
        25,
        4,
        3,
        time(18, 0),
        3,
        2,
        "Flüchtlingsberatung der Diakonie",
        "de",
    ),
    (
        "kinderschutz",
        "verl",
        "Familienzentrum Verl, Sender Str. 8",
        3,
        2,
        1,
        time(18, 0),
        4,
        1,
        "Jugendamt Verl",
        "de",
    ),
    ("kinderschutz", "harsewinkel", "", 25, 6, 3, time(17, 0), 4, 1, "Kinderschutzbund Gütersloh", "de"),
    (
        "erste-hilfe",
        "rietberg",
        "DRK-Zentrum Rietberg, Bahnhofstr. 20",
        12,
        3,
        5,
        time(9, 0),
        8,
        1,
        "DRK Kreisverband",
        "de",
    ),
    (
        "grenzen-selbstfuersorge",
        "versmold",
        "Mehrgenerationenhaus Versmold, Ravensberger Str. 12",
        12,
        2,
        2,
        time(18, 30),
        3,
        1,
        "Supervisorin Anke Pohl",
        "de",
    ),
    (
        "grenzen-selbstfuersorge",
        "gutersloh",
        "Interkulturelles Zentrum, Schulstr. 12",
        12,
        7,
        2,
        time(18, 30),
        3,
        1,
        "Hatice Demir",
        "tr",
    ),
]

# Who holds the seats of the full demo session; the next person waits.
FULL_SESSION_PEOPLE = [
    "ahmad@demo.example",
    "olena@demo.example",
    "maria@demo.example",
    "freiwillig@demo.example",
]


def _appointments(session: TrainingSession, *, weeks: int, weekday: int, start: time, hours: int, count: int):
    today = clock.now().astimezone(clock.zone()).date()
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)
    first_day: date = monday + timedelta(days=weekday)
    session.appointments.all().delete()
    for index in range(count):
        day = first_day + timedelta(weeks=index)
        starts_at = clock.local_datetime(day, start)
        SessionAppointment.objects.create(
            session=session,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours),
            topic=f"Teil {index + 1}" if count > 1 else "",
        )


@transaction.atomic
def seed_trainings() -> int:
    """Creates or updates the demo trainings; returns how many sessions exist for them."""
    qualifications = {}
    for slug, name, translations in QUALIFICATIONS:
        qualifications[slug], _ = Qualification.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_translations": translations}
        )
    german = Language.objects.get(code="de")
    trainings = {}
    for slug, title, summary, description, field, target, hours, grants, validity in TRAININGS:
        trainings[slug], _ = Training.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "summary": summary,
                "description": description,
                "handlungsfeld": Handlungsfeld.objects.get(slug=field),
                "target_group": target,
                "duration_hours": hours,
                "language": german,
                "grants": qualifications.get(grants) if grants else None,
                "validity_months": validity,
                "is_active": True,
            },
        )
    now = clock.now()
    count = 0
    for slug, town, place, capacity, weeks, weekday, start, hours, repeats, trainer, language in SESSIONS:
        kommune = Kommune.objects.get(slug=town)
        session = TrainingSession.objects.filter(training=trainings[slug], kommune=kommune).first()
        created = session is None
        if created:
            session = TrainingSession(training=trainings[slug], kommune=kommune)
        session.place = place
        session.online_url = "" if place else "https://meet.example.org/schulung-" + slug
        session.capacity = capacity
        session.trainer_name = trainer
        session.language = Language.objects.get(code=language)
        session.save()
        first = session.appointments.order_by("starts_at").first()
        if created or first is None or (first.starts_at < now and not session.registrations.exists()):
            _appointments(session, weeks=weeks, weekday=weekday, start=start, hours=hours, count=repeats)
        count += 1
    _fill_full_session(trainings["kinderschutz"])
    sprachmittlung = ActivityType.objects.filter(slug="sprachmittlung").first()
    if sprachmittlung is not None:
        sprachmittlung.required_qualifications.add(qualifications["basiskurs-sprachmittlung"])
    return count


def _fill_full_session(training: Training) -> None:
    session = TrainingSession.objects.filter(training=training, kommune__slug="verl").first()
    if session is None or session.registrations.exists():
        return
    people = list(User.objects.filter(email__in=FULL_SESSION_PEOPLE))
    people.sort(key=lambda user: FULL_SESSION_PEOPLE.index(user.email))
    for index, user in enumerate(people):
        Registration.objects.create(
            session=session,
            user=user,
            status=RegistrationStatus.BOOKED if index < session.capacity else RegistrationStatus.WAITLISTED,
        )
