"""Building trainings for tests: a qualification, a training granting it, a session with appointments."""

from datetime import timedelta
from decimal import Decimal

from notifications import clock
from volunteering.models import (
    Handlungsfeld,
    Kommune,
    Language,
    Qualification,
    SessionAppointment,
    Training,
    TrainingSession,
)


def make_qualification(slug: str = "basiskurs-sprachmittlung", name: str = "Basiskurs Sprachmittlung"):
    return Qualification.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def make_training(
    *, qualification=None, validity_months=None, slug="basiskurs", title="Basiskurs Sprachmittlung"
):
    return Training.objects.create(
        title=title,
        slug=slug,
        summary="Acht Abende über das Dolmetschen im Alltag.",
        description="Rolle, Neutralität, Techniken.",
        handlungsfeld=Handlungsfeld.objects.get(slug="sprache-bildung"),
        target_group="Freiwillige mit zwei Sprachen",
        duration_hours=Decimal("40"),
        language=Language.objects.get(code="de"),
        grants=qualification,
        validity_months=validity_months,
    )


def make_session(
    training, *, town="Verl", capacity=2, starts_in=timedelta(days=10), appointments=2, **fields
):
    session = TrainingSession.objects.create(
        training=training,
        kommune=Kommune.objects.get(name=town),
        place=fields.pop("place", "Rathaus, Raum 1"),
        capacity=capacity,
        language=Language.objects.get(code="de"),
        **fields,
    )
    start = clock.now() + starts_in
    for index in range(appointments):
        SessionAppointment.objects.create(
            session=session,
            starts_at=start + timedelta(weeks=index),
            ends_at=start + timedelta(weeks=index, hours=3),
        )
    return session
