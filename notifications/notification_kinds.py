"""The message kinds of the notifications engine itself (domain apps declare theirs the same way)."""

from collections.abc import Mapping
from typing import Any

from notifications.registry import EMAIL, ESSENTIAL, MessageKind, register


def _test_context(refs: Mapping[str, int]) -> dict[str, Any]:
    # Only ids travel; the test message shows them so an operator can match it to the row.
    return {"refs": dict(refs)}


register(
    MessageKind(
        name="account.welcome",
        category=ESSENTIAL,
        description="Begrüßung nach der Bestätigung der E-Mail-Adresse.",
    )
)

register(
    MessageKind(
        name="system.test",
        category=ESSENTIAL,
        channels=(EMAIL,),
        context=_test_context,
        description="Testnachricht für den Betrieb (manage.py outbox --send-test).",
    )
)

# The daily or weekly digest of optional messages; its row carries the bundled category, and the engine
# fills in the bundled entries (`items`).
register(
    MessageKind(
        name="notifications.digest",
        category=ESSENTIAL,
        channels=(EMAIL,),
        description="Sammelnachricht für täglich oder wöchentlich gebündelte Benachrichtigungen.",
    )
)
