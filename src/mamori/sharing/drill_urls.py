"""CEPTOAR drill URLs, included by mamori.sharing.urls under drills/ (namespace sharing)."""

from django.urls import path

from mamori.sharing import drills_views

urlpatterns = [
    path("", drills_views.drill_list, name="drill_list"),
    path("start/", drills_views.drill_start, name="drill_start"),
    path("<int:pk>/", drills_views.drill_detail, name="drill_detail"),
    path("<int:pk>/acknowledge/", drills_views.drill_acknowledge, name="drill_acknowledge"),
    path("<int:pk>/close/", drills_views.drill_close, name="drill_close"),
    path("<int:pk>/export.csv", drills_views.drill_export, name="drill_export"),
]
