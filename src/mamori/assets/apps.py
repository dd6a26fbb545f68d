from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "mamori.assets"
    label = "assets"
    verbose_name = _("情報資産と取扱い")

    def ready(self) -> None:
        from mamori.assets import kinds, navigation  # noqa: F401  registers kinds and menu items
