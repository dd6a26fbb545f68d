"""Exports and figures; included by incidents/urls.py at /incidents/, so the names are
in the "incidents" namespace (incidents:stix, incidents:chain-pdf …)."""

from django.urls import path

from mamori.incidents import export_views, metrics_views

urlpatterns: list = [
    path("metrics/", metrics_views.metrics_page, name="metrics"),
    path("metrics/export.xlsx", metrics_views.metrics_xlsx, name="metrics-xlsx"),
    path("<int:pk>/stix/", export_views.stix_download, name="stix"),
    path(
        "<int:pk>/chain/<int:item_pk>/report.pdf",
        export_views.chain_report_pdf,
        name="chain-pdf",
    ),
    path(
        "<int:pk>/chain/<int:item_pk>/report.json",
        export_views.chain_report_json,
        name="chain-json",
    ),
]
