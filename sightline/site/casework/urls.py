from django.urls import path

from sightline.site.casework import views

app_name = "casework"
urlpatterns = [
    path("sign-offs/", views.sign_off_queue, name="sign_offs"),
    path("sign-offs/<uuid:sign_off_id>/approve/", views.sign_off_approve_page, name="approve"),
    path("sign-offs/<uuid:sign_off_id>/return/", views.sign_off_return_page, name="return"),
    path("caseloads/", views.caseloads_page, name="caseloads"),
    path("overrides/", views.overrides_page, name="overrides"),
    path("children/<uuid:child_id>/", views.child_casework_page, name="child"),
    path("children/<uuid:child_id>/<str:step>/", views.child_step_new, name="step_new"),
]
