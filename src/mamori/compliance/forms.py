"""Forms of the compliance pages. They only read input; the services validate and act."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.compliance.models import Strength
from mamori.rules.requirements import FILES

RULEBOOK_LABELS = {
    "toitsu": _("統一基準"),
    "mod": _("防衛省通達"),
    "mic_pii": _("総務省訓令（個人情報）"),
}


def rulebook_choices(codes=None):
    return [(code, RULEBOOK_LABELS[code]) for code in (codes or FILES)]


class CatalogUploadForm(forms.Form):
    rulebook = forms.ChoiceField(label=_("規程"), choices=())
    file = forms.FileField(
        label=_("カタログファイル（.yaml / .xlsx）"),
        help_text=_("一行でも誤りがあれば何も変更せず、すべての誤りを行番号付きで示します。"),
    )

    def __init__(self, *args, rulebooks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rulebook"].choices = rulebook_choices(rulebooks)


class CatalogFilterForm(forms.Form):
    rulebook = forms.ChoiceField(label=_("規程"), choices=(), required=False)
    section = forms.CharField(label=_("節・款（番号の先頭）"), required=False, max_length=40)
    role = forms.ChoiceField(label=_("役割"), choices=(), required=False)
    q = forms.CharField(label=_("本文の検索"), required=False, max_length=100)
    checkable = forms.BooleanField(label=_("点検できる遵守事項のみ"), required=False)

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rulebook"].choices = rulebook_choices()
        self.fields["role"].choices = [("", _("すべて")), *roles]


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("名称"), max_length=200)
    version = forms.CharField(label=_("版"), max_length=40)
    effective_date = forms.DateField(
        label=_("施行日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    review_date = forms.DateField(
        label=_("次回見直し期日"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ItemForm(forms.Form):
    number = forms.CharField(label=_("項番"), max_length=40)
    title = forms.CharField(label=_("見出し"), max_length=200, required=False)
    text = forms.CharField(label=_("本文"), widget=forms.Textarea(attrs={"rows": 6}))
    requirements = forms.CharField(
        label=_("対応する遵守事項"),
        required=False,
        max_length=2000,
        help_text=_("例: 2.1.1(2)(a), mod:第8(6), mic_pii:第32条第2項（統一基準は番号のみで可）"),
    )
    strength = forms.ChoiceField(label=_("遵守事項との関係"), choices=Strength.choices)
    weaker_reason = forms.CharField(
        label=_("緩和の理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("「緩和」を選んだ場合は必須です。"),
    )


class ItemImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel ファイル（.xlsx）"),
        help_text=_(
            "1行目に「項番」「見出し」「本文」「対応する遵守事項」「遵守事項との関係」「緩和の理由」の列。"
            "一行でも誤りがあれば何も変更しません。"
        ),
    )


class ItemFilterForm(forms.Form):
    q = forms.CharField(label=_("検索"), required=False, max_length=100)
    strength = forms.ChoiceField(
        label=_("遵守事項との関係"), required=False, choices=[("", _("すべて")), *Strength.choices]
    )
    rulebook = forms.ChoiceField(
        label=_("規程"), required=False, choices=[("", _("すべて")), *rulebook_choices()]
    )
    sort = forms.ChoiceField(
        label=_("並び順"),
        required=False,
        choices=[
            ("number", _("項番順")),
            ("-updated", _("更新が新しい順")),
            ("strength", _("関係順")),
        ],
    )


class ViolationForm(forms.Form):
    title = forms.CharField(label=_("件名"), max_length=200)
    description = forms.CharField(
        label=_("違反の内容"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "いつ、どこで、何が、どの規程に反していたか。分かっていることだけで構いません。"
        ),
        max_length=20000,
    )
    occurred_on = forms.DateField(
        label=_("発生日（わかる範囲で）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    rules_concerned = forms.CharField(label=_("違反した規程・項目"), max_length=300, required=False)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("所見"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class ViolationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状態"), required=False, choices=())
    q = forms.CharField(label=_("検索"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        from mamori.compliance.models import ViolationStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("すべて")), *ViolationStatus.choices]
