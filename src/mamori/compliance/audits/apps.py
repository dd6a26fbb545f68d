from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    """Audits, findings and improvement plans (統一基準 2.3.2, 防衛省通達 第12-2,4)."""

    name = "mamori.compliance.audits"
    label = "audits"
    verbose_name = _("情報セキュリティ監査")

    def ready(self) -> None:
        from mamori.compliance.audits import navigation  # noqa: F401
