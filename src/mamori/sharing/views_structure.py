"""NISC's pages for the sharing structure: CEPTOARs and their members, handling agreements
(別添2.3④) and sector liaisons (別添2.3①). Only NISC's information-sharing officers
(cip_nisc) may open them; every change goes through services_structure."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamori.errors import MamoriError
from mamori.rules import cip
from mamori.sharing import services_structure, structure
from mamori.sharing.forms_structure import AgreementForm, LiaisonForm, MemberForm
from mamori.sharing.models import Party, PartyRole, SectorLiaison
from mamori.sharing.views import hub_person, page
from mamori.web.access import person_required, report

PAGE_SIZE = 50


def _nisc(request) -> None:
    hub_person(request)
    if not services_structure.can_manage(request.person):
        raise PermissionDenied(_("情報共有体制を管理できるのは内閣官房（NISC）の担当者です。"))


def _ceptoar(pk) -> Party:
    return get_object_or_404(
        Party.objects.select_related("organization", "poc_person"), pk=pk, role=PartyRole.CEPTOAR
    )


@person_required
def structure_index(request):
    _nisc(request)
    ceptoars = (
        Party.objects.filter(role=PartyRole.CEPTOAR)
        .select_related("organization")
        .annotate(
            member_count=Count("members", filter=Q(members__active=True)),
            agreed_count=Count(
                "members",
                filter=Q(members__active=True, members__handling_agreement_on__isnull=False),
            ),
        )
        .order_by("sector", "organization__name")
    )
    liaisons = {
        li.sector: li
        for li in SectorLiaison.objects.select_related("ministry").prefetch_related(
            "people__organization"
        )
    }
    unattached = Paginator(
        Party.objects.filter(role=PartyRole.OPERATOR, active=True, ceptoar__isnull=True)
        .select_related("organization")
        .order_by("sector", "organization__name"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return page(
        request,
        "sharing/structure.html",
        {
            "ceptoars": ceptoars,
            "sectors": [
                {"code": code, "label": structure.sector_label(code), "liaison": liaisons.get(code)}
                for code in cip.sectors()
            ],
            "unattached": unattached,
            "agreement_form": AgreementForm(),
        },
    )


@person_required
def ceptoar_manage(request, pk):
    _nisc(request)
    ceptoar = _ceptoar(pk)
    members = Paginator(
        ceptoar.members.select_related("organization").order_by("organization__name"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return page(
        request,
        "sharing/structure_ceptoar.html",
        {
            "ceptoar": ceptoar,
            "members": members,
            "member_form": MemberForm(ceptoar=ceptoar),
            "agreement_form": AgreementForm(),
            "sector_label": structure.sector_label(ceptoar.sector),
        },
    )


@person_required
@require_POST
def member_add(request, pk):
    _nisc(request)
    ceptoar = _ceptoar(pk)
    form = MemberForm(request.POST, ceptoar=ceptoar)
    if not form.is_valid():
        messages.error(request, _("構成員に加える事業者を選んでください。"))
        return redirect("sharing:ceptoar_manage", pk=ceptoar.pk)
    try:
        operator = services_structure.add_member(
            request.person, ceptoar, form.cleaned_data["operator"]
        )
    except MamoriError as error:
        report(request, error)
    else:
        messages.success(
            request, _("%(name)s を構成員に加えました。") % {"name": operator.organization}
        )
    return redirect("sharing:ceptoar_manage", pk=ceptoar.pk)


@person_required
@require_POST
def member_remove(request, pk, member_pk):
    _nisc(request)
    ceptoar = _ceptoar(pk)
    operator = get_object_or_404(Party.objects.select_related("organization"), pk=member_pk)
    try:
        services_structure.remove_member(request.person, ceptoar, operator)
    except MamoriError as error:
        report(request, error)
    else:
        messages.success(
            request, _("%(name)s を構成員から外しました。") % {"name": operator.organization}
        )
    return redirect("sharing:ceptoar_manage", pk=ceptoar.pk)


@person_required
@require_POST
def agreement_set(request, pk):
    _nisc(request)
    party = get_object_or_404(
        Party.objects.select_related("organization"),
        pk=pk,
        role__in=services_structure.AGREEMENT_ROLES,
    )
    form = AgreementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("合意日の形式が正しくありません。"))
    else:
        try:
            services_structure.set_handling_agreement(
                request.person, party, form.cleaned_data["agreed_on"]
            )
        except MamoriError as error:
            report(request, error)
        else:
            messages.success(
                request,
                _("%(name)s の取決めの登録を更新しました。") % {"name": party.organization},
            )
    if party.role == PartyRole.CEPTOAR:
        return redirect("sharing:ceptoar_manage", pk=party.pk)
    if party.ceptoar_id:
        return redirect("sharing:ceptoar_manage", pk=party.ceptoar_id)
    return redirect("sharing:structure")


@person_required
def liaison_edit(request, sector):
    _nisc(request)
    if sector not in cip.sectors():
        raise Http404
    liaison = (
        SectorLiaison.objects.select_related("ministry")
        .prefetch_related("people")
        .filter(sector=sector)
    ).first()
    if request.method == "POST":
        form = LiaisonForm(request.POST)
        if form.is_valid():
            try:
                services_structure.set_liaison(
                    request.person,
                    sector,
                    form.cleaned_data["ministry"],
                    form.cleaned_data["people"],
                )
            except MamoriError as error:
                report(request, error, form)
            else:
                messages.success(request, _("分野担当リエゾンを登録しました。"))
                return redirect("sharing:structure")
    else:
        initial = (
            {"ministry": liaison.ministry, "people": list(liaison.people.all())} if liaison else {}
        )
        form = LiaisonForm(initial=initial)
    return page(
        request,
        "sharing/structure_liaison.html",
        {"form": form, "liaison": liaison, "sector_label": structure.sector_label(sector)},
    )
