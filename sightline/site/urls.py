from django.urls import path

from sightline.site import views

app_name = "site"
urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
]
