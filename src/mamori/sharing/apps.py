from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    """Critical-infrastructure information sharing (行動計画 別添, 別紙1–5)."""

    name = "mamori.sharing"
    label = "sharing"
    verbose_name = _("重要インフラ情報共有")

    def ready(self) -> None:
        from mamori.sharing import indicators_navigation, navigation  # noqa: F401
