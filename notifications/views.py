"""Views: the in-app inbox, notification settings, the login-free unsubscribe link, the dev mailbox."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from notifications import registry
from notifications.mailbox import mailbox_get, mailbox_list
from notifications.models import NotificationPreference
from notifications.rendering import render as render_message
from notifications.selectors import inbox_list, preferences_for
from notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    preference_set,
)
from notifications.services.preferences import (
    ExpiredLink,
    InvalidLink,
    preference_unsubscribe,
    unsubscribe_read,
)

INBOX_PAGE_SIZE = 20


def _entry(notification) -> dict:
    # Rendered now, in the language of the page: the inbox follows the language the person reads in.
    try:
        rendered = render_message(notification, language=translation.get_language(), email=False)
    except (registry.Gone, ObjectDoesNotExist, LookupError):
        rendered = None
    return {"notification": notification, "message": rendered}


@login_required
@require_GET
def inbox(request):
    page = Paginator(inbox_list(user=request.user), INBOX_PAGE_SIZE).get_page(request.GET.get("seite"))
    entries = [_entry(notification) for notification in page.object_list]
    return render(request, "notifications/inbox.html", {"page": page, "entries": entries})


@login_required
@require_POST
def mark_read(request, pk: int):
    notification_mark_read(user=request.user, notification_id=pk)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    notifications_mark_all_read(user=request.user)
    return redirect("notifications:inbox")


class PreferencesForm(forms.Form):
    """One choice per optional category; essential messages are not listed because they always arrive."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for category in registry.optional_categories():
            self.fields[category.name] = forms.ChoiceField(
                label=category.label,
                help_text=category.description,
                choices=NotificationPreference.Delivery.choices,
                widget=forms.RadioSelect,
            )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    form = PreferencesForm(request.POST or None, initial=preferences_for(user=request.user))
    if request.method == "POST" and form.is_valid():
        for category, delivery in form.cleaned_data.items():
            preference_set(user_id=request.user.pk, category=category, delivery=delivery)
        messages.success(request, _("Ihre Einstellungen sind gespeichert."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# Mail clients send the RFC 8058 one-click POST without cookies or a CSRF token; the signed token in the
# URL is what authorises the change, and it can only switch one category off for one person.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        link = unsubscribe_read(token)
    except ExpiredLink:
        return render(request, "notifications/unsubscribe_expired.html", status=400)
    except InvalidLink:
        raise Http404 from None
    if request.method == "POST":
        preference_unsubscribe(token=token)
        return render(request, "notifications/unsubscribe_done.html", {"category": link.category})
    # A GET changes nothing: link scanners and previews open links without asking.
    return render(request, "notifications/unsubscribe_confirm.html", {"category": link.category})


def _require_mailbox() -> None:
    # The mailbox shows every email of every person: it exists only in development (MAILBOX_ENABLED).
    if not settings.MAILBOX_ENABLED:
        raise Http404


@require_GET
def mailbox(request):
    _require_mailbox()
    return render(request, "notifications/mailbox.html", {"messages_": mailbox_list()})


@require_GET
def mailbox_message(request, name: str):
    _require_mailbox()
    entry = mailbox_get(name)
    if entry is None:
        raise Http404
    return render(request, "notifications/mailbox_message.html", {"entry": entry})
