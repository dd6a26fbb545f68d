from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """Yearly self-assessment (統一基準 2.3.1, 防衛省通達 第12-1)."""

    name = "mamori.compliance.assessments"
    label = "assessments"
    verbose_name = _("自己点検")

    def ready(self) -> None:
        from mamori.compliance.assessments import navigation  # noqa: F401
