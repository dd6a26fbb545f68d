"""Forms of the audit pages. They read input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mamori import uploads
from mamori.compliance.audits import rules
from mamori.compliance.audits.models import CheckResult, FindingState, Kind, Severity
from mamori.compliance.audits.workflow import AuditState
from mamori.org.models import OrgUnit, Person, Rulebook


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by the service (size, type)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name}（{obj.unit or '—'}）"


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name}（{obj.unit or '—'}）"


def _people(organization_id):
    return Person.objects.filter(organization_id=organization_id, active=True).select_related(
        "unit"
    )


class PlanForm(forms.Form):
    title = forms.CharField(label=_("件名"), max_length=200)
    kind = forms.ChoiceField(label=_("監査の区分"))
    additional = forms.BooleanField(
        label=_("追加の監査実施計画（情報セキュリティの状況の変化に応じたもの）"), required=False
    )
    reason = forms.CharField(
        label=_("実施の理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    units = forms.ModelMultipleChoiceField(label=_("被監査部門"), queryset=OrgUnit.objects.none())
    start_date = forms.DateField(label=_("監査期間（開始）"), widget=DateInput())
    end_date = forms.DateField(label=_("監査期間（終了）"), widget=DateInput())
    report_due = forms.DateField(
        label=_("報告期限"),
        required=False,
        widget=DateInput(),
        help_text=_("空欄の場合は監査期間の終了から10業務日後です。"),
    )
    rulebooks = forms.MultipleChoiceField(
        label=_("対象の規程"), widget=forms.CheckboxSelectMultiple
    )
    sections = forms.CharField(
        label=_("対象の節・款"),
        required=False,
        max_length=500,
        help_text=_("例: 2.3, 3.1（カンマ区切り）。空欄の場合は規程全体です。"),
    )
    lead = PersonChoiceField(
        label=_("監査責任者（報告書の提出者）"), queryset=Person.objects.none()
    )
    auditors = PeopleChoiceField(label=_("監査人"), queryset=Person.objects.none(), required=False)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (code, Kind(code).label) for code in rules.kinds_for(organization.rulebooks)
        ]
        self.fields["units"].queryset = OrgUnit.objects.filter(organization=organization)
        self.fields["rulebooks"].choices = [
            (code, Rulebook(code).label)
            for code in organization.rulebooks
            if code in ("toitsu", "mod", "mic_pii")
        ]
        self.fields["lead"].queryset = _people(organization.pk)
        self.fields["auditors"].queryset = _people(organization.pk)


class AuditorForm(forms.Form):
    auditor = PersonChoiceField(label=_("監査人"), queryset=Person.objects.none())

    def __init__(self, *args, organization_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = _people(organization_id)


class CheckForm(forms.Form):
    result = forms.ChoiceField(label=_("結果"), choices=CheckResult.choices)
    note = forms.CharField(label=_("所見"), required=False, max_length=4000)
    evidence = forms.CharField(label=_("確認した証跡"), required=False, max_length=4000)


class FindingForm(forms.Form):
    severity = forms.ChoiceField(label=_("重要度"), choices=Severity.choices)
    requirement_id = forms.ChoiceField(label=_("チェックリストの項目"), required=False)
    clause = forms.CharField(
        label=_("根拠となる条項"),
        required=False,
        max_length=120,
        help_text=_("チェックリストの項目を選んだ場合は空欄で構いません。"),
    )
    description = forms.CharField(
        label=_("指摘内容"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    cross_cutting = forms.BooleanField(label=_("組織横断的に改善が必要な事項"), required=False)
    unit = forms.ModelChoiceField(
        label=_("対象の部門"), queryset=OrgUnit.objects.none(), required=False
    )
    attachments = MultipleFileField(label=_("証跡ファイル"), required=False)

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        query = Q(pk__in=[])
        for unit in audit.units.all():
            query |= Q(path__startswith=unit.path)
        self.fields["unit"].queryset = OrgUnit.objects.filter(
            query, organization_id=audit.organization_id
        )
        self.fields["attachments"].help_text = _(
            "1ファイル %(mb)d MBまで、%(max)d件まで。受け付ける種類: %(types)s"
        ) % {
            "mb": uploads.limit_mb(),
            "max": rules.MAX_ATTACHMENTS,
            "types": uploads.allowed_types(),
        }
        self.fields["requirement_id"].choices = [("", "—")] + [
            (rid, f"{citation} {text[:40]}")
            for rid, citation, text in audit.checklist.values_list(
                "requirement_id", "citation", "text"
            )
        ]


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("証跡ファイル"))


class ReportForm(forms.Form):
    summary = forms.CharField(
        label=_("監査の概要"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    conclusion = forms.CharField(
        label=_("総合所見"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InstructionForm(forms.Form):
    instruction = forms.CharField(
        label=_("改善の指示"), max_length=20000, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_date = forms.DateField(label=_("改善計画の報告期限"), widget=DateInput())


class ItemForm(forms.Form):
    measure = forms.CharField(
        label=_("改善措置"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = PersonChoiceField(label=_("担当者"), queryset=Person.objects.none())
    due_date = forms.DateField(label=_("期限"), widget=DateInput())
    finding = forms.ModelChoiceField(label=_("指摘事項"), queryset=None, required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people(plan.audit.organization_id)
        self.fields["finding"].queryset = plan.findings.all()
        self.fields["finding"].label_from_instance = lambda f: f"{f.number}. {f.description[:40]}"


class DoneForm(forms.Form):
    result = forms.CharField(
        label=_("措置結果"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PlanReportForm(forms.Form):
    summary = forms.CharField(
        label=_("改善計画の概要と措置結果"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("差戻しの理由"), max_length=2000)


def _year_choices(years):
    return [("", _("すべて"))] + [(str(y), _("%(year)s年度") % {"year": y}) for y in years]


class AuditFilterForm(forms.Form):
    SORTS = {
        "start": ("start_date", "id"),
        "-start": ("-start_date", "-id"),
        "number": ("number",),
        "due": ("report_due", "id"),
    }
    year = forms.ChoiceField(label=_("年度"), required=False)
    kind = forms.ChoiceField(
        label=_("監査の区分"), required=False, choices=[("", _("すべて")), *Kind.choices]
    )
    state = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *AuditState.choices]
    )
    sort = forms.ChoiceField(
        label=_("並び順"),
        required=False,
        choices=[
            ("-start", _("開始日（新しい順）")),
            ("start", _("開始日（古い順）")),
            ("number", _("監査番号")),
            ("due", _("報告期限")),
        ],
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices(years)

    def apply(self, queryset):
        if not self.is_valid():
            return queryset.order_by(*self.SORTS["-start"])
        data = self.cleaned_data
        if data.get("year"):
            queryset = queryset.filter(fiscal_year=int(data["year"]))
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("state"):
            queryset = queryset.filter(state=data["state"])
        return queryset.order_by(*self.SORTS.get(data.get("sort") or "-start"))


class FindingFilterForm(forms.Form):
    severity = forms.ChoiceField(
        label=_("重要度"), required=False, choices=[("", _("すべて")), *Severity.choices]
    )
    unit = forms.ModelChoiceField(label=_("部門"), queryset=OrgUnit.objects.none(), required=False)
    state = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *FindingState.choices]
    )

    def __init__(self, *args, organization_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(organization_id=organization_id)

    def apply(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("severity"):
            queryset = queryset.filter(severity=data["severity"])
        if data.get("unit"):
            queryset = queryset.filter(unit__path__startswith=data["unit"].path)
        if data.get("state"):
            queryset = queryset.filter(state=data["state"])
        return queryset


class ItemFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状態"),
        required=False,
        choices=[
            ("open", _("未完了")),
            ("overdue", _("期限超過")),
            ("done", _("完了")),
            ("all", _("すべて")),
        ],
    )

    def apply(self, queryset, today):
        status = (self.cleaned_data.get("status") if self.is_valid() else "") or "open"
        if status == "open":
            return queryset.filter(done_at__isnull=True)
        if status == "overdue":
            return queryset.filter(done_at__isnull=True, due_date__lt=today)
        if status == "done":
            return queryset.filter(done_at__isnull=False)
        return queryset
