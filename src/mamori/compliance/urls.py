from django.urls import path

from mamori.compliance import views_catalog, views_policy, views_violations

app_name = "compliance"

urlpatterns = [
    path("catalog/", views_catalog.browser, name="catalog"),
    path("catalog/export.csv", views_catalog.export_csv, name="catalog_csv"),
    path("catalog/oscal.json", views_catalog.export_oscal, name="catalog_oscal"),
    path("catalog/import/", views_catalog.import_upload, name="catalog_import"),
    path("catalog/import/<int:pk>/", views_catalog.import_preview, name="catalog_import_preview"),
    path("catalog/import/<int:pk>/apply/", views_catalog.import_apply, name="catalog_import_apply"),
    path(
        "catalog/import/<int:pk>/discard/",
        views_catalog.import_discard,
        name="catalog_import_discard",
    ),
    path("policy/", views_policy.documents, name="policy"),
    path("policy/<int:pk>/", views_policy.document, name="policy_document"),
    path("policy/<int:pk>/edit/", views_policy.document_edit, name="policy_document_edit"),
    path("policy/<int:pk>/state/", views_policy.document_state, name="policy_document_state"),
    path("policy/<int:pk>/items/new/", views_policy.item_edit, name="policy_item_new"),
    path(
        "policy/<int:pk>/items/<int:item_pk>/edit/",
        views_policy.item_edit,
        name="policy_item_edit",
    ),
    path(
        "policy/<int:pk>/items/<int:item_pk>/delete/",
        views_policy.item_delete,
        name="policy_item_delete",
    ),
    path("policy/<int:pk>/import/", views_policy.item_import, name="policy_item_import"),
    path("policy/<int:pk>/items.csv", views_policy.items_csv, name="policy_items_csv"),
    path("policy/<int:pk>/coverage/", views_policy.coverage_view, name="policy_coverage"),
    path("policy/<int:pk>/oscal-profile.json", views_policy.profile_oscal, name="policy_oscal"),
    path("violations/report/", views_violations.report_form, name="violation_report"),
    path("violations/mine/", views_violations.mine, name="violation_mine"),
    path("violations/", views_violations.officer_list, name="violation_list"),
    path("violations/export.csv", views_violations.officer_csv, name="violation_csv"),
    path("violations/<int:pk>/", views_violations.detail, name="violation_detail"),
    path(
        "violations/<int:pk>/acknowledge/",
        views_violations.acknowledge,
        name="violation_acknowledge",
    ),
    path("violations/<int:pk>/escalate/", views_violations.escalate, name="violation_escalate"),
    path("violations/<int:pk>/close/", views_violations.close, name="violation_close"),
]
