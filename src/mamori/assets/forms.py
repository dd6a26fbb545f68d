"""Forms of the register. They read input; services.validate decides what is allowed."""

from __future__ import annotations

import re

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mamori.assets import services
from mamori.assets.models import AssetState, InformationAsset, MarkingMethod, Medium
from mamori.org.models import OrgUnit, Person
from mamori.rules import classification
from mamori.rules.handling_rules.base import TYPES
from mamori.systems.models import InformationSystem

_REFERENCE = re.compile(r"^A-?0*(\d+)$", re.IGNORECASE)


class DateInput(forms.DateInput):
    input_type = "date"


def _english() -> bool:
    return (get_language() or "ja").startswith("en")


def level_label(dimension: str, level: int) -> str:
    ja, en, _levels = classification.DIMENSIONS[dimension]
    return f"{en.capitalize()} {level}" if _english() else f"{ja}{level}"


def _level_choices(dimension: str, org_kind: str, optional: bool) -> list[tuple]:
    kind = org_kind if org_kind in classification.ORG_KINDS else "national"
    choices = [("", _("—（なし）"))] if optional else []
    for level in reversed(classification.DIMENSIONS[dimension][2]):
        definition = classification.definition(dimension, level, kind)
        text = definition.help_en if _english() else definition.help_ja
        choices.append((level, f"{level_label(dimension, level)}: {text}"))
    return choices


def restriction_choices() -> list[tuple[str, str]]:
    """「複製禁止」 in Japanese; "複製禁止 — Do not copy" in English."""
    english = _english()
    return [
        (code, f"{kind.format(None)} — {kind.en}" if english else kind.ja)
        for code, kind in classification.restriction_vocabulary().items()
    ]


def detail_codes() -> tuple[str, ...]:
    return tuple(c for c, k in classification.restriction_vocabulary().items() if k.takes_detail)


class AssetForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=200)
    description = forms.CharField(
        label=_("説明"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    unit = forms.ModelChoiceField(label=_("所管部署"), queryset=OrgUnit.objects.none())
    decider = forms.ModelChoiceField(
        label=_("決定者"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("格付と取扱制限を決めた人。作成した人が決めるのが原則です。"),
    )
    medium = forms.ChoiceField(label=_("媒体"), choices=Medium.choices, widget=forms.RadioSelect)
    confidentiality = forms.TypedChoiceField(label=_("機密性"), coerce=int)
    integrity = forms.TypedChoiceField(
        label=_("完全性"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("書面には完全性・可用性の格付はありません。"),
    )
    availability = forms.TypedChoiceField(
        label=_("可用性"), coerce=int, required=False, empty_value=None
    )
    restrictions = forms.MultipleChoiceField(
        label=_("取扱制限"), required=False, widget=forms.CheckboxSelectMultiple
    )
    restriction_detail = forms.CharField(
        label=_("「〇〇限り」の対象"),
        required=False,
        max_length=100,
        help_text=_("例: 人事課、〇〇プロジェクト担当者"),
    )
    types = forms.MultipleChoiceField(
        label=_("情報の種類"), required=False, widget=forms.CheckboxSelectMultiple
    )
    marking_method = forms.ChoiceField(label=_("表示方法"), choices=MarkingMethod.choices)
    system = forms.ModelChoiceField(
        label=_("保存先の情報システム"), queryset=InformationSystem.objects.none(), required=False
    )
    place = forms.CharField(label=_("保管場所"), required=False, max_length=200)
    retention_until = forms.DateField(label=_("保存期限"), required=False, widget=DateInput)
    sources = forms.CharField(
        label=_("作成元"),
        required=False,
        max_length=2000,
        help_text=_(
            "この情報を作るもとにした情報資産の番号（例: A-000012 A-000034）。"
            "保存すると、作成元の最も高い機密性と全ての取扱制限を引き継ぎます。"
        ),
    )

    def __init__(self, *args, person, asset: InformationAsset | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person, self.asset = person, asset
        org = person.organization
        units = services.registrable_units(person)
        if asset is not None:
            units = OrgUnit.objects.filter(Q(pk__in=units.values("pk")) | Q(pk=asset.unit_id))
        self.fields["unit"].queryset = units.order_by("path")
        self.fields["decider"].queryset = Person.objects.filter(
            organization=org, active=True
        ).order_by("family_name_kana", "family_name", "id")
        self.fields["system"].queryset = InformationSystem.objects.filter(organization=org)
        for name in ("confidentiality", "integrity", "availability"):
            self.fields[name].choices = _level_choices(name, org.kind, name != "confidentiality")
        self.fields["restrictions"].choices = restriction_choices()
        english = _english()
        self.fields["types"].choices = [
            (code, en if english else ja) for code, (ja, en) in TYPES.items()
        ]
        if asset is None and not self.is_bound:
            self.initial.setdefault("unit", person.unit_id)
            self.initial.setdefault("decider", person.pk)
            self.initial.setdefault("confidentiality", 2)

    @staticmethod
    def initial_for(asset: InformationAsset) -> dict:
        details = [r.get("detail") for r in asset.restrictions if r.get("detail")]
        return {
            "title": asset.title,
            "description": asset.description,
            "unit": asset.unit_id,
            "decider": asset.decider_id,
            "medium": asset.medium,
            "confidentiality": asset.confidentiality,
            "integrity": asset.integrity,
            "availability": asset.availability,
            "restrictions": [r["code"] for r in asset.restrictions],
            "restriction_detail": details[0] if details else "",
            "types": asset.types,
            "marking_method": asset.marking_method,
            "system": asset.system_id,
            "place": asset.place,
            "retention_until": asset.retention_until,
            "sources": " ".join(s.reference for s in asset.sources.all()),
        }

    def clean_sources(self) -> list[int]:
        ids = []
        for word in re.split(r"[、,，\s]+", self.cleaned_data.get("sources") or ""):
            if not word:
                continue
            match = _REFERENCE.match(word)
            if not match:
                raise forms.ValidationError(
                    _("番号は A-000123 の形で入力してください: %(word)s") % {"word": word}
                )
            ids.append(int(match.group(1)))
        return ids

    def service_fields(self) -> dict:
        """cleaned_data shaped for services.create / services.update."""
        data = dict(self.cleaned_data)
        detail = data.pop("restriction_detail", "")
        takes_detail = detail_codes()
        data["restrictions"] = [
            {"code": code, "detail": detail} if code in takes_detail else {"code": code}
            for code in data.get("restrictions") or []
        ]
        return data


CATEGORY_FILTERS = {
    "confidential": Q(confidentiality__gte=2),
    "integrity_critical": Q(integrity=2),
    "availability_critical": Q(availability=2),
    "protected": Q(confidentiality__gte=2) | Q(integrity=2) | Q(availability=2),
}
SORTS = {
    "-updated": ("-updated_at", "-id"),
    "title": ("title", "id"),
    "-confidentiality": ("-confidentiality", "-updated_at", "-id"),
    "retention": ("retention_until", "id"),
}


class FilterForm(forms.Form):
    q = forms.CharField(label=_("名称・説明"), required=False, max_length=100)
    unit = forms.ModelChoiceField(
        label=_("所管部署（下位を含む）"), queryset=OrgUnit.objects.none(), required=False
    )
    confidentiality = forms.TypedChoiceField(
        label=_("機密性"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    category = forms.ChoiceField(label=_("区分"), required=False)
    restriction = forms.ChoiceField(label=_("取扱制限"), required=False)
    state = forms.ChoiceField(
        label=_("状態"), required=False, choices=[("", _("すべて")), *AssetState.choices]
    )
    medium = forms.ChoiceField(
        label=_("媒体"), required=False, choices=[("", _("すべて")), *Medium.choices]
    )
    system = forms.ModelChoiceField(
        label=_("情報システム"), queryset=InformationSystem.objects.none(), required=False
    )
    sort = forms.ChoiceField(
        label=_("並び順"),
        required=False,
        choices=[
            ("-updated", _("更新の新しい順")),
            ("title", _("名称順")),
            ("-confidentiality", _("機密性の高い順")),
            ("retention", _("保存期限の近い順")),
        ],
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(
            organization_id=person.organization_id
        )
        self.fields["system"].queryset = InformationSystem.objects.filter(
            organization_id=person.organization_id
        )
        self.fields["confidentiality"].choices = [("", _("すべて"))] + [
            (n, level_label("confidentiality", n)) for n in (3, 2, 1)
        ]
        english = _english()
        self.fields["category"].choices = [("", _("すべて"))] + [
            (code, en if english else ja) for code, (ja, en) in classification.CATEGORIES.items()
        ]
        self.fields["restriction"].choices = [("", _("すべて")), *restriction_choices()]

    def apply(self, queryset):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return filter_assets(queryset, **data)


def filter_assets(
    queryset,
    *,
    q=None,
    unit=None,
    confidentiality=None,
    category=None,
    restriction=None,
    state=None,
    medium=None,
    system=None,
    sort=None,
):
    """The register's filters; shared by the pages and the API."""
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if unit is not None:
        queryset = queryset.filter(unit__path__startswith=unit.path)
    if confidentiality:
        queryset = queryset.filter(confidentiality=confidentiality)
    if category in CATEGORY_FILTERS:
        queryset = queryset.filter(CATEGORY_FILTERS[category])
    if restriction:
        queryset = queryset.filter(restriction_codes__contains=f" {restriction} ")
    if state:
        queryset = queryset.filter(state=state)
    if medium:
        queryset = queryset.filter(medium=medium)
    if system is not None:
        queryset = queryset.filter(system=system)
    return queryset.order_by(*SORTS.get(sort or "-updated", SORTS["-updated"]))


class ProvideForm(forms.Form):
    recipient = forms.CharField(label=_("提供先"), max_length=200)


class DisposeForm(forms.Form):
    method = forms.ChoiceField(label=_("廃棄方法"), widget=forms.RadioSelect)
    certificate = forms.CharField(
        label=_("廃棄証明書の番号等"),
        required=False,
        max_length=200,
        help_text=_("委託して廃棄したときは、受け取った廃棄証明書の番号や保管場所を記録します。"),
    )
    on = forms.DateField(label=_("廃棄日"), widget=DateInput)

    def __init__(self, *args, asset: InformationAsset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [
            (code, label)
            for code, (label, medium, _unrecoverable) in services.DISPOSAL_METHODS.items()
            if medium == asset.medium
        ]
        self.initial.setdefault("on", timezone.localdate())


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("ファイル（.csv 又は .xlsx）"),
        help_text=_(
            "書き出したファイルと同じ列です。番号が空の行は新規登録、番号がある行はその情報資産の更新になります。"
        ),
    )
