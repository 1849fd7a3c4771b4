"""Trainings: the public list of sessions and their pages, iCal (per session and the private feed of a
person's bookings), booking and cancelling, the person's trainings and qualifications in Mein Bereich, and
the trainer's attendance sheet. Access policies: config/access.py ("# --- Trainings").

Object rules: bookings are the person's own (404 otherwise); a session's attendance sheet is open to its
trainer and to coordinators of its town (404 for everyone else); a wrong feed token answers 404.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from icalendar import Calendar, Event

from notifications import clock
from volunteering.forms_trainings import SessionFilterForm
from volunteering.models import Registration, SessionAppointment, TrainingSession
from volunteering.selectors import trainings as selectors
from volunteering.services.trainings import (
    can_run_session,
    training_book,
    training_cancel,
    training_feed_token,
    training_mark_attendance,
)


def _show_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _get_session(pk: int) -> TrainingSession:
    session = selectors.public_session(pk)
    if session is None:
        raise Http404
    return session


# --- Public -------------------------------------------------------------------------------------------
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    form = SessionFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "kommune": data["ort"].slug if data["ort"] else None,
            "handlungsfeld": data["feld"].slug if data["feld"] else None,
            "language": data["sprache"].code if data["sprache"] else None,
            "from_date": data["ab"],
            "online": {"online": True, "vor-ort": False}.get(data["format"]),
        }
    sessions = (
        list(selectors.upcoming_sessions(**filters)[:200]) if form.is_valid() or not request.GET else []
    )
    return render(
        request,
        "volunteering/trainings/list.html",
        {"form": form, "sessions": sessions, "filtered": bool(request.GET)},
    )


@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(pk)
    state = selectors.session_state(session=session, user=request.user)
    held = (
        session.training.grants_id in selectors.valid_qualification_ids(request.user)
        if session.training.grants_id
        else False
    )
    return render(
        request,
        "volunteering/trainings/detail.html",
        {
            "session": session,
            "training": session.training,
            "appointments": list(session.appointments.all()),
            "state": state,
            "holds_qualification": held,
            "other_sessions": [
                other
                for other in selectors.upcoming_sessions(training=session.training)[:6]
                if other.pk != session.pk
            ][:5],
        },
    )


def _host() -> str:
    return settings.SITE_URL.split("://")[-1].split("/")[0]


def _appointment_event(appointment: SessionAppointment, *, stamp, private: bool) -> Event:
    session = appointment.session
    event = Event()
    event.add("uid", f"training-appointment-{appointment.pk}@{_host()}")
    event.add("dtstamp", stamp)
    # Local wall-clock times with their zone (TZID=Europe/Berlin), so calendars show what the page shows.
    event.add("dtstart", appointment.starts_at.astimezone(clock.zone()))
    event.add("dtend", appointment.ends_at.astimezone(clock.zone()))
    summary = session.training.title
    if appointment.topic:
        summary = f"{summary}: {appointment.topic}"
    event.add("summary", summary)
    if session.is_online:
        # The room link goes only into the private feed of people holding a seat.
        event.add("location", session.online_url if private else _("online"))
    else:
        event.add("location", f"{session.place}, {session.kommune.name}")
    event.add("url", settings.SITE_URL + reverse("trainings:session", args=[session.pk]))
    if session.status == "cancelled":
        event.add("status", "CANCELLED")
    return event


def _calendar(appointments, *, name: str, private: bool = False) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PLATFORM_NAME}//Schulungen//DE")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = clock.now()
    for appointment in appointments:
        calendar.add_component(_appointment_event(appointment, stamp=stamp, private=private))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _ical_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def session_ical(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(pk)
    appointments = session.appointments.select_related("session__training", "session__kommune")
    return _ical_response(_calendar(appointments, name=session.training.title), f"schulung-{session.pk}.ics")


@require_GET
def personal_ical(request: HttpRequest, token: str) -> HttpResponse:
    user = selectors.user_for_feed_token(token)
    if user is None:
        raise Http404
    body = _calendar(selectors.booked_appointments(user), name=_("Meine Schulungen"), private=True)
    response = _ical_response(body, "meine-schulungen.ics")
    response["X-Robots-Tag"] = "noindex"
    return response


# --- Volunteers ---------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation step (where a visitor lands after logging in or signing up); POST: books."""
    session = _get_session(pk)
    if request.method == "POST":
        try:
            registration = training_book(session=session, user=request.user)
        except ValidationError as error:
            _show_errors(request, error)
        else:
            if registration.status == "waitlisted":
                messages.warning(
                    request,
                    _("Die Schulung ist voll. Sie stehen auf der Warteliste und rücken automatisch nach."),
                )
            else:
                messages.success(
                    request, _("Ihr Platz ist gebucht. Wir haben Ihnen eine Bestätigung geschickt.")
                )
        return redirect("trainings:session", pk=session.pk)
    state = selectors.session_state(session=session, user=request.user)
    return render(
        request,
        "volunteering/trainings/book.html",
        {"session": session, "appointments": list(session.appointments.all()), "state": state},
    )


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    token = selectors.feed_token_of(request.user)
    feed_url = (
        request.build_absolute_uri(reverse("trainings:personal_ical", args=[token.token])) if token else None
    )
    today = clock.now().astimezone(clock.zone()).date()
    return render(
        request,
        "volunteering/trainings/mine.html",
        {
            "registrations": selectors.registrations_of(request.user),
            "qualifications": selectors.qualifications_of(request.user),
            "feed_url": feed_url,
            "today": today,
            "trains": selectors.sessions_for_trainer(request.user).exists(),
        },
    )


