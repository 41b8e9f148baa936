from django.urls import path

from sightline.site.frontdoor import views

app_name = "referrals"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/decision/", views.decide, name="decide"),
    path("<str:reference>/children/<uuid:child_id>/screening/", views.screen, name="screen"),
    path("matches/<uuid:candidate_id>/<str:verdict>/", views.match, name="match"),
]
