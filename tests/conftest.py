"""Shared fixtures: the page tree, personas, services, the browser."""

import logging
import os
import re
import shutil
from pathlib import Path

import django.test
import pytest
from django.conf import settings
from django.core.cache import cache

from tests.factories import UserFactory

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def _service_available(name: str) -> bool:
    if name == "postgres":
        return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    if name in ("redis", "worker"):
        return bool(os.environ.get("REDIS_URL"))
    if name == "browser":
        return Path(CHROMIUM).exists()
    return True


SERVICE_MARKERS = ("postgres", "redis", "worker", "browser")
_skipped_for_service: dict[str, int] = {}


def pytest_runtest_setup(item):
    for name in SERVICE_MARKERS:
        if item.get_closest_marker(name) and not _service_available(name):
            if REQUIRE_SERVICES:
                pytest.fail(f"REQUIRE_SERVICES=1 but the '{name}' service is not available")
            _skipped_for_service[name] = _skipped_for_service.get(name, 0) + 1
            pytest.skip(f"needs {name}")


def pytest_terminal_summary(terminalreporter):
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    terminalreporter.write_line(
        f"Services: database={database}, redis={'yes' if os.environ.get('REDIS_URL') else 'no'}, "
        f"browser={'yes' if Path(CHROMIUM).exists() else 'no'}"
    )
    if _skipped_for_service:
        details = ", ".join(f"{count} × {name}" for name, count in sorted(_skipped_for_service.items()))
        terminalreporter.write_line(f"SKIPPED FOR MISSING SERVICES: {details}", red=True, bold=True)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _mailbox_in_tmp(settings, tmp_path):
    settings.EMAIL_MAILBOX_DIR = tmp_path / "mail"


@pytest.fixture
def site_tree(db):
    """Builds the Wagtail page tree the way `seed_demo` does; returns the German start page."""
    from cms.demo import seed_pages

    return seed_pages()


@pytest.fixture
def reference_data(db):
    from volunteering.services.reference_data import district_load, taxonomy_load

    taxonomy_load()
    return district_load()


# --- Personas -----------------------------------------------------------------------------------------
@pytest.fixture
def volunteer(db):
    return UserFactory(email="lena.volunteer@example.org", first_name="Lena")


@pytest.fixture
def outsider(db):
    return UserFactory(email="outsider@example.org")


@pytest.fixture
def roles(site_tree):
    """The staff groups with the permissions `seed_demo` gives them."""
    from volunteering.demo import seed_roles

    seed_roles(home=site_tree)


def with_totp(user):
    """Gives a staff persona the second factor its role requires."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    return user


@pytest.fixture
def coordinator(roles, reference_data):
    """Coordinator for the whole district."""
    from volunteering.models import CoordinatorRole

    user = with_totp(UserFactory(email="coordinator@example.org", is_staff=True, groups=["Koordination"]))
    CoordinatorRole.objects.create(user=user, whole_district=True)
    return user


@pytest.fixture
def editor(roles):
    return with_totp(UserFactory(email="editor@example.org", is_staff=True, groups=["Redaktion"]))


@pytest.fixture
def superuser(db):
    return with_totp(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))


# --- Browser ------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def csp_violations(page):
    """Collects Content-Security-Policy violations reported by the browser's console."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: found.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return found


def pytest_sessionstart(session):
    if ARTIFACTS.exists() and not os.environ.get("KEEP_ARTIFACTS"):
        shutil.rmtree(ARTIFACTS, ignore_errors=True)


# --- Organisation personas ----------------------------------------------------------------------------
def _organisation(name: str, slug: str, town: str, **fields):
    from volunteering.models import Kommune, Organisation

    organisation = Organisation.objects.create(
        name=name,
        slug=slug,
        legal_form=fields.pop("legal_form", "ev"),
        description=fields.pop("description", f"Beschreibung von {name}"),
        email=fields.pop("email", f"kontakt@{slug}.example"),
        **fields,
    )
    organisation.kommunen.set(Kommune.objects.filter(name=town))
    return organisation


def _member(organisation, email: str, role: str):
    from volunteering.models import OrganisationMembership

    user = UserFactory(email=email)
    OrganisationMembership.objects.create(organisation=organisation, user=user, role=role)
    return user


