from django.urls import path

from sightline.events import views
from sightline.site.events import views as writes

app_name = "events"
urlpatterns = [
    path("missing/", views.missing_children, name="missing"),
    path("children/<uuid:child_id>/", views.child_events, name="child"),
    path("import/", writes.import_upload, name="import"),
    path("episodes/<uuid:event_id>/interview/", writes.interview_record, name="interview"),
    path("alerts/<uuid:alert_id>/status/", writes.alert_status, name="alert_status"),
]
