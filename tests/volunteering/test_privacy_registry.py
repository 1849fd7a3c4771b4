"""Every model that can hold personal data has export, erasure and retention handling (QUALITY.md 28)."""

from django.apps import apps
from django.conf import settings

from volunteering.privacy import HANDLERS, NO_PERSONAL_DATA

PROJECT_APPS = {"volunteering", "cms", "notifications"}


def _models_to_classify() -> set[str]:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    labels = set()
    for model in apps.get_models():
        if model._meta.proxy or model._meta.auto_created:
            continue
        if model._meta.app_label in PROJECT_APPS:
            labels.add(model._meta.label)
            continue
        for field in model._meta.concrete_fields:
            if (
                field.is_relation
                and field.related_model is user_model
                and model._meta.app_label
                in (
                    "account",
                    "mfa",
                    "usersessions",
                    "wagtailusers",
                )
            ):
                labels.add(model._meta.label)
    return labels


def test_every_model_with_personal_data_is_registered():
    missing = sorted(_models_to_classify() - set(HANDLERS) - set(NO_PERSONAL_DATA))

    assert missing == [], (
        f"Register these in volunteering/privacy.py (HANDLERS or NO_PERSONAL_DATA): {missing}"
    )


def test_no_model_is_both_personal_and_not():
    assert set(HANDLERS) & set(NO_PERSONAL_DATA) == set()


def test_the_registry_names_only_existing_models():
    for label in [*HANDLERS, *NO_PERSONAL_DATA]:
        assert apps.get_model(label)
