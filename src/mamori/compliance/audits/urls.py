from django.urls import path

from mamori.compliance.audits import views, views_plans

app_name = "audits"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.csv", views.export, name="export"),
    path("new/", views.create, name="create"),
    path("findings/", views.findings, name="findings"),
    path("findings/export.csv", views.findings_export, name="findings_export"),
    path("items/", views_plans.items, name="items"),
    path("items/export.csv", views_plans.items_export, name="items_export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/auditors/", views.assign, name="assign"),
    path("<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/checklist/", views.checklist, name="checklist"),
    path("<int:pk>/checklist/<int:item_pk>/", views.check, name="check"),
    path("<int:pk>/findings/new/", views.finding_new, name="finding_new"),
    path(
        "<int:pk>/findings/<int:finding_pk>/evidence/",
        views.evidence_add,
        name="evidence_add",
    ),
    path(
        "<int:pk>/evidence/<int:evidence_pk>/",
        views.evidence_download,
        name="evidence_download",
    ),
    path("<int:pk>/report/", views.report_page, name="report"),
    path("<int:pk>/report/issue/", views.issue_report, name="issue_report"),
    path("<int:pk>/report.pdf", views.report_download, name="report_pdf"),
    path("<int:pk>/instruct/", views.instruct, name="instruct"),
    path("<int:pk>/close/", views.close, name="close"),
    path("plans/<int:pk>/", views_plans.plan, name="plan"),
    path("plans/<int:pk>/items/", views_plans.item_add, name="item_add"),
    path("plans/<int:pk>/items/<int:item_pk>/done/", views_plans.item_done, name="item_done"),
    path("plans/<int:pk>/report/", views_plans.plan_report, name="plan_report"),
    path("plans/<int:pk>/return/", views_plans.plan_return, name="plan_return"),
    path("plans/<int:pk>/close/", views_plans.plan_close, name="plan_close"),
]
