"""Forms of the 報告窓口 and the case page. They read input; services decide."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mamori.assets.models import InformationAsset
from mamori.incidents import chain
from mamori.incidents.models import Importance
from mamori.incidents.workflow import Status
from mamori.org.models import OrgUnit, Person
from mamori.rules import incident_kinds
from mamori.systems.models import InformationSystem


def _language() -> str:
    return get_language() or "ja"


def kind_choices() -> list[tuple[str, str]]:
    return [(k.code, k.label(_language())) for k in incident_kinds.KINDS]


def term_choices(terms, blank=True) -> list[tuple[str, str]]:
    head = [("", _("—（未分類）"))] if blank else []
    return head + [(t.code, t.label(_language())) for t in terms]


# Labels of the CaseFacts flags a CSIRT member sets at triage.
FACT_LABELS = {
    "damage_may_spread": _("被害が拡大し、又は他の機関に及ぶおそれがある（防衛省 第11-3）"),
    "cyber_attack_suspected": _("サイバー攻撃が疑われる（警察への通報）"),
    "large_scale_attack": _("大規模サイバー攻撃事態の可能性がある"),
    "personal_info": _("個人情報が含まれる"),
    "pii_serious": _("重大な個人情報の漏えい等である（総務省 第39条）"),
    "ppc_report_required": _("個人情報保護委員会への報告が法令上必要である"),
    "my_number": _("特定個人情報（マイナンバー）が含まれる"),
    "internet_leak": _("インターネット上への情報流出である（防衛省 別紙）"),
    "serious_damage": _("重大な被害が生じた（防衛省 第11-3(5)：再発防止の報告）"),
    "secret_leak": _("秘密が流出し、又はそのおそれがある（防衛省 別紙）"),
    "pii_unlawful_purpose": _("不正の目的による漏えい等である（確報は60日以内）"),
    "publication_decided": _("事案を公表することを決めた（総務省 第40条）"),
}


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


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


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("何が起きましたか"), widget=forms.RadioSelect)
    summary = forms.CharField(
        label=_("状況（一文で構いません）"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("分かっていることだけで構いません。まず報告し、詳細は後から伝えてください。"),
    )
    occurred_at = forms.DateTimeField(
        label=_("いつ（分かれば）"), required=False, widget=DateTimeInput()
    )
    location = forms.CharField(label=_("どこで（分かれば）"), required=False, max_length=200)
    device = forms.CharField(
        label=_("端末・機器（分かれば）"),
        required=False,
        max_length=200,
        help_text=_("例: 貸与ノートPC（資産番号）、USBメモリ、スマートフォン"),
    )
    personal_info = forms.BooleanField(
        label=_("個人情報が含まれる（おそれがある）"), required=False
    )
    my_number = forms.BooleanField(
        label=_("マイナンバー（特定個人情報）が含まれる"), required=False
    )
    people_count = forms.IntegerField(
        label=_("影響を受ける人数（分かれば）"), required=False, min_value=0, max_value=100_000_000
    )
    attachments = MultipleFileField(label=_("添付ファイル（任意）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()
        self.fields["attachments"].help_text = _(
            "1ファイル %(mb)d MB まで（%(types)s）。受け付けられないファイルがあっても報告は受け付けます。"
        ) % {
            "mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
            "types": ", ".join(settings.UPLOAD_ALLOWED_TYPES),
        }


class TriageForm(forms.Form):
    event_type = forms.ChoiceField(label=_("事象分類"), required=False)
    cause = forms.ChoiceField(label=_("原因分類"), required=False)
    damage_types = forms.MultipleChoiceField(
        label=_("被害の種類（防衛省 第11-2(4)）"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    importance = forms.ChoiceField(
        label=_("重要度（防衛省 第11-2(6)）"),
        required=False,
        choices=[("", _("—（未判断）")), *Importance.choices],
    )
    impact_c = forms.BooleanField(label=_("機密性への影響"), required=False)
    impact_i = forms.BooleanField(label=_("完全性への影響"), required=False)
    impact_a = forms.BooleanField(label=_("可用性への影響"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event_type"].choices = term_choices(incident_kinds.TAXONOMY_EVENTS)
        self.fields["cause"].choices = term_choices(incident_kinds.TAXONOMY_CAUSES)
        self.fields["damage_types"].choices = term_choices(incident_kinds.DAMAGE_TYPES, False)
        for flag in chain.FACT_FLAGS:
            self.fields[f"fact_{flag}"] = forms.BooleanField(
                label=FACT_LABELS.get(flag, flag), required=False
            )

    @staticmethod
    def initial_for(incident) -> dict:
        info = incident_kinds.kind(incident.kind) if incident.kind else None
        hinted = incident.status == "reported" and info is not None
        data = {
            "event_type": incident.event_type or (info.event_hint if hinted else ""),
            "cause": incident.cause,
            "damage_types": incident.damage_types or (list(info.damage_hint) if hinted else []),
            "importance": incident.importance,
            "impact_c": incident.impact_c,
            "impact_i": incident.impact_i,
            "impact_a": incident.impact_a,
        }
        for flag in chain.FACT_FLAGS:
            data[f"fact_{flag}"] = bool(incident.facts.get(flag))
        return data

    def fact_fields(self):
        return [self[f"fact_{flag}"] for flag in chain.FACT_FLAGS]

    def facts(self) -> dict:
        return {flag: self.cleaned_data.get(f"fact_{flag}", False) for flag in chain.FACT_FLAGS}


class TransitionForm(forms.Form):
    target = forms.ChoiceField(label=_("次の状態"), choices=Status.choices)
    note = forms.CharField(label=_("メモ"), required=False, max_length=2000)


def _people(organization_id):
    return Person.objects.filter(organization_id=organization_id, active=True)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("作業"), max_length=200)
    owner = forms.ModelChoiceField(label=_("担当者"), queryset=Person.objects.none())
    due_at = forms.DateTimeField(label=_("期限"), required=False, widget=DateTimeInput())

    def __init__(self, *args, organization_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people(organization_id)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    containment = forms.BooleanField(
        label=_("封じ込め措置として記録する（例: ネットワークからの切り離し）"), required=False
    )


class AnalysisForm(forms.Form):
    affected_people = forms.CharField(
        label=_("影響を受けた人"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    affected_systems = forms.ModelMultipleChoiceField(
        label=_("影響を受けた情報システム"),
        required=False,
        queryset=InformationSystem.objects.none(),
    )
    affected_assets = forms.ModelMultipleChoiceField(
        label=_("影響を受けた情報資産"), required=False, queryset=InformationAsset.objects.none()
    )
    cause_analysis = forms.CharField(
        label=_("原因の分析"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    recurrence_prevention = forms.CharField(
        label=_("再発防止策"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, organization_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["affected_systems"].queryset = InformationSystem.objects.filter(
            organization_id=organization_id
        )
        self.fields["affected_assets"].queryset = InformationAsset.objects.filter(
            organization_id=organization_id
        )


class ShareForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("共有先の組織単位（同種の業務を行う部局等）"), queryset=OrgUnit.objects.none()
    )

    def __init__(self, *args, organization_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = OrgUnit.objects.filter(organization_id=organization_id)


class HandlerForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("担当者"), queryset=Person.objects.none())

    def __init__(self, *args, organization_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = _people(organization_id)


SORTS = {
    "-reported_at": _("報告日時（新しい順）"),
    "reported_at": _("報告日時（古い順）"),
    "chain_next_due_at": _("報告期限（近い順）"),
    "number": _("事案番号"),
}


class BoardFilterForm(forms.Form):
    q = forms.CharField(label=_("番号・件名"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("状態"), required=False)
    kind = forms.ChoiceField(label=_("種類"), required=False)
    importance = forms.ChoiceField(label=_("重要度"), required=False)
    unit = forms.ModelChoiceField(
        label=_("報告者の所属"), required=False, queryset=OrgUnit.objects.none()
    )
    overdue = forms.BooleanField(label=_("報告期限超過のみ"), required=False)
    sort = forms.ChoiceField(label=_("並び順"), required=False)

    def __init__(self, *args, organization_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("すべて")), *Status.choices]
        self.fields["kind"].choices = [("", _("すべて")), *kind_choices()]
        self.fields["importance"].choices = [("", _("すべて")), *Importance.choices]
        self.fields["unit"].queryset = OrgUnit.objects.filter(organization_id=organization_id)
        self.fields["sort"].choices = list(SORTS.items())

    def apply(self, queryset):
        if not self.is_bound or not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data.get("q"):
            from django.db.models import Q

            queryset = queryset.filter(
                Q(number__icontains=data["q"]) | Q(title__icontains=data["q"])
            )
        for field in ("status", "kind", "importance"):
            if data.get(field):
                queryset = queryset.filter(**{field: data[field]})
        if data.get("unit"):
            queryset = queryset.filter(reporter_unit__path__startswith=data["unit"].path)
        if data.get("overdue"):
            queryset = queryset.overdue()
        if data.get("sort") in SORTS:
            queryset = queryset.order_by(data["sort"], "-id")
        return queryset
