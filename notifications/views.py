from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from notifications.mailbox import mailbox_get, mailbox_list


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
