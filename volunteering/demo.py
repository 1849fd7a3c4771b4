"""Demo accounts, one per role, documented in the README. Idempotent."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Page

from volunteering.models import User

DEMO_PASSWORD = "Demo-Passwort-2026"  # noqa: S105 - published demo credential, see README
# Staff roles must log in with a second factor. The demo accounts share this published TOTP secret:
# add it to any authenticator app, or run `manage.py demo_code` for the current code.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPEHRENAMT"  # noqa: S105 - published demo credential, see README


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    role: str
    groups: tuple[str, ...] = ()
    is_superuser: bool = False

    @property
    def uses_two_factor(self) -> bool:
        return self.is_superuser or bool(self.groups) or "Admin" in self.role


DEMO_ACCOUNTS = [
    DemoAccount("freiwillig@demo.example", "Lena", "Hoffmann", "Freiwillige"),
    DemoAccount("organisation@demo.example", "Murat", "Yilmaz", "Organisation (Admin)"),
    DemoAccount(
        "koordination@demo.example", "Sabine", "Köster", "Koordination (ganzer Kreis)", ("Koordination",)
    ),
    DemoAccount("redaktion@demo.example", "Jonas", "Brinkmann", "Redaktion", ("Redaktion",)),
    DemoAccount("admin@demo.example", "Admin", "Technik", "Technische Administration", is_superuser=True),
    DemoAccount(
        "koordination-verl@demo.example", "Tobias", "Westerhoff", "Koordination (nur Verl)", ("Koordination",)
    ),
]

REFERENCE_MODELS = ["kommune", "handlungsfeld", "activitytype", "language"]


def _group(name: str) -> Group:
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group


@transaction.atomic
def seed_roles(*, home: Page) -> None:
    """Creates the staff groups with their permissions."""
    coordination = _group("Koordination")
    for model in REFERENCE_MODELS:
        for action in ("add", "change", "delete", "view"):
            coordination.permissions.add(
                Permission.objects.get(content_type__app_label="volunteering", codename=f"{action}_{model}")
            )
    # Coordinators see notifications that could not be delivered, and send them again.
    coordination.permissions.add(
        Permission.objects.get(content_type__app_label="notifications", codename="view_failed")
    )
    editorial = _group("Redaktion")
    for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"):
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=editorial, page=home, permission=permission)
    for app_label in ("wagtailimages", "wagtaildocs"):
        for action in ("add", "change", "choose"):
            model = "image" if app_label == "wagtailimages" else "document"
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=f"{action}_{model}"
            )
            editorial.permissions.add(*permission)


@transaction.atomic
def seed_accounts() -> list[DemoAccount]:
    """Creates or resets the demo accounts; returns them for printing."""
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first() or User(email=account.email)
        user.first_name = account.first_name
        user.last_name = account.last_name
        user.is_superuser = account.is_superuser
        user.is_staff = account.is_superuser or bool(account.groups)
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set(Group.objects.filter(name__in=account.groups))
        EmailAddress.objects.update_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
        if (
            account.uses_two_factor
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_TOTP_SECRET)
    return DEMO_ACCOUNTS
