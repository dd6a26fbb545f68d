"""The CSIRT board: the scoped, filtered list of cases and its CSV export.

The page reads only columns of the case and two joined rows (reporter, unit); the
overdue flag is a column the services keep (chain_next_due_at), so a page costs the
same few queries whether there are a thousand cases or fifty thousand."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from mamori.incidents.labels import kind_label
from mamori.incidents.models import Incident


def board_queryset(person, form):
    queryset = Incident.objects.visible_to(person).select_related("reporter", "reporter_unit")
    return form.apply(queryset)


def header() -> list[str]:
    return [
        _("事案番号"),
        _("件名"),
        _("種類"),
        _("状態"),
        _("重要度"),
        _("報告者の所属"),
        _("報告日時"),
        _("初動対応日時"),
        _("終結日時"),
        _("報告期限超過"),
    ]


def _time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def export_rows(queryset):
    now = timezone.now()
    for incident in queryset.iterator(chunk_size=500):
        yield [
            incident.number,
            incident.title,
            kind_label(incident.kind),
            incident.get_status_display(),
            incident.get_importance_display() if incident.importance else "",
            str(incident.reporter_unit) if incident.reporter_unit_id else "",
            _time(incident.reported_at),
            _time(incident.first_response_at),
            _time(incident.closed_at),
            _("超過") if incident.chain_next_due_at and incident.chain_next_due_at < now else "",
        ]
