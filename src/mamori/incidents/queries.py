"""What a person has to do about incidents: for the board, the dashboard and 自分のタスク."""

from __future__ import annotations

from mamori.incidents import permissions
from mamori.incidents.models import ChainItem, Incident


def awaiting_acknowledgement(person):
    """Reports sent to this person that they have not yet acknowledged."""
    return (
        ChainItem.objects.filter(
            recipient_person=person,
            sent_at__isnull=False,
            acknowledged_at__isnull=True,
            cancelled_at__isnull=True,
        )
        .select_related("incident")
        .order_by("sent_at", "id")
    )


def overdue_cases(person):
    """Cases the person may see with a required report past its due time (only for
    those who run or oversee cases; staff have nothing to send)."""
    if not permissions.may_see_board(person):
        return Incident.objects.none()
    return (
        Incident.objects.visible_to(person)
        .overdue()
        .select_related("reporter_unit")
        .order_by("chain_next_due_at", "id")
    )
