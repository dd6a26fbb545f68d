from django.urls import path

from mamori.approvals import views

app_name = "approvals"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("export.csv", views.request_export, name="export"),
    path("new/", views.request_new, name="new"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/edit/", views.request_edit, name="edit"),
    path("<int:pk>/act/", views.request_act, name="act"),
    path("<int:pk>/comment/", views.request_comment, name="comment"),
    path("<int:pk>/attach/", views.request_attach, name="attach"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
]
