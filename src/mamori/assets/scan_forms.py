"""Forms of the content checks: files to check, recipients of a mail, files to publish.
They read input; assets.scan_services decides what the files may be used for."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.assets import scan_services


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (<input type=file multiple>); cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not items:
            super().clean(None, initial)  # "required" when it is
            return []
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


def _files_help() -> str:
    return str(
        _(
            "Word・Excel・PowerPoint・PDF・テキスト・CSV・HTML・メール（.eml）・ZIPを"
            "読みます。合計 %(limit)d MB、%(max)d件まで。ファイルは保存しません。"
        )
    ) % {"limit": scan_services.limit_mb(), "max": scan_services.MAX_FILES}


class ScanForm(forms.Form):
    files = MultipleFileField(label=_("確認するファイル"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _files_help()


class SendCheckForm(forms.Form):
    recipients = forms.CharField(
        label=_("宛先（メールアドレス）"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("TO・CC・BCCの全ての宛先を、1行に1件又はカンマ区切りで入力します。"),
    )
    files = MultipleFileField(label=_("添付ファイル"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _files_help()


class PublishForm(forms.Form):
    """The files being published; the service says when they are required."""

    files = MultipleFileField(label=_("公表するファイル"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _(
            "公表する前に、格付の表示（機密性２・３）や個人情報が含まれていないか確認します。"
        )
