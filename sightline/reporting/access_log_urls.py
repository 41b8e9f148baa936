from django.urls import path

from sightline.reporting import access_log_views as views

app_name = "audit"
urlpatterns = [
    path("", views.access_log_start, name="access_log_start"),
    path("children/<uuid:child_id>/", views.child_access_log, name="child_access_log"),
    path(
        "children/<uuid:child_id>/export.csv",
        views.child_access_log_export,
        name="child_access_log_export",
    ),
]
