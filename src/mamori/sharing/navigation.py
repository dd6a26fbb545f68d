"""Menu items of this app (mamori.web.nav)."""

from django.utils.translation import gettext_lazy as _

from mamori.sharing.access import SHARING_ROLES
from mamori.web.nav import NavItem, register

register(
    NavItem(
        "sharing",
        _("重要インフラ情報共有"),
        "sharing:dashboard",
        SHARING_ROLES,
        70,
        group="sharing",
    )
)
register(
    NavItem(
        "sharing_alerts", _("情報提供"), "sharing:alert_list", SHARING_ROLES, 71, group="sharing"
    )
)
register(
    NavItem(
        "sharing_liaison",
        _("リエゾンの受信箱"),
        "sharing:liaison_inbox",
        ("cip_liaison",),
        72,
        group="sharing",
    )
)
register(
    NavItem(
        "sharing_drills",
        _("セプター訓練"),
        "sharing:drill_list",
        SHARING_ROLES,
        73,
        group="sharing",
    )
)
register(
    NavItem(
        "sharing_structure",
        _("情報共有体制の管理"),
        "sharing:structure",
        ("cip_nisc",),
        74,
        group="sharing",
    )
)
