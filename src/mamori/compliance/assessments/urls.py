from importlib.util import find_spec

from django.urls import include, path

from mamori.compliance.assessments import evaluation_views, views

app_name = "assessments"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("checklists/<int:pk>/", views.checklist_detail, name="checklist"),
    path("plans/", views.plans, name="plans"),
    path("plans/export.csv", views.plans_export, name="plans_export"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path(
        "plans/<int:pk>/checklists.csv",
        views.plan_checklists_export,
        name="plan_checklists_export",
    ),
    path("plans/<int:pk>/open/", views.plan_open, name="plan_open"),
    path("plans/<int:pk>/distribute/", views.plan_distribute, name="plan_distribute"),
    path("plans/<int:pk>/revise/", views.plan_revise, name="plan_revise"),
    path("plans/<int:pk>/close/", views.plan_close, name="plan_close"),
    path(
        "plans/<int:pk>/units/<int:unit_pk>/evaluation/",
        evaluation_views.unit_evaluation,
        name="unit_evaluation",
    ),
    path(
        "plans/<int:pk>/units/<int:unit_pk>/evaluation/report/",
        evaluation_views.unit_evaluation_report,
        name="unit_evaluation_report",
    ),
    path("plans/<int:pk>/evaluation/", evaluation_views.org_evaluation, name="org_evaluation"),
    path(
        "plans/<int:pk>/evaluation/report/",
        evaluation_views.org_evaluation_report,
        name="org_evaluation_report",
    ),
]

# The dashboards and exports (written alongside) add their routes to this namespace.
if find_spec("mamori.compliance.assessments.dashboard_urls") is not None:
    urlpatterns.append(path("", include("mamori.compliance.assessments.dashboard_urls")))
