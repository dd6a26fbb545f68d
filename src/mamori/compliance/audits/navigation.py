"""Menu items and calendar deadlines of this app (mamori.web.nav, mamori.web.deadlines)."""

from django.utils.translation import gettext_lazy as _

from mamori.compliance.audits.deadlines import provider
from mamori.compliance.audits.models import MENU_ROLES
from mamori.web import deadlines
from mamori.web.nav import NavItem, register

# 「監査」 for auditors, the CISO, the 統括 and 情報セキュリティ責任者 (their units' audits).
register(NavItem("audits", _("監査"), "audits:index", MENU_ROLES, 62, group="checks"))
deadlines.register("audits", provider)
