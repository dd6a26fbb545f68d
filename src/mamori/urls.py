from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from mamori.api.router import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("trail/", include("mamori.trail.urls")),
    path("approvals/", include("mamori.approvals.urls")),
    path("org/", include("mamori.org.urls")),
    path("assets/", include("mamori.assets.urls")),
    path("incidents/", include("mamori.incidents.urls")),
    path("compliance/", include("mamori.compliance.urls")),
    path("self-assessment/", include("mamori.compliance.assessments.urls")),
    path("audits/", include("mamori.compliance.audits.urls")),
    path("exceptions/", include("mamori.compliance.exceptions.urls")),
    path("systems/", include("mamori.systems.urls")),
    path("sharing/", include("mamori.sharing.urls")),
    path("taxii2/", include("mamori.sharing.taxii_urls")),
    path("calendar/", include("mamori.web.calendar_urls")),
    path("", include("mamori.web.urls")),
]
