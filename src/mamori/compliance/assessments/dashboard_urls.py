"""The dashboard and its exports at /self-assessment/dashboard/. assessments/urls.py
includes this module with `path("", include(...))`, and it has no app_name of its own, so
its names live in the "assessments" namespace: assessments:dashboard,
assessments:dashboard_xlsx, assessments:dashboard_pdf."""

from django.urls import path

from mamori.compliance.assessments import dashboard_views

urlpatterns: list = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/results.xlsx", dashboard_views.dashboard_xlsx, name="dashboard_xlsx"),
    path("dashboard/results.pdf", dashboard_views.dashboard_pdf, name="dashboard_pdf"),
]
