"""Needs: the public search and pages, bookmarks and recommendations in Mein Bereich, and the
organisation's need editor. Access policies: config/access.py ("# --- Needs")."""

from django.urls import path

from volunteering.views import needs as views

app_name = "needs"

urlpatterns = [
    path("einsaetze/", views.search, name="search"),
    path("einsaetze/<int:pk>/", views.detail, name="detail"),
    path("einsaetze/<int:pk>/merken/", views.save, name="save"),
    path("einsaetze/<int:pk>/nicht-mehr-merken/", views.unsave, name="unsave"),
    path("mein-bereich/gemerkte-einsaetze/", views.saved_list, name="saved"),
    path("mein-bereich/passende-einsaetze/", views.recommendations, name="recommendations"),
    path("organisation/<int:org_pk>/bedarfe/", views.editor_list, name="editor_list"),
    path("organisation/<int:org_pk>/bedarfe/neu/", views.editor_create, name="editor_create"),
    path("organisation/<int:org_pk>/bedarfe/<int:pk>/bearbeiten/", views.editor_edit, name="editor_edit"),
    path(
        "organisation/<int:org_pk>/bedarfe/<int:pk>/veroeffentlichen/",
        views.editor_publish,
        name="editor_publish",
    ),
    path("organisation/<int:org_pk>/bedarfe/<int:pk>/pausieren/", views.editor_pause, name="editor_pause"),
    path("organisation/<int:org_pk>/bedarfe/<int:pk>/besetzt/", views.editor_fill, name="editor_fill"),
    path("organisation/<int:org_pk>/bedarfe/<int:pk>/beenden/", views.editor_close, name="editor_close"),
    path(
        "organisation/<int:org_pk>/bedarfe/<int:pk>/bestaetigen/", views.editor_review, name="editor_review"
    ),
    path(
        "organisation/<int:org_pk>/bedarfe/<int:pk>/duplizieren/",
        views.editor_duplicate,
        name="editor_duplicate",
    ),
]
