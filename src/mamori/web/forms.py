from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mamori.rules import roles as catalogue


class TokenForm(forms.Form):
    name = forms.CharField(label=_("名前（用途）"), max_length=100)
    roles = forms.MultipleChoiceField(
        label=_("トークンに使わせる役割"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "選ばなかった役割の権限はトークンでは使えません。何も選ばないと、自分の申請の操作だけができます。"
        ),
    )
    days = forms.IntegerField(label=_("有効日数"), min_value=1, max_value=366, initial=90)

    def __init__(self, *args, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = [
            (code, catalogue.get(code).label(get_language() or "ja")) for code in roles
        ]
        self.fields["roles"].initial = roles
