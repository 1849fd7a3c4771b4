from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class SuperuserAdminSite(admin.AdminSite):
    """The Django admin is a technical tool for superusers only; staff work in the Wagtail admin."""

    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def login(self, request, extra_context=None):
        # Logging in happens only through allauth, where the second factor is asked for.
        from allauth.account.decorators import secure_admin_login

        return secure_admin_login(super().login)(request, extra_context)


class AdminConfig(DjangoAdminConfig):
    default_site = "config.admin.SuperuserAdminSite"
