from django.urls import path

from sightline.site.reports import dashboard_views, views

app_name = "reports"
urlpatterns = [
    path("returns/", views.returns, name="returns"),
    path("returns/cin-census.xml", views.cin_census_download, name="cin_census"),
    path("returns/annex-a.xlsx", views.annex_a_download, name="annex_a"),
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path("dashboard/<slug:key>.csv", dashboard_views.dashboard_csv, name="dashboard_csv"),
    path(
        "dashboard/<slug:key>/records/", dashboard_views.dashboard_records, name="dashboard_records"
    ),
]
