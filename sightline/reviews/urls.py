from django.urls import path

from sightline.reviews.views import language, recommendations, reviews

app_name = "reviews"
urlpatterns = [
    path("", reviews.review_list, name="list"),
    path("<uuid:review_id>/", reviews.review_detail, name="detail"),
    path("<uuid:review_id>/chronology.csv", reviews.chronology_csv, name="chronology_csv"),
    path("<uuid:review_id>/chronology.pdf", reviews.chronology_pdf, name="chronology_pdf"),
    path("<uuid:review_id>/significance/", reviews.significance, name="significance"),
    path("<uuid:review_id>/reviewers/", reviews.grant, name="grant"),
    path("<uuid:review_id>/close/", reviews.close, name="close"),
    path("<uuid:review_id>/findings/", reviews.finding_add, name="finding_add"),
    path(
        "<uuid:review_id>/recommendations/",
        reviews.recommendation_add,
        name="recommendation_add",
    ),
    path("recommendations/", recommendations.tracker, name="tracker"),
    path("recommendations/export.csv", recommendations.tracker_csv, name="tracker_csv"),
    path(
        "recommendations/<uuid:recommendation_id>/",
        recommendations.recommendation_detail,
        name="recommendation",
    ),
    path(
        "recommendations/<uuid:recommendation_id>/update/",
        recommendations.recommendation_update,
        name="recommendation_update",
    ),
]

# Mounted at /language/ under the "language" namespace (config/urls.py).
language_urlpatterns = [
    path("", language.report, name="report"),
    path("check/", language.check, name="check"),
]
