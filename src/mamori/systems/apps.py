from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SystemsConfig(AppConfig):
    name = "mamori.systems"
    label = "systems"
    verbose_name = _("情報システム")
