"""The content check pages (mounted in assets/urls.py under the "assets" namespace)."""

from django.urls import path

from mamori.assets import scan_views

urlpatterns = [
    path("scan/", scan_views.scan_check, name="scan"),
    path("scan/send/", scan_views.send_check, name="scan_send"),
]
