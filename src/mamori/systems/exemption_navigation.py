"""Menu item and request kind of 適用除外 (防衛省通達 第1の3)."""

from django.utils.translation import gettext_lazy as _

from mamori.systems import exemption_kinds  # noqa: F401  registers systems.exemption
from mamori.systems.exemptions import VIEWER_ROLES
from mamori.web.deadlines import Deadline
from mamori.web.deadlines import register as register_deadlines
from mamori.web.nav import NavItem, register

register(
    NavItem("exemptions", _("適用除外"), "systems:exemptions", VIEWER_ROLES, 64, group="handling")
)


def exemption_deadlines(person, start, end):
    """The ends of the permitted 適用除外 periods the person may see (the end report is due)."""
    from django.urls import reverse

    from mamori.rules.refs import MOD, cite
    from mamori.systems.exemptions import Exemption

    found = (
        Exemption.objects.visible_to(person)
        .filter(request__state__in=["approved", "expired", "closed"])
        .filter(granted_period_end__range=(start, end))
        .select_related("system", "request")
        .order_by("granted_period_end", "id")
    )
    for exemption in found:
        yield Deadline(
            uid=f"systems.exemption.{exemption.pk}",
            due=exemption.granted_period_end,
            title=str(_("適用除外の終了: %(ref)s %(system)s"))
            % {"ref": exemption.reference, "system": exemption.system.name},
            url=reverse("systems:exemption_detail", args=[exemption.pk]),
            module="exemptions",
            citation=cite(MOD, "第1の3(2)"),
            done=exemption.request.state == "closed",
        )


register_deadlines("exemptions", exemption_deadlines)
