"""The intelligence pages: the intel app's own (reads), and the site's pages that write a
practitioner's text (sightline/site/intel_writes.py). URLs as they were."""

from django.urls import path

from sightline.intel import views
from sightline.site import intel_writes

app_name = "intel"
urlpatterns = [
    path("", views.alert_list, name="alerts"),
    path("alerts/<uuid:alert_id>/", views.alert_detail, name="alert"),
    path("alerts/<uuid:alert_id>/status/", intel_writes.alert_status, name="alert_status"),
    path("persons/<uuid:entity_id>/", views.person_detail, name="person"),
    path("persons/<uuid:entity_id>/split/", intel_writes.person_split, name="person_split"),
    path("places/<uuid:entity_id>/", views.place_detail, name="place"),
    path("vehicles/<uuid:entity_id>/", views.vehicle_detail, name="vehicle"),
    path(
        "mentions/<uuid:mention_id>/<str:verdict>/",
        intel_writes.mention_decide,
        name="mention_decide",
    ),
    path("network/<str:node_type>/<uuid:node_id>/", views.network_page, name="network"),
    path("network/<str:node_type>/<uuid:node_id>.json", views.network_json, name="network_json"),
    path("groups/", views.group_list, name="groups"),
    path("hotspots/", views.hotspots, name="hotspots"),
]
