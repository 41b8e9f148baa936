from django.urls import include, path

from sightline.api.api import api
from sightline.reviews.urls import language_urlpatterns

urlpatterns = [
    path("", include("sightline.site.urls")),
    path("accounts/", include("sightline.accounts.urls")),
    path("referrals/", include("sightline.site.frontdoor.urls")),
    path("children/", include("sightline.site.children.urls")),
    path("search/", include("sightline.site.search.urls")),
    path("audit/", include("sightline.reporting.access_log_urls")),
    path("access/", include("sightline.site.frontdoor.access_urls")),
    path("escalation/", include("sightline.site.escalation_urls")),
    path("intel/", include("sightline.site.intel_urls")),
    path("workforce/", include("sightline.site.workforce_urls")),
    path("events/", include("sightline.site.events.urls")),
    path("reviews/", include("sightline.reviews.urls")),
    path("casework/", include("sightline.site.casework.urls")),
    path("reports/", include("sightline.site.reports.urls")),
    path("language/", include((language_urlpatterns, "language"))),
    path("meetings/", include("sightline.site.meetings_urls")),
    path("admin-console/", include("sightline.site.admin_console.urls")),
    path("api/v1/", api.urls),
]

handler404 = "sightline.site.views.not_found"
handler500 = "sightline.site.views.server_error"
handler403 = "sightline.site.views.forbidden"
handler400 = "sightline.site.views.bad_request"
