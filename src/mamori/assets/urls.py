"""The assets module's pages: the register, the handling check and the content checks."""

from mamori.assets import handling_urls, register_urls, scan_urls

app_name = "assets"
urlpatterns = [
    *register_urls.urlpatterns,
    *handling_urls.urlpatterns,
    *scan_urls.urlpatterns,
]
