from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "mamori.org"
    label = "org"
    verbose_name = _("組織と役割")
