"""CEPTOAR drill pages: the list with the start form and one's pending acknowledgements,
the drill with its acknowledgement-time report, and the CSV export. Every change goes
through mamori.sharing.drills."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mamori.errors import MamoriError
from mamori.sharing import drills, structure
from mamori.sharing.drill_models import Drill, DrillDelivery
from mamori.sharing.views import hub_person, page
from mamori.web.access import person_required, report
from mamori.web.export import csv_response

PAGE_SIZE = 25


class DrillForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("件名"), max_length=200)
    message = forms.CharField(label=gettext_lazy("訓練用の連絡文"), widget=forms.Textarea)
    sectors = forms.MultipleChoiceField(
        label=gettext_lazy("対象分野（選ばなければ全分野のセプター）"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, for_nisc: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if for_nisc:
            self.fields["sectors"].choices = structure.sector_choices()
        else:
            del self.fields["sectors"]  # a CEPTOAR drills its own members


def _form(request, data=None) -> DrillForm:
    from mamori.sharing import access

    return DrillForm(data, for_nisc=access.is_nisc(request.person))


@person_required
def drill_list(request):
    hub_person(request)
    drills_page = Paginator(
        drills.drills_visible_to(request.person).select_related("organization"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return page(
        request,
        "sharing/drill_list.html",
        {
            "page": drills_page,
            "pending": list(drills.pending_for(request.person)),
            "form": _form(request) if drills.can_start(request.person) else None,
            "citation": drills.CITATION,
        },
    )


@person_required
@require_POST
def drill_start(request):
    hub_person(request)
    if not drills.can_start(request.person):
        raise PermissionDenied(_("セプター訓練を開始できるのは内閣官房又はセプターの窓口です。"))
    form = _form(request, request.POST)
    if form.is_valid():
        try:
            drill = drills.start_drill(
                request.person,
                title=form.cleaned_data["title"],
                message=form.cleaned_data["message"],
                sectors=form.cleaned_data.get("sectors") or [],
            )
        except MamoriError as error:
            report(request, error, form)
        else:
            messages.success(
                request,
                _("セプター訓練 %(number)s を開始しました（送信先 %(count)d）。")
                % {"number": drill.number, "count": drill.deliveries.count()},
            )
            return redirect("sharing:drill_detail", drill.pk)
    drills_page = Paginator(
        drills.drills_visible_to(request.person).select_related("organization"), PAGE_SIZE
    ).get_page(1)
    return page(
        request,
        "sharing/drill_list.html",
        {
            "page": drills_page,
            "pending": list(drills.pending_for(request.person)),
            "form": form,
            "citation": drills.CITATION,
        },
    )


def _visible_drill(request, pk: int) -> Drill:
    hub_person(request)
    return get_object_or_404(
        drills.drills_visible_to(request.person).select_related("organization", "started_by"),
        pk=pk,
    )


@person_required
def drill_detail(request, pk: int):
    drill = _visible_drill(request, pk)
    org = hub_person(request)
    mine = DrillDelivery.objects.filter(drill=drill, recipient_id=org.pk).first()
    manager = drills.can_manage(request.person, drill)
    return page(
        request,
        "sharing/drill_detail.html",
        {
            "drill": drill,
            "mine": mine,
            "manager": manager,
            "result": drills.drill_report(drill) if manager else None,
            "citation": drills.CITATION,
        },
    )


@person_required
@require_POST
def drill_acknowledge(request, pk: int):
    drill = _visible_drill(request, pk)
    try:
        drills.acknowledge_drill(request.person, drill)
    except MamoriError as error:
        report(request, error)
    else:
        messages.success(request, _("受領確認しました。"))
    return redirect("sharing:drill_detail", drill.pk)


@person_required
@require_POST
def drill_close(request, pk: int):
    drill = _visible_drill(request, pk)
    try:
        drills.close_drill(request.person, drill)
    except MamoriError as error:
        report(request, error)
    else:
        messages.success(request, _("訓練を終了しました。"))
    return redirect("sharing:drill_detail", drill.pk)


def _fmt(value) -> str:
    return "" if value is None else f"{value:.1f}"


@person_required
def drill_export(request, pk: int):
    drill = _visible_drill(request, pk)
    if not drills.can_manage(request.person, drill):
        raise PermissionDenied(_("訓練の結果を見られるのは実施主体です。"))
    result = drills.drill_report(drill)

    def rows():
        for line in result.ceptoars:
            yield [
                _("セプター"),
                line.organization.name,
                "",
                line.delivered_at.isoformat() if line.delivered_at else "",
                line.acknowledged_at.isoformat() if line.acknowledged_at else "",
                _fmt(line.seconds),
                line.members,
                line.operators.acknowledged,
                line.operators.unacknowledged + line.not_reached,
                _fmt(line.operators.median),
                _fmt(line.operators.maximum),
            ]
        for operator in result.operators:
            yield [
                _("重要インフラ事業者等"),
                operator.organization.name,
                operator.ceptoar.name if operator.ceptoar else "",
                operator.delivered_at.isoformat(),
                operator.acknowledged_at.isoformat() if operator.acknowledged_at else "",
                _fmt(operator.seconds),
                "",
                "",
                "",
                "",
                "",
            ]

    header = [
        _("種別"),
        _("受信者"),
        _("セプター"),
        _("配信日時"),
        _("受領確認日時"),
        _("受領確認までの秒数"),
        _("構成員数"),
        _("構成員の受領確認数"),
        _("構成員の未確認数"),
        _("構成員の中央値（秒）"),
        _("構成員の最大値（秒）"),
    ]
    return csv_response(f"{drill.number}.csv", header, rows())
