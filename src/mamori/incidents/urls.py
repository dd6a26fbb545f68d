from django.urls import include, path

from mamori.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.board, name="board"),
    path("report/", views.report_form, name="report"),
    path("export.csv", views.board_export, name="board_export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reported/", views.reported, name="reported"),
    path("<int:pk>/triage/", views.triage, name="triage"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/tasks/", views.add_task, name="add_task"),
    path("<int:pk>/tasks/<int:task_pk>/done/", views.complete_task, name="complete_task"),
    path("<int:pk>/notes/", views.add_note, name="add_note"),
    path("<int:pk>/analysis/", views.analysis, name="analysis"),
    path("<int:pk>/share/", views.share, name="share"),
    path("<int:pk>/evidence/", views.add_evidence, name="add_evidence"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence_download, name="evidence_download"),
    path("<int:pk>/chain/<int:item_pk>/send/", views.send_item, name="send_item"),
    path("<int:pk>/chain/<int:item_pk>/acknowledge/", views.acknowledge_item, name="acknowledge"),
    path("", include("mamori.incidents.export_urls")),
]
