"""The table of message kinds (notifications/registry.py) and its system check."""

import pytest
from django.core.checks import run_checks

from notifications import registry
from notifications.registry import MessageKind


def test_templates_default_to_paths_derived_from_the_name():
    kind = MessageKind(name="application.received")

    assert kind.subject_template == "emails/application/received_subject.txt"
    assert kind.text_template == "emails/application/received.txt"
    assert kind.html_template == "emails/application/received.html"
    assert kind.is_essential and kind.channels == ("email", "inapp")


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"name": "NoDot"}, "dotted lower-case"),
        ({"name": "a.b", "channels": ("sms",)}, "channels"),
        ({"name": "a.b", "channels": ()}, "channels"),
    ],
)
def test_it_refuses_malformed_kinds(arguments, message):
    with pytest.raises(ValueError, match=message):
        MessageKind(**arguments)


def test_it_refuses_unknown_categories_and_conflicting_definitions():
    with pytest.raises(ValueError, match="unknown category"):
        registry.register(MessageKind(name="x.y", category="gossip"))
    with pytest.raises(ValueError, match="another definition"):
        registry.register(MessageKind(name="account.welcome", category="news"))


def test_registering_the_same_definition_twice_is_harmless():
    kind = registry.get("system.test")

    assert registry.register(kind) is kind


def test_unknown_names_raise_a_lookup_error():
    with pytest.raises(LookupError, match="No message kind"):
        registry.get("no.such")
    with pytest.raises(LookupError, match="No notification category"):
        registry.get_category("gossip")


def test_only_optional_categories_can_be_chosen():
    names = [category.name for category in registry.optional_categories()]

    assert names == ["reminders", "news", "recognition"]


def test_the_engine_registers_its_own_kinds():
    names = {kind.name for kind in registry.kinds()}

    assert {"account.welcome", "system.test", "notifications.digest"} <= names


def test_the_system_check_reports_kinds_without_templates():
    registry.register(MessageKind(name="missing.templates", category="news"))
    try:
        errors = [error for error in run_checks() if error.id == "notifications.E001"]
    finally:
        registry.unregister("missing.templates")

    assert [error.msg for error in errors] == [
        "The message kind missing.templates needs the template emails/missing/templates_subject.txt.",
        "The message kind missing.templates needs the template emails/missing/templates.txt.",
    ]


def test_every_registered_kind_has_its_templates():
    assert [error for error in run_checks() if error.id == "notifications.E001"] == []
