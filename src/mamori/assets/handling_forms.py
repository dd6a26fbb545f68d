"""The 「取扱いの確認」 form: which information (an asset, or a 格付 typed in), what the
person wants to do with it, and only the circumstances that matter for that action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mamori.assets.models import InformationAsset, Medium
from mamori.rules.classification import restriction_vocabulary
from mamori.rules.handling_rules.base import (
    ACTION_SPECS,
    ACTIONS,
    PROCESSING,
    SENDING,
    TYPES,
)

# Plain words for each engine action, as staff would say it. Every engine action has
# one (a test holds the two lists together).
ACTION_LABELS = {
    "store": _("保存する"),
    "process_outside_area": _("要管理対策区域外での処理（庁舎の外で作業する）"),
    "use_external_media": _("USBメモリ等の外部電磁的記録媒体で扱う"),
    "provide": _("他の人・組織に提供する"),
    "publish": _("公表する（ウェブサイト等で公開する）"),
    "carry_outside": _("記録媒体・書面を要管理対策区域の外へ持ち出す"),
    "carry_device_outside": _("端末・情報システムを職場の外へ持ち出す"),
    "send": _("メールで送信する・郵送等で送付する"),
    "use_issued_terminal_outside": _("支給端末を要管理対策区域の外で使う"),
    "use_non_issued_terminal": _("支給以外の端末（私物等）で扱う"),
    "reconnect_terminal": _("外で使った端末を庁内LANにつなぎ直す"),
    "use_cloud_service": _("クラウドサービスで扱う"),
    "cloud_share": _("クラウドサービスで外部の人と共有する"),
    "web_form_submit": _("ウェブサイトのフォームに入力して送信する"),
    "copy": _("複製する"),
    "forward": _("転送する"),
    "print": _("印刷する"),
    "dispose": _("消去・廃棄する"),
}

UNSET = ("", _("指定しない"))
CONTEXT_CHOICES = {
    "location": [
        ("inside", _("要管理対策区域内（庁舎内）")),
        ("outside", _("要管理対策区域外（自宅・出張先・外部の会場など）")),
        ("designated_area", _("あらかじめ指定された区域（他機関の要管理対策区域など）")),
    ],
    "terminal": [
        ("issued", _("支給された端末")),
        ("non_issued", _("支給以外の端末（私物など）")),
    ],
    "channel": [
        ("agency_mail", _("自組織のメール")),
        ("other_mail", _("自組織以外のメール（フリーメール等）")),
        ("external_line", _("外部の通信回線（専用線・VPN以外）")),
        ("internet", _("インターネット経由のその他の方法")),
        ("approved_storage", _("利用が承認されたオンラインストレージ")),
        ("unapproved_storage", _("承認されていないオンラインストレージ")),
        ("courier", _("郵送・宅配便")),
        ("hand_carry", _("手渡し（自分で運ぶ）")),
    ],
    "recipient": [
        ("within_viewers", _("閲覧を認められた範囲の人")),
        ("outside_viewers", _("閲覧を認められた範囲の外の人")),
        ("public", _("不特定の人（一般公開）")),
    ],
    "cloud": [
        ("unapproved", _("利用が承認されていないクラウドサービス")),
        ("approved_nonconfidential", _("要機密情報を扱わない条件で承認されたもの")),
        ("approved_confidential", _("要機密情報を扱えるものとして承認されたもの")),
    ],
    "media": [
        ("registered", _("登録（管理）されている記録媒体")),
        ("unregistered", _("登録されていない記録媒体")),
    ],
}
CONTEXT_LABELS = {
    "location": _("場所（作業する所・持ち出す先）"),
    "terminal": _("使う端末"),
    "channel": _("送る方法"),
    "recipient": _("相手"),
    "cloud": _("クラウドサービス"),
    "media": _("USBメモリ等の記録媒体"),
}
MEDIA_ACTIONS = frozenset({"store", "use_external_media", "carry_outside", *SENDING})


def context_fields(action: str | None) -> list[str]:
    """The circumstances that matter for an action, in the order the form asks them."""
    if action not in ACTIONS:
        return []
    spec = ACTION_SPECS[action]
    wanted = {
        "location": action in PROCESSING or action in ("carry_outside", "carry_device_outside"),
        "terminal": action in PROCESSING and spec.terminal is None,
        "channel": action in SENDING,
        "recipient": action in SENDING or action == "cloud_share",
        "cloud": action in ("use_cloud_service", "cloud_share"),
        "media": action in MEDIA_ACTIONS,
        "outsourced": action == "dispose",
    }
    return [name for name, shown in wanted.items() if shown]


def _language() -> str:
    return "en" if (get_language() or "ja").startswith("en") else "ja"


class CheckForm(forms.Form):
    asset = forms.ModelChoiceField(
        label=_("情報資産"),
        queryset=InformationAsset.objects.none(),
        required=False,
        empty_label=_("（台帳から選ばずに、下で格付を入力する）"),
        help_text=_("台帳にある情報なら選んでください。格付と取扱制限は台帳の値を使います。"),
    )
    confidentiality = forms.TypedChoiceField(
        label=_("機密性"),
        choices=[("", "—"), (1, _("機密性１")), (2, _("機密性２")), (3, _("機密性３"))],
        coerce=int,
        empty_value=None,
        required=False,
    )
    integrity = forms.TypedChoiceField(
        label=_("完全性"),
        choices=[("", _("格付なし")), (1, _("完全性１")), (2, _("完全性２"))],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("書面には完全性・可用性の格付はありません。"),
    )
    availability = forms.TypedChoiceField(
        label=_("可用性"),
        choices=[("", _("格付なし")), (1, _("可用性１")), (2, _("可用性２"))],
        coerce=int,
        empty_value=None,
        required=False,
    )
    medium = forms.ChoiceField(
        label=_("媒体"), choices=Medium.choices, initial=Medium.ELECTRONIC, required=False
    )
    restrictions = forms.MultipleChoiceField(
        label=_("取扱制限"), widget=forms.CheckboxSelectMultiple, required=False
    )
    viewers = forms.CharField(
        label=_("「○○限り」の相手"),
        max_length=100,
        required=False,
        help_text=_("例: 人事課（「人事課限り」のとき）"),
    )
    types = forms.MultipleChoiceField(
        label=_("情報の種類"), widget=forms.CheckboxSelectMultiple, required=False
    )
    action = forms.ChoiceField(label=_("したいこと"), choices=())
    location = forms.ChoiceField(required=False)
    terminal = forms.ChoiceField(required=False)
    channel = forms.ChoiceField(required=False)
    recipient = forms.ChoiceField(required=False)
    cloud = forms.ChoiceField(required=False)
    media = forms.ChoiceField(required=False)
    outsourced = forms.BooleanField(label=_("廃棄を外部の業者に委託する"), required=False)

    INFO_FIELDS = (
        "confidentiality",
        "integrity",
        "availability",
        "medium",
        "restrictions",
        "viewers",
        "types",
    )

    def __init__(self, *args: Any, person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = _language()
        self.fields["asset"].queryset = (
            InformationAsset.objects.visible_to(person).select_related("unit").order_by("title")
        )
        vocabulary = restriction_vocabulary()
        self.fields["restrictions"].choices = [
            (code, kind.en if language == "en" else kind.ja) for code, kind in vocabulary.items()
        ]
        self.fields["types"].choices = [
            (code, en if language == "en" else ja) for code, (ja, en) in TYPES.items()
        ]
        self.fields["action"].choices = [("", _("選んでください"))] + [
            (code, ACTION_LABELS[code]) for code in ACTIONS
        ]
        # With htmx, choosing an action fetches the questions that matter for it.
        self.fields["action"].widget.attrs.update(
            {
                "hx-get": reverse("assets:check"),
                "hx-trigger": "change",
                "hx-target": "#context-fields",
                "hx-select": "#context-fields",
                "hx-swap": "outerHTML",
            }
        )
        self.action_code = self._current_action()
        shown = context_fields(self.action_code)
        spec = ACTION_SPECS.get(self.action_code or "")
        for name, choices in CONTEXT_CHOICES.items():
            if name not in shown:
                del self.fields[name]
                continue
            field = self.fields[name]
            field.label = CONTEXT_LABELS[name]
            if name == "location" and spec is not None:
                choices = [c for c in choices if c[0] in spec.locations]
            required = spec is not None and name in spec.requires
            field.choices = choices if required else [UNSET, *choices]
            field.required = required
        if "outsourced" not in shown:
            del self.fields["outsourced"]
        # A value left over from another action (the page was not refreshed) is dropped
        # rather than refused: the person did not choose it for this action.
        if self.is_bound and "location" in self.fields:
            allowed = {value for value, _label in self.fields["location"].choices}
            if self.data.get(self.add_prefix("location")) not in allowed:
                self.data = self.data.copy()
                self.data.pop(self.add_prefix("location"), None)

    def _current_action(self) -> str | None:
        value = (
            self.data.get(self.add_prefix("action"))
            if self.is_bound
            else self.initial.get("action")
        )
        return value if value in ACTIONS else None

    @property
    def context_bound_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in (*CONTEXT_CHOICES, "outsourced") if name in self.fields]

    @property
    def info_bound_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.INFO_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("asset") is None:
            if cleaned.get("confidentiality") is None:
                self.add_error(
                    "confidentiality",
                    _("情報資産を選ぶか、機密性の格付を選んでください。"),
                )
            if cleaned.get("medium") == Medium.PAPER:
                for name in ("integrity", "availability"):
                    if cleaned.get(name) is not None:
                        self.add_error(
                            name,
                            _("書面には完全性・可用性の格付はありません。空欄にしてください。"),
                        )
            if cleaned.get("viewers") and "viewers_limited" not in cleaned.get("restrictions", []):
                self.add_error(
                    "viewers", _("相手を書くときは、取扱制限で「○○限り」も選んでください。")
                )
        return cleaned

    def carried(self) -> list[tuple[str, str]]:
        """The submitted answers, as (name, value) pairs for hidden inputs: the follow-up
        forms (file the request, confirm the measures) send the same question again, and
        the server decides it again."""
        if not self.is_bound:
            return []
        return [
            (self.add_prefix(name), value)
            for name in self.fields
            for value in self.data.getlist(self.add_prefix(name))
        ]

    def engine_inputs(self) -> dict[str, Any]:
        """The arguments of handling_services.check() and friends, from a valid form."""
        data = self.cleaned_data
        asset = data.get("asset")
        info = None
        if asset is None:
            restrictions: list[Any] = []
            for code in data.get("restrictions", []):
                if code == "viewers_limited" and data.get("viewers"):
                    restrictions.append({"code": code, "detail": data["viewers"]})
                else:
                    restrictions.append(code)
            info = {
                "confidentiality": data["confidentiality"],
                "integrity": data.get("integrity"),
                "availability": data.get("availability"),
                "medium": data.get("medium") or Medium.ELECTRONIC,
                "restrictions": restrictions,
                "types": list(data.get("types", [])),
            }
        context: dict[str, Any] = {
            name: data[name] for name in CONTEXT_CHOICES if data.get(name) not in (None, "")
        }
        if data.get("outsourced"):
            context["outsourced"] = True
        return {"asset": asset, "info": info, "action": data["action"], "context": context}


class PermissionForm(forms.Form):
    """What the applicant adds when filing the permission request."""

    reason_text = forms.CharField(
        label=_("許可を求める理由"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("目的、期間、場所、講じる対策などを書いてください。"),
    )


class ConfirmForm(forms.Form):
    measures = forms.MultipleChoiceField(
        label=_("講じる対策"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, measures: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measures"].choices = measures