@pytest.fixture
def organisation(reference_data):
    """A registered organisation in Verl, waiting for review."""
    return _organisation("Flüchtlingshilfe Verl e. V.", "fluechtlingshilfe-verl", "Verl")


@pytest.fixture
def other_organisation(reference_data):
    """A verified organisation in Harsewinkel."""
    return _organisation(
        "Stadt Harsewinkel – Integrationsbüro",
        "stadt-harsewinkel",
        "Harsewinkel",
        legal_form="kommune",
        status="verified",
    )


@pytest.fixture
def org_admin(organisation):
    """Admin of `organisation` (Verl), with the second factor the role requires."""
    return with_totp(_member(organisation, "admin@fluechtlingshilfe-verl.example", "admin"))


@pytest.fixture
def org_member(organisation):
    return _member(organisation, "mitglied@fluechtlingshilfe-verl.example", "member")


@pytest.fixture
def other_org_member(other_organisation):
    return _member(other_organisation, "mitglied@harsewinkel.example", "member")


@pytest.fixture
def town_coordinator_other_town(roles, reference_data):
    """Coordinator for Harsewinkel only: not responsible for `organisation` (Verl)."""
    from volunteering.models import CoordinatorRole, Kommune

    user = with_totp(
        UserFactory(email="koordination-harsewinkel@example.org", is_staff=True, groups=["Koordination"])
    )
    role = CoordinatorRole.objects.create(user=user, whole_district=False)
    role.kommunen.set(Kommune.objects.filter(name="Harsewinkel"))
    return user


@pytest.fixture
def town_coordinator(roles, reference_data):
    """Coordinator for Verl: responsible for `organisation`."""
    from volunteering.models import CoordinatorRole, Kommune

    user = with_totp(
        UserFactory(email="koordination-verl@example.org", is_staff=True, groups=["Koordination"])
    )
    role = CoordinatorRole.objects.create(user=user, whole_district=False)
    role.kommunen.set(Kommune.objects.filter(name="Verl"))
    return user


# --- Test client -------------------------------------------------------------------------------------
class SignedInClient(django.test.Client):
    """Django's test client; `force_login` of a person with TOTP also records the second factor, as
    logging in through allauth would. Tests of the login itself use `client.post` on the login pages."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        from allauth.mfa.models import Authenticator

        if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            import time

            session = self.session
            session["account_authentication_methods"] = [
                {"method": "password", "at": time.time()},
                {"method": "mfa", "at": time.time(), "type": "totp"},
            ]
            session["account_authentication_methods_user"] = str(user.pk)
            session.save()


@pytest.fixture
def client():
    return SignedInClient()


# --- No personal data in logs (QUALITY.md 25) ------------------------------------------------------------
# Every log record of the whole run, from INFO up, is kept; at the end no personal marker of the fixtures
# (the canary/marker strings the privacy tests put into names, addresses and free text) may appear in them.
# Console output stays at its configured level.
PERSONAL_MARKERS = re.compile(r"canary|marker|kanarie", re.IGNORECASE)


class _RecordingHandler(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.INFO)
        self.found: list[str] = []
        self.count = 0

    def emit(self, record):
        self.count += 1
        try:
            text = self.format(record)
        except Exception:  # a broken record must not break the run; it is checked as text
            text = f"{record.msg} {record.args}"
        if PERSONAL_MARKERS.search(text):
            self.found.append(text[:300])


_log_recorder = _RecordingHandler()


def pytest_configure(config):
    root = logging.getLogger()
    for handler in root.handlers:
        if handler.level < logging.WARNING:
            handler.setLevel(max(handler.level, logging.getLevelName(os.environ.get("LOG_LEVEL", "WARNING"))))
    root.addHandler(_log_recorder)
    root.setLevel(min(root.level, logging.INFO))


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"Log check: {_log_recorder.count} log records scanned for personal markers.")
    if _log_recorder.found:
        if reporter is not None:
            reporter.write_line("PERSONAL DATA IN LOGS:", red=True, bold=True)
            for line in _log_recorder.found[:20]:
                reporter.write_line(f"  {line}", red=True)
        session.exitstatus = 1
