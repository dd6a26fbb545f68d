from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.approvals import registry
from mamori.approvals.workflow import Action, State


class DateInput(forms.DateInput):
    input_type = "date"


class RequestForm(forms.Form):
    title = forms.CharField(label=_("件名"), max_length=200)
    description = forms.CharField(
        label=_("内容"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=20000
    )
    period_start = forms.DateField(label=_("希望期間（開始）"), required=False, widget=DateInput)
    period_end = forms.DateField(label=_("希望期間（終了）"), required=False, widget=DateInput)
    conditions = forms.CharField(
        label=_("条件・代替措置"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachment = forms.FileField(label=_("添付ファイル"), required=False)

    def __init__(self, *args, kind: registry.Kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind.requires_period:
            self.fields["period_start"].required = True
            self.fields["period_end"].required = True

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("終了日は開始日以降にしてください。"))
        return data


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            (a, Action(a).label)
            for a in (Action.APPROVE, Action.REJECT, Action.RETURN, Action.REVOKE)
        ]
    )
    reason = forms.CharField(
        label=_("理由"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("コメント"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AttachmentForm(forms.Form):
    attachment = forms.FileField(label=_("添付ファイル"))


SORTS = {
    "-created": ("-created_at", "-id"),
    "created": ("created_at", "id"),
    "due": ("due_date", "id"),
    "-due": ("-due_date", "-id"),
    "state": ("state", "-id"),
}


class FilterForm(forms.Form):
    q = forms.CharField(label=_("件名"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("状態"), required=False)
    kind = forms.ChoiceField(label=_("種類"), required=False)
    mine = forms.ChoiceField(
        label=_("範囲"),
        required=False,
        choices=[
            ("", _("すべて")),
            ("applied", _("自分の申請")),
            ("to_decide", _("自分が判断するもの")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("並び順"),
        required=False,
        choices=[
            ("-created", _("新しい順")),
            ("created", _("古い順")),
            ("due", _("期限の近い順")),
            ("-due", _("期限の遠い順")),
            ("state", _("状態")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("すべて")), *State.choices]
        self.fields["kind"].choices = [("", _("すべて"))] + [
            (k.code, k.label) for k in registry.all_kinds()
        ]

    def apply(self, queryset, person):
        data = self.cleaned_data
        if data.get("q"):
            queryset = queryset.filter(title__icontains=data["q"])
        if data.get("state"):
            queryset = queryset.filter(state=data["state"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("mine") == "applied":
            queryset = queryset.filter(applicant=person)
        elif data.get("mine") == "to_decide":
            queryset = queryset.filter(approver=person)
        return queryset.order_by(*SORTS.get(data.get("sort") or "-created", SORTS["-created"]))
