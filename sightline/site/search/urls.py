from django.urls import path

from sightline.site.search import views

app_name = "search"
urlpatterns = [path("", views.search, name="search")]
