from django.urls import path

from sightline.site.reports import views

app_name = "reports"
urlpatterns = [
    path("returns/", views.returns, name="returns"),
    path("returns/cin-census.xml", views.cin_census_download, name="cin_census"),
]
