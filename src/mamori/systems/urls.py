from django.urls import path

from mamori.systems import exemption_views

app_name = "systems"
urlpatterns = [
    path("exemptions/", exemption_views.exemption_list, name="exemptions"),
    path("exemptions/export.csv", exemption_views.exemption_export, name="exemption_export"),
    path("exemptions/new/", exemption_views.exemption_new, name="exemption_new"),
    path("exemptions/<int:pk>/", exemption_views.exemption_detail, name="exemption_detail"),
    path("exemptions/<int:pk>/edit/", exemption_views.exemption_edit, name="exemption_edit"),
    path("exemptions/<int:pk>/decide/", exemption_views.exemption_decide, name="exemption_decide"),
    path(
        "exemptions/<int:pk>/application.pdf",
        exemption_views.application_pdf,
        name="exemption_application_pdf",
    ),
    path("exemptions/<int:pk>/notice.pdf", exemption_views.notice_pdf, name="exemption_notice_pdf"),
]
