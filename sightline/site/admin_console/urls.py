from django.urls import path

from sightline.site.admin_console import views

app_name = "admin_console"
urlpatterns = [
    path("", views.home, name="home"),
    path("users/", views.users, name="users"),
    path("users/new/", views.user_new, name="user_new"),
    path("users/<str:username>/", views.user_edit, name="user_edit"),
    path("users/<str:username>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path(
        "users/<str:username>/two-factor-reset/",
        views.user_two_factor_reset,
        name="user_two_factor_reset",
    ),
    path("agencies/", views.agencies, name="agencies"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<uuid:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("clocks/", views.clocks, name="clocks"),
    path("settings/", views.settings_page, name="settings"),
    path("retention/", views.retention, name="retention"),
    path("retention/holds/<uuid:hold_id>/release/", views.hold_release, name="hold_release"),
]
