import pytest
from django.db import connection


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_suite_runs_on_postgresql_15_or_newer():
    assert connection.vendor == "postgresql"
    assert connection.pg_version >= 150000


@pytest.mark.postgres
@pytest.mark.django_db
def test_german_full_text_configuration_is_available():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('german', 'Hausaufgabenhilfen') "
            "@@ plainto_tsquery('german', 'Hausaufgabenhilfe')"
        )
        assert cursor.fetchone()[0] is True


@pytest.mark.redis
def test_the_cache_is_redis_when_redis_runs():
    from django.core.cache import caches

    assert caches["default"].__class__.__name__ == "RedisCache"
    caches["default"].set("probe", "1")
    assert caches["default"].get("probe") == "1"
