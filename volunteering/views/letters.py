"""Letters: the public verification page, downloads, and the volunteer's letters in Mein Bereich.
Access policies: config/access.py ("# --- Letters"). Foreign letters answer 404."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from volunteering.forms_letters import ReleaseRequestForm, VerifyForm
from volunteering.letters import registry
from volunteering.letters.access import letter_for_download, letters_revocable_by, own_letters
from volunteering.letters.codes import grouped, normalise
from volunteering.letters.rendering import LETTER_LANGUAGE, render_pdf, stated_rows
from volunteering.models import Engagement, Registration, RegistrationStatus
from volunteering.services.audit import audit_record
from volunteering.services.letters import (
    letter_revoke,
    letter_verify,
    release_request_for_engagement,
    release_request_for_registration,
    training_certificate_issue,
)


# --- Public verification ----------------------------------------------------------------------------------
def _client_ip(request: HttpRequest) -> str:
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _rate_limited(request: HttpRequest) -> bool:
    """Counts a lookup of this client; True once it exceeds LETTER_VERIFY_RATE per window."""
    limit, window = settings.LETTER_VERIFY_RATE, settings.LETTER_VERIFY_WINDOW_SECONDS
    slot = int(timezone.now().timestamp()) // window
    key = f"letters-verify:{_client_ip(request)}:{slot}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "429.html", status=429)


@require_GET
@never_cache
def verify_form(request: HttpRequest) -> HttpResponse:
    """The form to type a code; a submitted code leads to its page."""
    form = VerifyForm(request.GET or None)
    if request.GET and form.is_valid():
        if _rate_limited(request):
            return _too_many(request)
        if form.cleaned_data["homepage"]:
            return render(
                request, "volunteering/letters/verify_result.html", {"state": "not_found"}, status=404
            )
        code = normalise(form.cleaned_data["code"])
        return redirect("letters:verify", code=grouped(code) if code else "-")
    return render(request, "volunteering/letters/verify_form.html", {"form": form})


@require_GET
@never_cache
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Shows what the letter with `code` states — and nothing else — or why the code was not found."""
    if _rate_limited(request):
        return _too_many(request)
    result = letter_verify(code)
    context = {"state": result.state, "form": VerifyForm(initial={"code": code})}
    if result.letter is not None:
        kind = registry.get(result.letter.kind)
        # What the letter states is shown as the letter states it: in German, whatever the page language.
        with translation.override(LETTER_LANGUAGE):
            context.update(
                {
                    "kind_title": str(kind.title),
                    "rows": [
                        {**row, "label": str(row["label"])}
                        for row in stated_rows(kind, result.letter.stated, for_verification=True)
                    ],
                    "issued_on": date_format(timezone.localtime(result.letter.issued_at).date(), "j. F Y"),
                    "revoked_at": result.letter.revoked_at,
                    "code": grouped(result.letter.code),
                }
            )
    status = 200 if result.state in ("valid", "revoked") else 404
    return render(request, "volunteering/letters/verify_result.html", context, status=status)


# --- Downloads ----------------------------------------------------------------------------------------
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    letter = letter_for_download(request.user, pk)
    if letter is None:
        raise Http404
    audit_record(actor=request.user, action="letter.download", obj=letter)
    response = HttpResponse(render_pdf(letter), content_type="application/pdf")
    filename = f"{letter.kind.replace('_', '-')}-{letter.code[:4].lower()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revokes a letter: its verification page says so from now on. Back to where the person came from."""
    letter = letters_revocable_by(request.user).filter(pk=pk).first()
    if letter is None:
        raise Http404
    letter_revoke(letter=letter, actor=request.user)
    messages.success(request, _("Das Schreiben ist widerrufen."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("letters:mine")
    return redirect(target)


# --- Mein Bereich -------------------------------------------------------------------------------------
def _release_sources(user) -> tuple[list[tuple[str, str]], dict]:
    registrations = (
        Registration.objects.filter(
            user=user, status__in=[RegistrationStatus.BOOKED, RegistrationStatus.COMPLETED]
        )
        .select_related("session__training", "session__kommune")
        .order_by("-created_at")
    )
    engagements = Engagement.objects.filter(volunteer=user).select_related("need", "organisation")
    choices, objects = [], {}
    for registration in registrations:
        key = f"registration:{registration.pk}"
        choices.append((key, _("Schulung: %(title)s") % {"title": registration.session.training.title}))
        objects[key] = registration
    for engagement in engagements:
        key = f"engagement:{engagement.pk}"
        label = _("Engagement: %(title)s (%(organisation)s)") % {
            "title": engagement.need.title,
            "organisation": engagement.organisation.name,
        }
        choices.append((key, label))
        objects[key] = engagement
    return choices, objects


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """The person's letters, the trainings they can have certified, and the release-time request form."""
    attended = (
        Registration.objects.filter(user=request.user)
        .filter(status=RegistrationStatus.COMPLETED)
        .select_related("session__training", "session__kommune")
        .order_by("-completed_at")
    )
    letters = [
        {"letter": letter, "kind": _kind_or_none(letter.kind), "code": grouped(letter.code)}
        for letter in own_letters(request.user)
    ]
    sources, _objects = _release_sources(request.user)
    form = ReleaseRequestForm(sources=sources) if sources else None
    return render(
        request,
        "volunteering/letters/mine.html",
        {
            "letters": [entry for entry in letters if entry["kind"]],
            "attended": attended,
            "release_form": form,
        },
    )


def _kind_or_none(name: str):
    try:
        return registry.get(name)
    except LookupError:
        return None


@require_POST
def training_certificate(request: HttpRequest, registration_pk: int) -> HttpResponse:
    registration = (
        Registration.objects.filter(pk=registration_pk, user=request.user)
        .select_related("session__training", "session__kommune")
        .first()
    )
    if registration is None:
        raise Http404
    try:
        letter = training_certificate_issue(registration=registration, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("letters:mine")
    messages.success(request, _("Ihre Teilnahmebescheinigung ist erstellt."))
    return redirect(reverse("letters:mine") + f"#letter-{letter.pk}")


@require_http_methods(["GET", "POST"])
def release_request(request: HttpRequest) -> HttpResponse:
    sources, objects = _release_sources(request.user)
    form = ReleaseRequestForm(request.POST or None, sources=sources)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source = objects[data["source"]]
        try:
            if isinstance(source, Registration):
                letter = release_request_for_registration(
                    registration=source, actor=request.user, employer=data["employer"]
                )
            else:
                letter = release_request_for_engagement(
                    engagement=source,
                    actor=request.user,
                    employer=data["employer"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    times=data["times"],
                )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Ihr Schreiben an den Arbeitgeber ist erstellt."))
            return redirect(reverse("letters:mine") + f"#letter-{letter.pk}")
    return render(
        request, "volunteering/letters/release_request.html", {"form": form, "has_sources": bool(sources)}
    )
