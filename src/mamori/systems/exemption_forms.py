"""Forms of the 適用除外 pages: the seven items of the application and the decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.systems import exemption_services as services

DATE = forms.DateInput(attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 4})


class ApplicationForm(forms.Form):
    system = forms.TypedChoiceField(label=_("① 適用除外を申請する情報システムの名称"), coerce=int)
    clauses = forms.MultipleChoiceField(
        label=_("② 適用除外とする訓令の該当箇所"),
        help_text=_("防衛省通達の該当箇所を選んでください（複数可）。"),
    )
    period_start = forms.DateField(label=_("③ 適用除外とする期間（開始）"), widget=DATE)
    period_end = forms.DateField(label=_("③ 適用除外とする期間（終了）"), widget=DATE)
    measures = forms.CharField(
        label=_("④ 適用除外とする措置内容（講ずる代替手段等）"), widget=TEXT, max_length=10000
    )
    impact = forms.CharField(
        label=_("⑤ 適用除外とすることにより生じる情報保証上の影響と対処方法"),
        widget=TEXT,
        max_length=10000,
    )
    end_report_method = forms.CharField(
        label=_("⑥ 適用除外を終了した旨の報告方法"), widget=TEXT, max_length=5000
    )
    reason = forms.CharField(label=_("⑦ 適用除外を申請する理由"), widget=TEXT, max_length=10000)

    def __init__(self, *args, systems, **kwargs):
        super().__init__(*args, **kwargs)
        self.systems = {s.pk: s for s in systems}
        self.fields["system"].choices = [("", "---------")] + [
            (s.pk, f"{s.name}（{s.code}）") for s in systems
        ]
        self.fields["clauses"].choices = services.clause_choices()

    def clean_system(self):
        return self.systems[self.cleaned_data["system"]]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("① 許可又は不許可の別"),
        choices=[("grant", _("許可")), ("refuse", _("不許可"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("② 許可又は不許可の理由"), widget=TEXT, max_length=10000)
    granted_clauses = forms.MultipleChoiceField(
        label=_("③ 適用除外を許可した訓令の該当箇所"), required=False
    )
    granted_period_start = forms.DateField(
        label=_("④ 適用除外を許可した期間（開始）"), widget=DATE, required=False
    )
    granted_period_end = forms.DateField(
        label=_("④ 適用除外を許可した期間（終了）"), widget=DATE, required=False
    )
    granted_measures = forms.CharField(
        label=_("⑤ 許可した措置内容（講ずるべき代替手段等）"),
        widget=TEXT,
        max_length=10000,
        required=False,
    )
    granted_end_report_method = forms.CharField(
        label=_("⑥ 適用除外を終了した旨の報告方法"), widget=TEXT, max_length=5000, required=False
    )

    def __init__(self, *args, exemption, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "granted_clauses": exemption.clauses,
                "granted_period_start": exemption.period_start,
                "granted_period_end": exemption.period_end,
                "granted_measures": exemption.measures,
                "granted_end_report_method": exemption.end_report_method,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["granted_clauses"].choices = [(c, c) for c in exemption.clauses]


SORTS = {
    "-created": ("-created_at", "-id"),
    "created": ("created_at", "id"),
    "period_end": ("period_end", "id"),
    "system": ("system__code", "id"),
}


class ExemptionFilter(forms.Form):
    state = forms.ChoiceField(label=_("状態"), required=False)
    system = forms.CharField(label=_("情報システム"), required=False, max_length=100)
    sort = forms.ChoiceField(
        label=_("並び順"),
        required=False,
        choices=[
            ("-created", _("新しい順")),
            ("created", _("古い順")),
            ("period_end", _("期間の終了が近い順")),
            ("system", _("情報システム順")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from mamori.approvals.workflow import State

        self.fields["state"].choices = [("", _("すべて")), *State.choices]

    def apply(self, queryset):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("state"):
            queryset = queryset.filter(request__state=data["state"])
        if data.get("system"):
            from django.db.models import Q

            text = data["system"]
            queryset = queryset.filter(
                Q(system__name__icontains=text) | Q(system__code__icontains=text)
            )
        return queryset.order_by(*SORTS.get(data.get("sort") or "-created"))
