"""Needs: the organisation's editor, the public search and a need's page, bookmarks and recommendations.

config/access.py declares the coarse rule of each URL. Which need of which organisation a person may edit
is decided in one place, `_get_need_for_member`, which answers 404 for every organisation the person does
not belong to and every need of another organisation. The public sees published needs of verified
organisations only (volunteering.selectors.needs.need_for_viewer); members also see their drafts, with a
preview banner.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from volunteering.forms_needs import NeedForm, NeedSearchForm
from volunteering.models import Kommune, Need, NeedStatus, Organisation
from volunteering.selectors.matching import recommended_needs, slot_label
from volunteering.selectors.needs import (
    RESULT_CAP,
    is_saved,
    need_for_viewer,
    need_of_organisation,
    needs_of_organisation,
    public_need,
    saved_needs_of,
    search_page,
)
from volunteering.selectors.organisations import organisation_of_member
from volunteering.services.needs import (
    need_close,
    need_create,
    need_duplicate,
    need_mark_filled,
    need_pause,
    need_publish,
    need_review,
    need_update,
    saved_need_add,
    saved_need_remove,
)

NOT_VERIFIED = gettext_lazy(
    "Ihr Einsatz ist als Entwurf gespeichert. Veröffentlichen können Sie, sobald die Koordination Ihre "
    "Organisation geprüft und freigegeben hat – meist innerhalb weniger Tage."
)


def _get_organisation_for_member(request: HttpRequest, org_pk: int) -> Organisation:
    organisation = organisation_of_member(request.user, org_pk)
    if organisation is None:
        raise Http404
    return organisation


def _get_need_for_member(request: HttpRequest, org_pk: int, pk: int) -> Need:
    """Returns the need `pk` of the person's organisation `org_pk`; 404 for anything else."""
    organisation = _get_organisation_for_member(request, org_pk)
    need = need_of_organisation(organisation, pk)
    if need is None:
        raise Http404
    return need


