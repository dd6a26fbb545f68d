"""TAXII 2.1 URLs, mounted at /taxii2/ (namespace "taxii"). See mamori.sharing.taxii."""

from django.urls import path

from mamori.sharing import taxii

app_name = "taxii"

_collection = "<str:root>/collections/<uuid:collection_id>/"

urlpatterns = [
    path("", taxii.discovery, name="discovery"),
    path("<str:root>/", taxii.api_root, name="api_root"),
    path("<str:root>/collections/", taxii.collections, name="collections"),
    path(_collection, taxii.collection, name="collection"),
    path(_collection + "objects/", taxii.objects, name="objects"),
    path(_collection + "objects/<str:object_id>/", taxii.object_detail, name="object"),
    path(
        _collection + "objects/<str:object_id>/versions/",
        taxii.object_versions,
        name="object_versions",
    ),
    path(_collection + "manifest/", taxii.manifest, name="manifest"),
    path("<str:root>/status/<str:status_id>/", taxii.status, name="status"),
]
