from django.urls import path

from sightline.site.children import views

app_name = "children"
urlpatterns = [
    path("<uuid:child_id>/", views.child_detail, name="detail"),
    path("<uuid:child_id>/mace-proposal/", views.mace_propose, name="mace_propose"),
    path(
        "<uuid:child_id>/chronology.<str:fmt>",
        views.chronology_download,
        name="chronology_export",
    ),
]
