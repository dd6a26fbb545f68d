from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "mamori.web"
    label = "web"
    verbose_name = _("画面")

    def ready(self) -> None:
        from mamori.web import auth  # noqa: F401  connects the sign-in trail receivers