def _show_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- The organisation's editor ----------------------------------------------------------------------
@require_GET
def editor_list(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = _get_organisation_for_member(request, org_pk)
    return render(
        request,
        "volunteering/needs/editor_list.html",
        {"organisation": organisation, "needs": needs_of_organisation(organisation)},
    )


def _form_page(request: HttpRequest, organisation: Organisation, form: NeedForm, need: Need | None):
    return render(
        request,
        "volunteering/needs/editor_form.html",
        {"organisation": organisation, "form": form, "need": need},
    )


@require_http_methods(["GET", "POST"])
def editor_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = _get_organisation_for_member(request, org_pk)
    form = NeedForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        publish = request.POST.get("action") == "publish"
        try:
            need = need_create(
                organisation=organisation, actor=request.user, details=form.details(), publish=publish
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if need.status == NeedStatus.PUBLISHED:
                messages.success(request, _("Ihr Einsatz ist veröffentlicht."))
            elif publish:
                messages.warning(request, NOT_VERIFIED)
            else:
                messages.success(request, _("Ihr Einsatz ist als Entwurf gespeichert."))
            return redirect("needs:editor_list", org_pk=organisation.pk)
    return _form_page(request, organisation, form, None)


@require_http_methods(["GET", "POST"])
def editor_edit(request: HttpRequest, org_pk: int, pk: int) -> HttpResponse:
    need = _get_need_for_member(request, org_pk, pk)
    form = NeedForm(request.POST or None, instance=need, organisation=need.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            need_update(need=need, actor=request.user, details=form.details())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Ihre Änderungen sind gespeichert."))
            return redirect("needs:editor_list", org_pk=need.organisation_id)
    return _form_page(request, need.organisation, form, need)


def _transition(
    request: HttpRequest, org_pk: int, pk: int, service: Callable[..., Need], success: str
) -> HttpResponse:
    need = _get_need_for_member(request, org_pk, pk)
    try:
        service(need=need, actor=request.user)
    except ValidationError as error:
        _show_errors(request, error)
    else:
        messages.success(request, success)
    return redirect("needs:editor_list", org_pk=need.organisation_id)


@require_POST
def editor_publish(request: HttpRequest, org_pk: int, pk: int) -> HttpResponse:
    return _transition(request, org_pk, pk, need_publish, _("Der Einsatz ist veröffentlicht."))


@require_POST
def editor_pause(request: HttpRequest, org_pk: int, pk: int) -> HttpResponse:
    return _transition(
        request, org_pk, pk, need_pause, _("Der Einsatz ist pausiert und nicht mehr öffentlich.")
    )


@require_POST
def editor_fill(request: HttpRequest, org_pk: int, pk: int) -> HttpResponse:
    return _transition(request, org_pk, pk, need_mark_filled, _("Der Einsatz ist als besetzt markiert."))


@require_POST
def editor_close(request: HttpRequest, org_pk: int, pk: int) -> HttpResponse:
    return _transition(request, org_pk, pk, need_close, _("Der Einsatz ist beendet."))


@require_POST
def editor_review(request: HttpRequest, org_pk: int, pk: int) -> HttpResponse:
    return _transition(
        request, org_pk, pk, need_review, _("Danke! Der Einsatz bleibt für weitere Wochen öffentlich.")
    )


@require_POST
def editor_duplicate(request: HttpRequest, org_pk: int, pk: int) -> HttpResponse:
    need = _get_need_for_member(request, org_pk, pk)
    copy = need_duplicate(need=need, actor=request.user)
    messages.success(request, _("Die Kopie ist als Entwurf gespeichert. Prüfen Sie die Angaben."))
    return redirect("needs:editor_edit", org_pk=copy.organisation_id, pk=copy.pk)


# --- Public search and a need's page ---------------------------------------------------------------
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = NeedSearchForm(request.GET or None)
    form.is_valid()  # invalid parameters are shown as errors and left out of the search
    towns = tuple(Kommune.objects.all()) if request.GET.get("plz") else ()
    results = search_page(form.query(towns), form.page)
    context = {
        "form": form,
        "results": results,
        "result_cap": RESULT_CAP,
        "page_links": _page_links(request, results),
        "recommendations": (
            recommended_needs(request.user) if results.page == 1 and request.user.is_authenticated else []
        ),
    }
    # htmx swaps only the results (the form keeps the focus); a history restore wants the whole page.
    partial = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "volunteering/needs/_results.html" if partial else "volunteering/needs/search.html"
    response = render(request, template, {**context, "partial": partial})
    patch_vary_headers(response, ("HX-Request",))
    return response


def _page_links(request: HttpRequest, results) -> dict[str, str]:
    """Returns the query strings of the previous and next page, keeping every other parameter."""
    links = {}
    for name, page in (("previous", results.page - 1), ("next", results.page + 1)):
        if (name == "previous" and results.has_previous) or (name == "next" and results.has_next):
            query = request.GET.copy()
            query["seite"] = str(page)
            links[name] = "?" + query.urlencode()
    return links


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = need_for_viewer(request.user, pk)
    if found is None:
        raise Http404
    need, as_member = found
    return render(
        request,
        "volunteering/needs/detail.html",
        {
            "need": need,
            "organisation": need.organisation,
            "preview": as_member and need.status != NeedStatus.PUBLISHED,
            "as_member": as_member,
            "saved": is_saved(request.user, need),
            "slot_labels": [slot_label(slot) for slot in need.slots],
        },
    )


def _back(request: HttpRequest, need: Need) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("needs:detail", pk=need.pk)


@require_POST
def save(request: HttpRequest, pk: int) -> HttpResponse:
    need = public_need(pk)
    if need is None:
        raise Http404
    saved_need_add(user=request.user, need=need)
    messages.success(request, _("Der Einsatz ist gemerkt. Sie finden ihn in Mein Bereich."))
    return _back(request, need)


@require_POST
def unsave(request: HttpRequest, pk: int) -> HttpResponse:
    # Removing works for needs that are no longer public too: people tidy up their list.
    saved = saved_needs_of(request.user).filter(need_id=pk).first()
    if saved is None:
        raise Http404
    saved_need_remove(user=request.user, need=saved.need)
    messages.success(request, _("Der Einsatz ist nicht mehr gemerkt."))
    return _back(request, saved.need)


# --- Mein Bereich ----------------------------------------------------------------------------------
@require_GET
def saved_list(request: HttpRequest) -> HttpResponse:
    return render(request, "volunteering/needs/saved.html", {"saved_needs": saved_needs_of(request.user)})


@require_GET
def recommendations(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "volunteering/needs/recommendations.html",
        {"recommendations": recommended_needs(request.user, k=20)},
    )
