"""The auditor's filter over the trail, shared by the list and the CSV export."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mamori.trail.services import start_of_day


class EventFilterForm(forms.Form):
    action = forms.CharField(
        label=_("操作"),
        max_length=100,
        required=False,
        help_text=_("前方一致。例: approvals. で申請に関する操作すべて"),
    )
    actor = forms.CharField(
        label=_("実行者"), max_length=200, required=False, help_text=_("氏名またはユーザー名の一部")
    )
    object_type = forms.CharField(
        label=_("対象の種類"), max_length=100, required=False, help_text=_("例: approvals.request")
    )
    object_id = forms.CharField(label=_("対象ID"), max_length=64, required=False)
    date_from = forms.DateField(
        label=_("開始日"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("終了日"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("終了日は開始日以降にしてください。"))
        return cleaned

    def filter(self, events: QuerySet) -> QuerySet:
        """Narrow `events` by the cleaned values; call only when the form is valid."""
        data = self.cleaned_data
        if data.get("action"):
            events = events.filter(action__startswith=data["action"].strip())
        if data.get("actor"):
            events = events.filter(actor_label__icontains=data["actor"].strip())
        if data.get("object_type"):
            events = events.filter(object_type=data["object_type"].strip())
        if data.get("object_id"):
            events = events.filter(object_id=data["object_id"].strip())
        # Dates are days in Japan time: "to" includes the whole of its day.
        if data.get("date_from"):
            events = events.filter(at__gte=start_of_day(data["date_from"]))
        if data.get("date_to"):
            events = events.filter(at__lt=start_of_day(data["date_to"] + timedelta(days=1)))
        return events

    def as_record(self) -> dict:
        """The filters as stored in the trail.exported event."""
        return {
            name: value.isoformat() if hasattr(value, "isoformat") else value
            for name, value in self.cleaned_data.items()
            if value
        }
