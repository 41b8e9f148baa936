from django.urls import path

from sightline.escalation import views
from sightline.site import challenges, escalations

app_name = "escalation"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<uuid:item_id>/read/", views.inbox_read, name="inbox_read"),
    path("escalations/", views.escalation_list, name="list"),
    path("escalations/<uuid:escalation_id>/", views.escalation_detail, name="detail"),
    path(
        "escalations/<uuid:escalation_id>/<str:verb>/",
        escalations.escalation_act_page,
        name="act",
    ),
    path("performance/", views.performance, name="performance"),
    path("challenges/", views.challenge_list, name="challenges"),
    path("challenges/<uuid:challenge_id>/", views.challenge_detail, name="challenge"),
    path(
        "challenges/<uuid:challenge_id>/respond/",
        challenges.challenge_respond,
        name="challenge_respond",
    ),
    path(
        "challenges/<uuid:challenge_id>/escalate/",
        challenges.challenge_escalate,
        name="challenge_escalate",
    ),
    path("referrals/<str:reference>/", views.referral_clocks, name="referral"),
    path("referrals/<str:reference>/challenge/", challenges.challenge_new, name="challenge_new"),
    path("referrals/<str:reference>/review/", escalations.rereferral_review_page, name="review"),
]
