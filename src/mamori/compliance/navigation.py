"""Menu items and calendar deadlines of this app (mamori.web.nav, mamori.web.deadlines)."""

from django.utils.translation import gettext_lazy as _

from mamori.compliance import permissions
from mamori.compliance.deadlines import register_deadlines
from mamori.web.nav import NavItem, register

register(
    NavItem(
        "compliance_catalog",
        _("規程カタログ"),
        "compliance:catalog",
        permissions.CATALOG_ROLES,
        60,
        group="checks",
    )
)
register(
    NavItem(
        "compliance_policy",
        _("対策基準"),
        "compliance:policy",
        permissions.POLICY_READ_ROLES,
        61,
        group="checks",
    )
)
# Everyone can report a serious violation (統一基準(R7) 2.2.1(2)(a)).
register(
    NavItem(
        "compliance_violation",
        _("違反の報告"),
        "compliance:violation_report",
        None,
        62,
        group="reports",
    )
)
register(
    NavItem(
        "compliance_violations",
        _("違反の報告（受付）"),
        "compliance:violation_list",
        permissions.VIOLATION_LIST_ROLES,
        63,
        group="reports",
    )
)
register_deadlines()
