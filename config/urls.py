from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views
from config.health import healthz
from notifications import views as notification_views

admin.site.site_header = settings.PLATFORM_NAME

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("robots.txt", cms_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path(
        "favicon.ico",
        RedirectView.as_view(url=settings.STATIC_URL + "img/favicon.svg", permanent=True),
        name="favicon",
    ),
    # Wagtail's own login form would accept a password alone; staff log in through allauth (with TOTP).
    path("admin/login/", secure_admin_login(RedirectView.as_view(url="/admin/")), name="admin_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
]

urlpatterns += i18n_patterns(
    path("konto/", include("allauth.urls")),
    path("benachrichtigungen/", include("notifications.urls")),
    path("", include("volunteering.urls")),
    path("dev/postfach/", notification_views.mailbox, name="dev_mailbox"),
    path("dev/postfach/<str:name>/", notification_views.mailbox_message, name="dev_mailbox_message"),
    path("", include("cms.urls")),
    # Wagtail's catch-all comes last.
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"
