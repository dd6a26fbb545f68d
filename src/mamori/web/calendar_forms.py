from django import forms
from django.utils.translation import gettext_lazy as _


class FeedForm(forms.Form):
    name = forms.CharField(
        label=_("名前（用途）"),
        max_length=100,
        help_text=_("例: 業務用スマートフォン。どこで使っているかを後で見分けるためのものです。"),
    )
