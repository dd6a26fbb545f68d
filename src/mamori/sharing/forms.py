"""Forms of the sharing hub. They only gather input; the services validate the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mamori.org.models import Organization
from mamori.rules import cip
from mamori.sharing import structure
from mamori.sharing.models import (
    AlertCategory,
    Importance,
    PartyRole,
    Report,
    ReportStatus,
    Tlp,
)
from mamori.sharing.services import ReportContent, SharingRange

FIGURE_FIELDS = ("supply_loss_kw", "duration_minutes", "affected_users", "households")
SHARE_FIELDS = Report.SHARE_FLAGS


def _lang() -> str:
    return get_language() or "ja"


def _event_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [
        (e.code, f"{e.group(_lang())}: {e.label(_lang())}") for e in cip.events().values()
    ]


def _cause_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(c.code, c.label(_lang())) for c in cip.causes().values()]


def _cause_detail_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [
        (x.code, f"{c.label(_lang())}: {x.label(_lang())}")
        for c in cip.causes().values()
        for x in c.examples
    ]


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class ReportForm(forms.Form):
    title = forms.CharField(label=_("件名"), max_length=200)
    summary = forms.CharField(
        label=_("概要"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("その時点で判明していることで構いません（別添3.2）。"),
    )
    event_type = forms.ChoiceField(label=_("事象の類型（別紙3）"), choices=_event_choices)
    cause_type = forms.ChoiceField(label=_("原因の類型（別紙3）"), choices=_cause_choices)
    cause_detail = forms.ChoiceField(
        label=_("原因の例"), choices=_cause_detail_choices, required=False
    )
    impact_c = forms.BooleanField(label=_("機密性への影響"), required=False)
    impact_i = forms.BooleanField(label=_("完全性への影響"), required=False)
    impact_a = forms.BooleanField(label=_("可用性への影響"), required=False)
    service = forms.ChoiceField(
        label=_("影響を受けた重要インフラサービス（別紙2）"), required=False
    )
    supply_loss_kw = forms.CharField(label=_("供給支障電力（kW）"), required=False, max_length=20)
    duration_minutes = forms.CharField(label=_("継続時間（分）"), required=False, max_length=20)
    affected_users = forms.CharField(label=_("影響を受けた利用者数"), required=False, max_length=20)
    households = forms.CharField(label=_("供給支障戸数"), required=False, max_length=20)
    occurred_at = forms.DateTimeField(label=_("発生日時"), required=False, widget=DateTimeLocal())
    legally_required = forms.BooleanField(
        label=_("法令等で報告が義務付けられている"), required=False
    )
    legal_basis = forms.CharField(label=_("根拠法令"), required=False, max_length=200)
    contact_means = forms.CharField(
        label=_("利用可能な連絡手段"),
        max_length=200,
        help_text=_("必須（別添3.2）。例: 電話、メール、衛星電話"),
    )
    contact_person = forms.CharField(label=_("連絡担当者"), max_length=120)
    contact_phone = forms.CharField(label=_("連絡先電話番号"), required=False, max_length=40)
    contact_email = forms.EmailField(label=_("連絡先メールアドレス"), required=False)
    uncertain = forms.BooleanField(
        label=_("断片的又は不確定な情報を含む"),
        required=False,
        help_text=_("全容が判明する前でも連絡できます。判明した事項は更新として追加します。"),
    )
    tlp = forms.ChoiceField(
        label=_("TLP（共有範囲の区分）"),
        choices=Tlp.choices,
        initial=Tlp.AMBER,
        help_text=_(
            "TLP:REDは連絡経路（リエゾン、内閣官房）限り、TLP:CLEARは全ての関係主体と共有します。"
        ),
    )
    share_same_sector = forms.BooleanField(
        label=_("同じ分野の重要インフラ事業者等"), required=False
    )
    share_same_ceptoar = forms.BooleanField(
        label=_("所属するセプター及びその構成員"), required=False
    )
    share_all_operators = forms.BooleanField(
        label=_("全分野の重要インフラ事業者等"), required=False
    )
    share_ceptoars = forms.BooleanField(label=_("全てのセプター"), required=False)
    share_ministries = forms.BooleanField(label=_("重要インフラ所管省庁"), required=False)
    share_government = forms.BooleanField(
        label=_("情報セキュリティ関係省庁・事案対処省庁・防災関係府省庁等"), required=False
    )
    share_relevant_orgs = forms.BooleanField(label=_("関係機関（JPCERT/CC等）"), required=False)
    share_vendors = forms.BooleanField(label=_("サイバー空間関連事業者"), required=False)
    share_orgs = forms.ModelMultipleChoiceField(
        label=_("個別に指定する共有先"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    voluntary = forms.BooleanField(
        label=_("任意提供情報として取り扱う（別添3.4）"),
        required=False,
        initial=True,
        help_text=_("外すと、公開について連絡元が了承したものとして取り扱います。"),
    )

    def __init__(self, *args, sector: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sector = sector
        self.fields["service"].choices = [("", "—")] + [
            (s.code, s.label(_lang())) for s in cip.services_for(sector)
        ]
        self.fields["share_orgs"].queryset = Organization.objects.filter(
            sharing_party__active=True
        ).order_by("sharing_party__role", "name")

    def figures(self) -> dict[str, str]:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {name: data.get(name) or "" for name in FIGURE_FIELDS if data.get(name)}

    def raw_figures(self) -> dict[str, str]:
        """Figures as typed, for the verdict shown before the form is valid."""
        return {name: self.data.get(name, "") for name in FIGURE_FIELDS if self.data.get(name)}

    def content(self) -> ReportContent:
        d = self.cleaned_data
        return ReportContent(
            title=d["title"],
            summary=d["summary"],
            event_type=d["event_type"],
            cause_type=d["cause_type"],
            cause_detail=d["cause_detail"],
            impact_c=d["impact_c"],
            impact_i=d["impact_i"],
            impact_a=d["impact_a"],
            service=d["service"],
            figures=self.figures(),
            occurred_at=d["occurred_at"],
            legally_required=d["legally_required"],
            legal_basis=d["legal_basis"],
            contact_means=d["contact_means"],
            contact_person=d["contact_person"],
            contact_phone=d["contact_phone"],
            contact_email=d["contact_email"],
            uncertain=d["uncertain"],
        )

    def sharing(self) -> SharingRange:
        d = self.cleaned_data
        return SharingRange(
            tlp=d["tlp"],
            share_org_ids=[o.pk for o in d["share_orgs"]],
            **{name: d[name] for name in SHARE_FIELDS},
        )


class VersionForm(ReportForm):
    change_note = forms.CharField(label=_("更新内容"), required=False, max_length=300)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["voluntary"]


def initial_from(report: Report) -> dict:
    v = report.current
    data = {
        name: getattr(v, name)
        for name in (
            "title", "summary", "event_type", "cause_type", "cause_detail", "impact_c",
            "impact_i", "impact_a", "service", "occurred_at", "legally_required",
            "legal_basis", "contact_means", "contact_person", "contact_phone",
            "contact_email", "uncertain",
        )
    }  # fmt: skip
    data.update({name: v.figures.get(name, "") for name in FIGURE_FIELDS})
    data["tlp"] = report.tlp
    data.update({name: getattr(report, name) for name in SHARE_FIELDS})
    data["share_orgs"] = list(report.share_orgs.all())
    return data


class NoteForm(forms.Form):
    text = forms.CharField(label=_("付記"), widget=forms.Textarea(attrs={"rows": 3}))


class ForwardForm(forms.Form):
    note = forms.CharField(
        label=_("内閣官房への付記"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AlertForm(forms.Form):
    reports = forms.ModelMultipleChoiceField(
        label=_("元になる情報連絡"),
        queryset=Report.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(label=_("件名"), max_length=200, required=False)
    body = forms.CharField(
        label=_("内容"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=_(
            "連絡元が特定されないよう加工した文案です（別添2.2）。必要に応じて編集します。"
        ),
    )
    importance = forms.ChoiceField(
        label=_("重要度"), choices=Importance.choices, initial=Importance.MEDIUM
    )
    category = forms.ChoiceField(
        label=_("情報の種類"), choices=AlertCategory.choices, initial=AlertCategory.RELATED
    )
    tlp = forms.ChoiceField(label=_("TLP"), choices=Tlp.choices, initial=Tlp.AMBER)
    sectors = forms.MultipleChoiceField(
        label=_("提供先の分野"),
        required=False,
        choices=structure.sector_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    early_warning = forms.BooleanField(
        label=_("早期警戒情報として直接提供する（別添2.3④）"), required=False
    )
    direct = forms.ModelMultipleChoiceField(
        label=_("早期警戒情報の提供先"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("情報の取扱いに関する取決めが合意されている提供先に限ります。"),
    )

    def __init__(self, *args, reports_qs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reports"].queryset = reports_qs.exclude(status=ReportStatus.CLOSED)
        self.fields["reports"].label_from_instance = lambda r: (
            f"{r.number} {structure.sector_label(r.sector)} {r.current.title if r.current else ''}"
        )
        self.fields["direct"].queryset = Organization.objects.filter(
            sharing_party__role__in=(PartyRole.CEPTOAR, PartyRole.OPERATOR),
            sharing_party__active=True,
        ).order_by("sharing_party__sector", "name")


class ModeForm(forms.Form):
    mode = forms.ChoiceField(label=_("体制"), choices=[])
    reason = forms.CharField(label=_("理由"), required=False, max_length=500)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from mamori.sharing.models import Mode

        self.fields["mode"].choices = Mode.choices


class ReportFilterForm(forms.Form):
    q = forms.CharField(label=_("キーワード"), required=False)
    sector = forms.ChoiceField(label=_("分野"), required=False)
    status = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", "—"), *ReportStatus.choices]
    )
    tlp = forms.ChoiceField(label=_("TLP"), required=False, choices=[("", "—"), *Tlp.choices])
    exceeds = forms.ChoiceField(
        label=_("サービス維持レベル"),
        required=False,
        choices=[("", "—"), ("yes", _("逸脱")), ("no", _("逸脱なし")), ("unknown", _("判定不能"))],
    )
    sort = forms.ChoiceField(
        label=_("並べ替え"),
        required=False,
        choices=[
            ("-updated", _("更新日時（新しい順）")),
            ("updated", _("更新日時（古い順）")),
            ("number", _("連絡番号")),
            ("sector", _("分野")),
        ],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", "—"), *structure.sector_choices()]


class AlertFilterForm(forms.Form):
    q = forms.CharField(label=_("キーワード"), required=False)
    importance = forms.ChoiceField(
        label=_("重要度"), required=False, choices=[("", "—"), *Importance.choices]
    )
    pending = forms.BooleanField(label=_("未確認のみ"), required=False)
    sort = forms.ChoiceField(
        label=_("並べ替え"),
        required=False,
        choices=[
            ("-created", _("作成日時（新しい順）")),
            ("created", _("作成日時（古い順）")),
            ("importance", _("重要度")),
        ],
    )
