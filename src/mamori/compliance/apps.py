from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    """Regulation catalogs in use, the agency's 対策基準, violation reports."""

    name = "mamori.compliance"
    label = "compliance"
    verbose_name = _("遵守状況の管理")

    def ready(self) -> None:
        from mamori.compliance import navigation  # noqa: F401  registers the menu items
