from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExceptionsConfig(AppConfig):
    """例外措置 (統一基準 2.2.2): permit authorities, requests, the ledger."""

    name = "mamori.compliance.exceptions"
    label = "compliance_exceptions"
    verbose_name = _("例外措置")

    def ready(self) -> None:
        from mamori.compliance.exceptions import navigation  # noqa: F401
