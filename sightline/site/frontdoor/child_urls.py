from django.urls import path

from sightline.site.frontdoor import views

app_name = "children"
urlpatterns = [path("<uuid:child_id>/", views.child_detail, name="detail")]
