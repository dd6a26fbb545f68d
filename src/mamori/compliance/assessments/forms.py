"""Forms of the self-assessment pages. Validation that is a rule lives in services.py;
these only parse what the browser sends."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamori.compliance.assessments.workflow import ChecklistState, PlanState
from mamori.org.models import OrgUnit, Rulebook
from mamori.rules import deadlines

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.Form):
    fiscal_year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("件名"), max_length=200)
    rulebooks = forms.MultipleChoiceField(
        label=_("対象の規程"), widget=forms.CheckboxSelectMultiple
    )
    answer_due = forms.DateField(label=_("回答期限"), widget=DATE)
    unit_evaluation_due = forms.DateField(
        label=_("情報セキュリティ責任者の評価の期限"), widget=DATE
    )
    org_evaluation_due = forms.DateField(
        label=_("統括情報セキュリティ責任者の評価の期限"), widget=DATE
    )
    notes = forms.CharField(
        label=_("実施要領・備考"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("職員等に周知する点検の手順や留意事項（防衛省通達 第12の1: 実施要領）。"),
    )

    def __init__(self, *args, rulebooks: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rulebooks"].choices = [(code, Rulebook(code).label) for code in rulebooks]
        if not self.is_bound:
            year = deadlines.fiscal_year(timezone.localdate())
            self.initial.setdefault("fiscal_year", year)
            self.initial.setdefault("rulebooks", rulebooks)


class PlanFilterForm(forms.Form):
    SORTS = {
        "-fiscal_year": _("年度（新しい順）"),
        "fiscal_year": _("年度（古い順）"),
        "answer_due": _("回答期限（近い順）"),
        "title": _("件名"),
    }
    fiscal_year = forms.IntegerField(label=_("年度"), required=False)
    state = forms.ChoiceField(label=_("状態"), required=False)
    sort = forms.ChoiceField(label=_("並び順"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("すべて")), *PlanState.choices]
        self.fields["sort"].choices = list(self.SORTS.items())

    def apply(self, queryset):
        if not self.is_bound or not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("fiscal_year"):
            queryset = queryset.filter(fiscal_year=data["fiscal_year"])
        if data.get("state"):
            queryset = queryset.filter(state=data["state"])
        if data.get("sort") in self.SORTS:
            queryset = queryset.order_by(data["sort"], "-id")
        return queryset


class ChecklistFilterForm(forms.Form):
    SORTS = {
        "unit": _("所属順"),
        "-progress": _("回答の進み具合（多い順）"),
        "progress": _("回答の進み具合（少ない順）"),
        "-submitted_at": _("提出日時（新しい順）"),
        "name": _("氏名（かな）"),
    }
    ORDER = {
        "unit": ("unit__path", "person__family_name_kana", "id"),
        "-progress": ("-answered_count", "id"),
        "progress": ("answered_count", "id"),
        "-submitted_at": ("-submitted_at", "id"),
        "name": ("person__family_name_kana", "person__given_name_kana", "id"),
    }
    q = forms.CharField(label=_("氏名"), required=False, max_length=100)
    unit = forms.ModelChoiceField(label=_("所属"), required=False, queryset=OrgUnit.objects.none())
    state = forms.ChoiceField(label=_("状態"), required=False)
    sort = forms.ChoiceField(label=_("並び順"), required=False)

    def __init__(self, *args, organization_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(
            organization_id=organization_id
        ).order_by("path")
        self.fields["state"].choices = [("", _("すべて")), *ChecklistState.choices]
        self.fields["sort"].choices = list(self.SORTS.items())

    def apply(self, queryset):
        order = self.ORDER["unit"]
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            if data.get("q"):
                words = data["q"]
                queryset = queryset.filter(
                    Q(person__family_name__icontains=words)
                    | Q(person__given_name__icontains=words)
                    | Q(person__family_name_kana__icontains=words)
                    | Q(person__name_en__icontains=words)
                )
            if data.get("unit"):
                queryset = queryset.filter(unit__path__startswith=data["unit"].path)
            if data.get("state"):
                queryset = queryset.filter(state=data["state"])
            order = self.ORDER.get(data.get("sort") or "unit", order)
        return queryset.order_by(*order)


class ReviseForm(forms.Form):
    reason = forms.CharField(
        label=_("見直しの理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("新たに点検すべき事項が明らかになった事情（統一基準(H30) 2.3.1(1)(c)）。"),
    )


class UnitEvaluationForm(forms.Form):
    summary = forms.CharField(
        label=_("評価の概要"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )
    unit_issues = forms.CharField(
        label=_("組織単位特有の課題"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class OrgEvaluationForm(forms.Form):
    summary = forms.CharField(
        label=_("評価の概要"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )
    common_issues = forms.CharField(
        label=_("機関等に共通の課題"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
