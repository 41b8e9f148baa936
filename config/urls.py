from django.urls import include, path

from sightline.api.api import api

urlpatterns = [
    path("", include("sightline.core.urls")),
    path("accounts/", include("sightline.accounts.urls")),
    path("referrals/", include("sightline.referrals.urls")),
    path("children/", include("sightline.referrals.child_urls")),
    path("audit/", include("sightline.audit.urls")),
    path("access/", include("sightline.referrals.access_urls")),
    path("escalation/", include("sightline.escalation.urls")),
    path("intel/", include("sightline.intel.urls")),
    path("api/v1/", api.urls),
]

handler404 = "sightline.core.views.not_found"
handler500 = "sightline.core.views.server_error"
handler403 = "sightline.core.views.forbidden"
handler400 = "sightline.core.views.bad_request"
