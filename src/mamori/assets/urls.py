"""The assets module's pages: the register and the handling check."""

from mamori.assets import handling_urls, register_urls

app_name = "assets"
urlpatterns = [*register_urls.urlpatterns, *handling_urls.urlpatterns]
