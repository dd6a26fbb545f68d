"""Forms of the 例外措置 pages: they only shape input; services validate the rest."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamori.compliance.exceptions import catalog
from mamori.compliance.exceptions.models import RecordState
from mamori.org.models import OrgUnit, Person

DATE = forms.DateInput(attrs={"type": "date"})


class RequestForm(forms.Form):
    requirement = forms.ChoiceField(
        label=_("例外とする遵守事項"),
        help_text=_("遵守が困難な遵守事項を規程の一覧から選んでください。"),
    )
    reason = forms.CharField(
        label=_("理由"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    scope_text = forms.CharField(
        label=_("対象範囲"),
        help_text=_("対象となる情報システム、組織単位、情報などを具体的に記載してください。"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    scope_units = forms.ModelMultipleChoiceField(
        label=_("対象の組織単位（任意）"), queryset=OrgUnit.objects.none(), required=False
    )
    period_start = forms.DateField(label=_("期間（開始）"), widget=DATE)
    period_end = forms.DateField(
        label=_("期間（終了）"), widget=DATE, help_text=_("期間は最長366日です。")
    )
    measures = forms.CharField(
        label=_("代替措置"),
        help_text=_("例外措置の期間中に講ずる代替の対策を記載してください。"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].choices = [
            ("", "---------"),
            *catalog.choices(organization.rulebooks),
        ]
        self.fields["scope_units"].queryset = OrgUnit.objects.filter(organization=organization)

    def clean_requirement(self):
        value = self.cleaned_data["requirement"]
        rulebook, _sep, clause_id = value.partition(":")
        return rulebook, clause_id


class ProcedureForm(forms.Form):
    text = forms.CharField(
        label=_("審査手続"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000
    )
    effective_from = forms.DateField(label=_("施行日"), widget=DATE, initial=timezone.localdate)


class DesignationForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("許可権限者とする職員等"), queryset=Person.objects.none()
    )
    unit = forms.ModelChoiceField(
        label=_("対象の組織単位"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("空欄なら組織全体の許可権限者になります。"),
    )
    valid_from = forms.DateField(label=_("開始日"), widget=DATE, initial=timezone.localdate)
    valid_to = forms.DateField(label=_("終了日（任意）"), widget=DATE, required=False)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(
            organization=organization, active=True
        ).select_related("unit")
        self.fields["unit"].queryset = OrgUnit.objects.filter(organization=organization)


class EndReportForm(forms.Form):
    ended_on = forms.DateField(label=_("終了日"), widget=DATE, initial=timezone.localdate)
    restored = forms.CharField(
        label=_("復旧した内容"),
        help_text=_("遵守事項に沿った状態に戻した内容を記載してください。"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    remaining_issues = forms.CharField(
        label=_("残された課題"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("取消しの理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


SORTS = {
    "period_end": ("period_end", "id"),
    "-period_end": ("-period_end", "-id"),
    "granted": ("granted_at", "id"),
    "-granted": ("-granted_at", "-id"),
    "requirement": ("requirement_id", "id"),
}


class LedgerFilter(forms.Form):
    state = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *RecordState.choices]
    )
    unit = forms.ModelChoiceField(
        label=_("申請部署"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("すべて"),
    )
    expiring_within = forms.IntegerField(
        label=_("終了まで（日以内）"), required=False, min_value=0, max_value=3660
    )
    sort = forms.ChoiceField(
        label=_("並び順"),
        required=False,
        choices=[
            ("period_end", _("終了日が近い順")),
            ("-period_end", _("終了日が遠い順")),
            ("-granted", _("許可日が新しい順")),
            ("granted", _("許可日が古い順")),
            ("requirement", _("遵守事項順")),
        ],
    )

    def __init__(self, *args, organization_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(organization_id=organization_id)

    def apply(self, queryset, today):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("state"):
            queryset = queryset.filter(state=data["state"])
        if data.get("unit"):
            queryset = queryset.filter(unit__path__startswith=data["unit"].path)
        if data.get("expiring_within") is not None:
            from datetime import timedelta

            queryset = queryset.filter(
                state=RecordState.ACTIVE,
                period_end__gte=today,
                period_end__lte=today + timedelta(days=data["expiring_within"]),
            )
        return queryset.order_by(*SORTS.get(data.get("sort") or "period_end"))
