from django.urls import include, path

from mamori.sharing import views, views_alerts, views_stix

app_name = "sharing"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("roster/", views.roster, name="roster"),
    path("mode/", views.switch_mode, name="switch_mode"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/export.csv", views.report_export, name="report_export"),
    path("reports/new/", views.report_create, name="report_create"),
    path("reports/level/", views.level_check, name="level_check"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/update/", views.report_update, name="report_update"),
    path("reports/<int:pk>/forward/", views.report_forward, name="report_forward"),
    path("reports/<int:pk>/note/", views.report_note, name="report_note"),
    path("reports/<int:pk>/close/", views.report_close, name="report_close"),
    path("reports/<int:pk>/stix.json", views_stix.report_stix, name="report_stix"),
    path("liaison/", views.liaison_inbox, name="liaison_inbox"),
    path("alerts/", views_alerts.alert_list, name="alert_list"),
    path("alerts/export.csv", views_alerts.alert_export, name="alert_export"),
    path("alerts/new/", views_alerts.alert_compose, name="alert_compose"),
    path("alerts/<int:pk>/", views_alerts.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/acknowledge/", views_alerts.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:pk>/stix.json", views_stix.alert_stix, name="alert_stix"),
    path("drills/", include("mamori.sharing.drill_urls")),
    path("structure/", include("mamori.sharing.structure_urls")),
    path("", include("mamori.sharing.indicator_urls")),
]
