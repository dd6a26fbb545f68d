from django.utils.translation import gettext_lazy as _

from mamori.incidents.metrics import METRICS_ROLES
from mamori.web.nav import NavItem, register

# The 報告窓口 is in everyone's menu, right after the foundation's own items (which
# tests/web pins as the first three): reporting takes one click from any page
# (統一基準(R7) 2.2.4(2)(a): staff report to the 窓口).
register(
    NavItem("incident_report", _("インシデント報告"), "incidents:report", None, 31, group="reports")
)
# Everyone sees the list: staff their own reports, CSIRT and officers their scope.
register(NavItem("incidents", _("インシデント"), "incidents:board", None, 45, group="reports"))
register(
    NavItem(
        "incident_metrics",
        _("インシデントの統計"),
        "incidents:metrics",
        METRICS_ROLES,
        46,
        group="checks",
    )
)
