"""The information asset register's pages (namespace "assets", see urls.py)."""

from django.urls import path

from mamori.assets import reclassification_views, views

urlpatterns = [
    path("", views.asset_list, name="list"),
    path("export.csv", views.asset_export, name="export"),
    path("export.xlsx", views.asset_export_xlsx, name="export_xlsx"),
    path("new/", views.asset_new, name="new"),
    path("import/", views.asset_import, name="import"),
    path("<int:pk>/", views.asset_detail, name="detail"),
    path("<int:pk>/edit/", views.asset_edit, name="edit"),
    path("<int:pk>/state/", views.asset_state, name="state"),
    path("<int:pk>/dispose/", views.asset_dispose, name="dispose"),
    path("<int:pk>/review/", reclassification_views.request_review, name="review"),
]
