"""NISC's structure pages, included by mamori.sharing.urls under structure/ (namespace
sharing)."""

from django.urls import path

from mamori.sharing import views_structure

urlpatterns = [
    path("", views_structure.structure_index, name="structure"),
    path("ceptoars/<int:pk>/", views_structure.ceptoar_manage, name="ceptoar_manage"),
    path("ceptoars/<int:pk>/members/", views_structure.member_add, name="member_add"),
    path(
        "ceptoars/<int:pk>/members/<int:member_pk>/remove/",
        views_structure.member_remove,
        name="member_remove",
    ),
    path("parties/<int:pk>/agreement/", views_structure.agreement_set, name="agreement_set"),
    path("liaisons/<slug:sector>/", views_structure.liaison_edit, name="liaison_edit"),
]
