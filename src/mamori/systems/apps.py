from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SystemsConfig(AppConfig):
    name = "mamori.systems"
    label = "systems"
    verbose_name = _("情報システム")

    def ready(self) -> None:
        from mamori.systems import exemption_navigation  # noqa: F401  kind and menu item
