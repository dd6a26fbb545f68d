from django.urls import path

from mamori.compliance.exceptions import views

app_name = "exceptions"
urlpatterns = [
    path("", views.ledger, name="list"),
    path("export.csv", views.ledger_export, name="export"),
    path("new/", views.request_new, name="new"),
    path("requests/<int:pk>/edit/", views.request_edit, name="edit"),
    path("authorities/", views.authorities, name="authorities"),
    path("authorities/<int:pk>/end/", views.end_designation, name="end_designation"),
    path("<int:pk>/", views.record_detail, name="detail"),
    path("<int:pk>/end/", views.record_end, name="end"),
    path("<int:pk>/revoke/", views.record_revoke, name="revoke"),
]