@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    registration = selectors.registration_of_user(request.user, pk)
    if registration is None:
        raise Http404
    try:
        training_cancel(registration=registration, actor=request.user)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, _("Sie haben abgesagt. Danke, dass Sie Bescheid gegeben haben."))
    return redirect("trainings:mine")


@require_POST
def feed_token(request: HttpRequest) -> HttpResponse:
    """Creates the private calendar link, or replaces it (the old link stops working)."""
    existed = selectors.feed_token_of(request.user) is not None
    training_feed_token(user=request.user, rotate=True)
    if existed:
        messages.success(request, _("Ihr Kalender-Link ist neu. Der alte Link funktioniert nicht mehr."))
    else:
        messages.success(request, _("Ihr Kalender-Link ist eingerichtet."))
    return redirect(reverse("trainings:mine") + "#kalender")


# --- Trainers (and coordinators of the session's town) ------------------------------------------------
def _get_session_to_run(request: HttpRequest, pk: int) -> TrainingSession:
    session = TrainingSession.objects.select_related("training", "kommune").filter(pk=pk).first()
    if session is None or not can_run_session(session, request.user):
        raise Http404
    return session


@require_GET
def trainer_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "volunteering/trainings/trainer_list.html",
        {"sessions": selectors.sessions_for_trainer(request.user)},
    )


@require_GET
def trainer_session(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session_to_run(request, pk)
    appointments, rows = selectors.attendance_sheet(session)
    return render(
        request,
        "volunteering/trainings/attendance.html",
        {
            "session": session,
            "appointments": appointments,
            "rows": rows,
            "now": clock.now(),
            "mark_url_name": "trainings:trainer_mark",
        },
    )


def mark_from_post(request: HttpRequest, session: TrainingSession) -> None:
    """Shared by the trainer's sheet and the coordinators' admin view: one cell of the sheet."""
    registration = Registration.objects.filter(
        session=session, pk=_int(request.POST.get("registration"))
    ).first()
    appointment = SessionAppointment.objects.filter(
        session=session, pk=_int(request.POST.get("appointment"))
    ).first()
    if registration is None or appointment is None:
        raise Http404
    try:
        training_mark_attendance(
            registration=registration,
            appointment=appointment,
            present=request.POST.get("present") == "yes",
            actor=request.user,
        )
    except ValidationError as error:
        _show_errors(request, error)
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, _("Die Anwesenheit ist eingetragen."))


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


@require_POST
def trainer_mark(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session_to_run(request, pk)
    mark_from_post(request, session)
    return redirect("trainings:trainer_session", pk=session.pk)
