"""How django-axes identifies the account a failed login was aimed at, on every login path."""


def login_name(request, credentials) -> str | None:
    """Returns the lower-cased email or user name of a login attempt (allauth, Wagtail or Django admin)."""
    for source in (credentials or {}, getattr(request, "POST", {}) or {}):
        for key in ("email", "username", "login"):
            value = source.get(key)
            if value:
                return str(value).strip().lower()[:254]
    return None
