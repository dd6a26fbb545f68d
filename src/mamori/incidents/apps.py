from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "mamori.incidents"
    label = "incidents"
    verbose_name = _("インシデント対応")

    def ready(self) -> None:
        from mamori.incidents import (
            deadlines,  # noqa: F401  registers the calendar provider
            navigation,  # noqa: F401  registers the menu items
        )
