from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "mamori.approvals"
    label = "approvals"
    verbose_name = _("申請と承認")

    def ready(self) -> None:
        from mamori.approvals import (
            deadlines,  # noqa: F401  registers the calendar provider
            kinds,  # noqa: F401  registers the foundation's kinds
        )
