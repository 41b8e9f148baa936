from django.urls import path

from sightline.reporting import workforce_views
from sightline.workforce import views

app_name = "workforce"
urlpatterns = [
    path("", workforce_views.coverage, name="coverage"),
    path("due.csv", views.due_export, name="due_export"),
    path("import/", views.import_upload, name="import"),
    path("headcount/", views.headcount_entry, name="headcount"),
]
