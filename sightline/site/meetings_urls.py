"""The MACE pages: the meetings app's own, and the site's pages that write free text
(sightline/site/meetings_record.py)."""

from django.urls import path

from sightline.meetings import views, views_plan, views_record
from sightline.site import meetings_record

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views_plan.meeting_new, name="new"),
    path("<uuid:meeting_id>/", views.meeting_detail, name="detail"),
    path("<uuid:meeting_id>/pack/", views.pack_html, name="pack"),
    path("<uuid:meeting_id>/pack/issue/", views.pack_issue, name="pack_issue"),
    path("<uuid:meeting_id>/pack.pdf", views.pack_pdf, name="pack_pdf"),
    path(
        "<uuid:meeting_id>/items/<uuid:item_id>/remove/",
        meetings_record.item_remove,
        name="item_remove",
    ),
    path("disruption/", views.register, name="register"),
    path("disruption/measures/", views.measures, name="measures"),
    path("disruption/<uuid:disruption_id>/", views.disruption_detail, name="disruption"),
    path("<uuid:meeting_id>/attendance/", views_record.attendance, name="attendance"),
    path("<uuid:meeting_id>/hold/", views_record.hold, name="hold"),
    path("<uuid:meeting_id>/minutes/approve/", views_record.minutes_approve, name="approve"),
    path(
        "<uuid:meeting_id>/items/<uuid:item_id>/discussion/",
        meetings_record.discussion,
        name="discussion",
    ),
    path("<uuid:meeting_id>/actions/new/", meetings_record.action_new, name="action_new"),
    path("actions/<uuid:action_id>/", meetings_record.action_detail, name="action"),
    path("actions/", views_record.action_list, name="actions"),
]
