"""Menu item, request kind and calendar deadlines of the 例外措置 app."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mamori.compliance.exceptions import kinds  # noqa: F401  registers compliance.exception
from mamori.web.deadlines import Deadline
from mamori.web.deadlines import register as register_deadlines
from mamori.web.nav import NavItem, register

# Everyone: their own exceptions; 許可権限者, CISO and 統括: the ledger of their scope.
register(NavItem("exceptions", _("例外措置"), "exceptions:list", None, 62, group="handling"))


def exception_deadlines(person, start, end):
    """The end dates of the exceptions `person` owns or may see in the ledger."""
    from mamori.compliance.exceptions.models import ExceptionRecord, RecordState
    from mamori.rules.refs import TOITSU_H30, cite

    records = ExceptionRecord.objects.visible_to(person).filter(
        period_end__range=(start, end),
        state__in=[RecordState.ACTIVE, RecordState.ENDED, RecordState.EXPIRED],
    )
    for record in records.order_by("period_end", "id"):
        yield Deadline(
            uid=f"exceptions.record.{record.pk}",
            due=record.period_end,
            title=str(_("例外措置の終了: %(ref)s %(citation)s"))
            % {"ref": record.reference, "citation": record.requirement_citation},
            url=reverse("exceptions:detail", args=[record.pk]),
            module="exceptions",
            citation=cite(TOITSU_H30, "2.2.2(2)"),
            done=record.state == RecordState.ENDED,
        )


register_deadlines("exceptions", exception_deadlines)
