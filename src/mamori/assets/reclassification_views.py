"""The page that files a 格付・取扱制限 review request for one asset."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.assets import reclassification
from mamori.assets.forms import _level_choices, detail_codes, restriction_choices
from mamori.assets.models import InformationAsset
from mamori.errors import MamoriError
from mamori.web.access import person_required, report


class ReviewForm(forms.Form):
    confidentiality = forms.TypedChoiceField(label=gettext_lazy("機密性"), coerce=int)
    integrity = forms.TypedChoiceField(
        label=gettext_lazy("完全性"), coerce=int, required=False, empty_value=None
    )
    availability = forms.TypedChoiceField(
        label=gettext_lazy("可用性"), coerce=int, required=False, empty_value=None
    )
    restrictions = forms.MultipleChoiceField(
        label=gettext_lazy("取扱制限"), required=False, widget=forms.CheckboxSelectMultiple
    )
    restriction_detail = forms.CharField(
        label=gettext_lazy("「〇〇限り」の対象"), required=False, max_length=100
    )
    reason = forms.CharField(
        label=gettext_lazy("見直しを求める理由"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, asset: InformationAsset, **kwargs):
        super().__init__(*args, **kwargs)
        kind = asset.organization.kind
        for name in ("confidentiality", "integrity", "availability"):
            self.fields[name].choices = _level_choices(name, kind, name != "confidentiality")
        self.fields["restrictions"].choices = restriction_choices()
        if not self.is_bound:
            details = [r.get("detail") for r in asset.restrictions if r.get("detail")]
            self.initial.update(
                {
                    "confidentiality": asset.confidentiality,
                    "integrity": asset.integrity,
                    "availability": asset.availability,
                    "restrictions": [r["code"] for r in asset.restrictions],
                    "restriction_detail": details[0] if details else "",
                }
            )

    def proposal(self) -> dict:
        data = self.cleaned_data
        detail = data["restriction_detail"]
        return {
            "confidentiality": data["confidentiality"],
            "integrity": data["integrity"],
            "availability": data["availability"],
            "restrictions": [
                {"code": c, "detail": detail} if c in detail_codes() else {"code": c}
                for c in data["restrictions"]
            ],
        }


@person_required
def request_review(request, pk):
    asset = get_object_or_404(InformationAsset.objects.visible_to(request.person), pk=pk)
    form = ReviewForm(request.POST or None, asset=asset)
    if request.method == "POST" and form.is_valid():
        try:
            filed = reclassification.request_review(
                request.person, asset, reason=form.cleaned_data["reason"], **form.proposal()
            )
        except MamoriError as error:
            report(request, error, form)
        else:
            messages.success(
                request, _("見直しを依頼しました（%(who)s）。") % {"who": filed.approver}
            )
            return redirect("approvals:detail", filed.pk)
    return render(request, "assets/review.html", {"form": form, "object": asset})
