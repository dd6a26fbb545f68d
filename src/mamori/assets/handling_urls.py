"""The handling check pages (mounted in assets/urls.py under the "assets" namespace)."""

from django.urls import path

from mamori.assets import handling_views

urlpatterns = [
    path("check/", handling_views.check, name="check"),
    path("check/request/", handling_views.file_request, name="check_request"),
    path("check/confirm/", handling_views.confirm, name="check_confirm"),
]
