from django.urls import path

from sightline.reviews.views import detectors, language, reader, recommendations, reviews, start

app_name = "reviews"
urlpatterns = [
    path("", reviews.review_list, name="list"),
    path("new/", start.review_start, name="start"),
    path("<uuid:review_id>/", reviews.review_detail, name="detail"),
    path("<uuid:review_id>/chronology.csv", reviews.chronology_csv, name="chronology_csv"),
    path("<uuid:review_id>/chronology.pdf", reviews.chronology_pdf, name="chronology_pdf"),
    path("<uuid:review_id>/significance/", reviews.significance, name="significance"),
    path("<uuid:review_id>/reviewers/", reviews.grant, name="grant"),
    path("<uuid:review_id>/close/", reviews.close, name="close"),
    path("<uuid:review_id>/dates/", start.review_dates, name="dates"),
    path("<uuid:review_id>/referrals/<str:reference>/", reader.referral_read, name="referral_read"),
    path("<uuid:review_id>/children/<uuid:child_id>/", reader.child_read, name="child_read"),
    path("<uuid:review_id>/findings/", reviews.finding_add, name="finding_add"),
    path(
        "<uuid:review_id>/recommendations/",
        reviews.recommendation_add,
        name="recommendation_add",
    ),
    path("detectors/", detectors.report, name="detectors"),
    path("detectors/run/", detectors.run, name="detector_run_new"),
    path("detectors/runs/<uuid:run_id>/", detectors.run_detail, name="detector_run"),
    path("missed-opportunities/", detectors.alert_list, name="missed_opportunities"),
    path("missed-opportunities/<uuid:mo_id>/", detectors.alert_detail, name="missed_opportunity"),
    path(
        "missed-opportunities/<uuid:mo_id>/acknowledge/",
        detectors.alert_acknowledge,
        name="missed_opportunity_acknowledge",
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
