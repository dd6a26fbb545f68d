"""Pages of the sharing hub: dashboard, roster, reports (情報連絡) and the liaison inbox.
Alert pages are in views_alerts.py. Every change goes through the services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamori.errors import MamoriError
from mamori.org import scope
from mamori.rules import cip
from mamori.sharing import access, drills, services, structure
from mamori.sharing.forms import (
    FIGURE_FIELDS,
    ForwardForm,
    ModeForm,
    NoteForm,
    ReportFilterForm,
    ReportForm,
    VersionForm,
    initial_from,
)
from mamori.sharing.models import (
    AlertStatus,
    Delivery,
    Mode,
    Party,
    PartyRole,
    Report,
    ReportStatus,
    SectorLiaison,
)
from mamori.sharing.workflow import STATUS_BADGES
from mamori.web.access import person_required, report
from mamori.web.export import csv_response

PAGE_SIZE = 25


def hub_person(request):
    """The signed-in person's organisation on the hub; 403 without a sharing role."""
    org = access.organization_of(request.person)
    if org is None:
        raise PermissionDenied(_("情報共有の関係主体の担当者のみ利用できます。"))
    return org


def page(request, template: str, context: dict):
    """Render a sharing page: every one shows the current mode (別紙4-1 / 4-2)."""
    change = structure.current_mode_change()
    mode = change.mode if change else Mode.NORMAL
    context.update(
        {
            "mode": mode,
            "mode_label": Mode(mode).label,
            "mode_change": change,
            "mode_citation": cip.mode_route(mode).citation,
            "is_nisc": access.is_nisc(request.person),
        }
    )
    return render(request, template, context)


def verdict_context(service: str, figures: dict) -> dict:
    """The level verdict as the form and detail pages show it."""
    if not service:
        return {"verdict": None}
    try:
        svc = cip.service(service)
    except ValueError:
        return {"verdict": None}
    verdict = cip.exceeds_level(service, figures)
    language = get_language() or "ja"
    known = cip.figures()
    reasons = [
        {
            "label": known[r.figure].label(language),
            "unit": known[r.figure].unit(language),
            "threshold": r.threshold,
            "value": r.value,
            "met": r.met,
        }
        for r in verdict.reasons
    ]
    return {
        "verdict": verdict,
        "reasons": reasons,
        "service_level": svc.level(language),
        "service_basis": svc.basis(language),
    }


# --- dashboard and roster ----------------------------------------------------------


@person_required
def dashboard(request):
    org = hub_person(request)
    person = request.person
    mine = (
        access.reports_visible_to(person)
        .filter(organization=org)
        .select_related("current")
        .order_by("-updated")[:10]
    )
    to_forward = (
        Report.objects.filter(
            status=ReportStatus.SUBMITTED, liaison__people=person, liaison__ministry=org
        )
        .select_related("current", "liaison")
        .order_by("created")
        if scope.has_role(person, "cip_liaison")
        else Report.objects.none()
    )
    to_acknowledge = (
        Delivery.objects.filter(
            recipient=org, acknowledged_at__isnull=True, alert__status=AlertStatus.ISSUED
        )
        .select_related("alert")
        .order_by("-alert__issued_at")[:20]
    )
    alerts = access.alerts_visible_to(person).order_by("-created")[:10]
    at_nisc = (
        access.reports_visible_to(person)
        .filter(status=ReportStatus.FORWARDED)
        .select_related("current")[:20]
        if access.is_nisc(person)
        else []
    )
    return page(
        request,
        "sharing/dashboard.html",
        {
            "drills_pending": list(drills.pending_for(person).order_by("-delivered_at")[:20]),
            "org": org,
            "party": access.party_of(org),
            "mine": mine,
            "to_forward": to_forward,
            "to_acknowledge": to_acknowledge,
            "alerts": alerts,
            "at_nisc": at_nisc,
            "mode_form": ModeForm(),
            "status_badges": STATUS_BADGES,
        },
    )


@person_required
def roster(request):
    hub_person(request)
    parties = Party.objects.select_related(
        "organization", "ceptoar__organization", "poc_person"
    ).order_by("role", "sector", "organization__name")
    groups: dict[str, list[Party]] = {}
    for party in parties:
        groups.setdefault(party.get_role_display(), []).append(party)
    liaisons = SectorLiaison.objects.select_related("ministry").prefetch_related("people")
    return page(
        request,
        "sharing/roster.html",
        {
            "groups": groups,
            "liaisons": sorted(
                liaisons,
                key=lambda li: (
                    list(cip.sectors()).index(li.sector) if li.sector in cip.sectors() else 99
                ),
            ),
            "sectors": list(cip.sectors().values()),
            "language": get_language() or "ja",
        },
    )


@person_required
@require_POST
def switch_mode(request):
    hub_person(request)
    form = ModeForm(request.POST)
    if form.is_valid():
        try:
            services.switch_mode(
                request.person, form.cleaned_data["mode"], reason=form.cleaned_data["reason"]
            )
        except MamoriError as error:
            report(request, error)
        else:
            messages.success(request, _("体制を切り替えました。"))
    return redirect("sharing:dashboard")


# --- reports ------------------------------------------------------------------------


def _reporter_party(request):
    party = access.party_of(request.person.organization)
    if (
        party is None
        or party.role != PartyRole.OPERATOR
        or not scope.has_role(request.person, "cip_operator")
    ):
        raise PermissionDenied(_("情報連絡は重要インフラ事業者等の連絡担当者が行います。"))
    return party


def _form_verdict(form) -> dict:
    return verdict_context(form.data.get("service", ""), form.raw_figures())


@person_required
def report_create(request):
    hub_person(request)
    party = _reporter_party(request)
    form = ReportForm(request.POST or None, sector=party.sector)
    if request.method == "POST" and request.POST.get("action") != "recompute" and form.is_valid():
        try:
            made = services.submit_report(
                request.person,
                form.content(),
                form.sharing(),
                voluntary=form.cleaned_data["voluntary"],
            )
        except MamoriError as error:
            report(request, error, form)
        else:
            messages.success(
                request,
                _("情報連絡 %(number)s を所管省庁のリエゾンへ送りました。")
                % {"number": made.number},
            )
            return redirect("sharing:report_detail", made.pk)
    return page(
        request,
        "sharing/report_form.html",
        {"form": form, "sector": structure.sector_label(party.sector), **_form_verdict(form)},
    )


@person_required
def level_check(request):
    """The level verdict fragment, recomputed as figures are typed (htmx)."""
    hub_person(request)
    figures = {name: request.POST.get(name, "") for name in FIGURE_FIELDS}
    return render(
        request,
        "sharing/_level.html",
        verdict_context(request.POST.get("service", ""), figures),
    )


def _report(request, pk) -> Report:
    return get_object_or_404(
        access.reports_visible_to(request.person).select_related(
            "current", "organization", "reporter", "liaison__ministry"
        ),
        pk=pk,
    )


@person_required
def report_detail(request, pk):
    hub_person(request)
    item = _report(request, pk)
    person = request.person
    versions = item.versions.select_related("author").order_by("-number")
    route = item.route.select_related("sender_org", "sender", "recipient_org")
    notes = item.notes.select_related("author", "organization")
    current = item.current
    may_note = scope.has_role(person, "cip_liaison", "cip_nisc") and (
        route.filter(recipient_org_id=person.organization_id).exists()
    )
    language = get_language() or "ja"
    event = cip.events().get(current.event_type)
    cause = cip.causes().get(current.cause_type)
    example = cip.cause_examples().get(current.cause_detail)
    return page(
        request,
        "sharing/report_detail.html",
        {
            "item": item,
            "current": current,
            "versions": versions,
            "route": route,
            "notes": notes,
            "event_label": event.label(language) if event else current.event_type,
            "cause_label": cause.label(language) if cause else current.cause_type,
            "cause_detail_label": example[1].label(language) if example else "",
            "service_label": cip.service(current.service).label(language)
            if current.service
            else "",
            "sector_label": structure.sector_label(item.sector),
            "share_labels": [
                Report._meta.get_field(name).verbose_name
                for name in Report.SHARE_FLAGS
                if getattr(item, name)
            ],
            "share_orgs": item.share_orgs.all(),
            "may_forward": services.can_forward(person, item),
            "may_update": item.organization_id == person.organization_id
            and scope.has_role(person, "cip_operator")
            and item.status != ReportStatus.CLOSED,
            "may_note": may_note,
            "sees_contact": access.sees_contact(person, item),
            "may_close": access.is_nisc(person)
            and scope.has_role(person, "cip_nisc")
            and item.status == ReportStatus.FORWARDED,
            "forward_form": ForwardForm(),
            "note_form": NoteForm(),
            "status_badges": STATUS_BADGES,
            **verdict_context(current.service, current.figures),
        },
    )


@person_required
def report_update(request, pk):
    hub_person(request)
    party = _reporter_party(request)
    item = _report(request, pk)
    if item.organization_id != request.person.organization_id:
        raise PermissionDenied(_("自組織の情報連絡のみ更新できます。"))
    if request.method == "POST":
        form = VersionForm(request.POST, sector=party.sector)
    else:
        form = VersionForm(initial=initial_from(item), sector=party.sector)
    if request.method == "POST" and request.POST.get("action") != "recompute" and form.is_valid():
        try:
            services.add_version(
                request.person,
                item,
                form.content(),
                change_note=form.cleaned_data["change_note"],
                sharing=form.sharing(),
            )
        except MamoriError as error:
            report(request, error, form)
        else:
            messages.success(request, _("更新を送りました。"))
            return redirect("sharing:report_detail", item.pk)
    verdict = (
        _form_verdict(form)
        if form.is_bound
        else verdict_context(item.current.service, item.current.figures)
    )
    return page(
        request,
        "sharing/report_form.html",
        {
            "form": form,
            "item": item,
            "sector": structure.sector_label(party.sector),
            **verdict,
        },
    )


@person_required
@require_POST
def report_forward(request, pk):
    hub_person(request)
    item = _report(request, pk)
    form = ForwardForm(request.POST)
    form.is_valid()
    try:
        services.forward_report(request.person, item, note=form.cleaned_data.get("note", ""))
    except MamoriError as error:
        report(request, error)
    else:
        messages.success(request, _("内閣官房へ連絡しました。"))
    return redirect("sharing:report_detail", item.pk)


@person_required
@require_POST
def report_note(request, pk):
    hub_person(request)
    item = _report(request, pk)
    try:
        services.add_note(request.person, item, request.POST.get("text", ""))
    except MamoriError as error:
        report(request, error)
    else:
        messages.success(request, _("付記しました。"))
    return redirect("sharing:report_detail", item.pk)


@person_required
@require_POST
def report_close(request, pk):
    hub_person(request)
    item = _report(request, pk)
    try:
        services.close_report(request.person, item)
    except MamoriError as error:
        report(request, error)
    else:
        messages.success(request, _("終結しました。"))
    return redirect("sharing:report_detail", item.pk)


def _filtered_reports(request, base):
    form = ReportFilterForm(request.GET or None)
    qs = base.select_related("current", "organization", "liaison__ministry")
    order = "-updated"
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            qs = qs.filter(Q(number__icontains=d["q"]) | Q(current__title__icontains=d["q"]))
        if d["sector"]:
            qs = qs.filter(sector=d["sector"])
        if d["status"]:
            qs = qs.filter(status=d["status"])
        if d["tlp"]:
            qs = qs.filter(tlp=d["tlp"])
        if d["exceeds"] == "yes":
            qs = qs.filter(current__exceeds_level=True)
        elif d["exceeds"] == "no":
            qs = qs.filter(current__exceeds_level=False)
        elif d["exceeds"] == "unknown":
            qs = qs.filter(current__exceeds_level__isnull=True)
        order = d["sort"] or order
    return form, qs.order_by(order, "-id")


def _query(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@person_required
def report_list(request):
    hub_person(request)
    form, qs = _filtered_reports(request, access.reports_visible_to(request.person))
    paginated = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return page(
        request,
        "sharing/report_list.html",
        {
            "form": form,
            "page_obj": paginated,
            "query": _query(request),
            "status_badges": STATUS_BADGES,
            "title": _("情報連絡"),
            "export_url": "sharing:report_export",
        },
    )


@person_required
def liaison_inbox(request):
    org = hub_person(request)
    if not scope.has_role(request.person, "cip_liaison"):
        raise PermissionDenied(_("リエゾンのみ利用できます。"))
    base = access.reports_visible_to(request.person).filter(liaison__ministry=org)
    form, qs = _filtered_reports(request, base)
    if not request.GET.get("sort"):
        qs = qs.order_by("status", "-updated", "-id")  # waiting ones (submitted) first
    paginated = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return page(
        request,
        "sharing/report_list.html",
        {
            "form": form,
            "page_obj": paginated,
            "query": _query(request),
            "status_badges": STATUS_BADGES,
            "title": _("リエゾンの受信箱"),
            "inbox": True,
            "export_url": "sharing:report_export",
        },
    )


def level_label(value) -> str:
    if value is None:
        return _("判定不能")
    return _("逸脱") if value else _("逸脱なし")


@person_required
def report_export(request):
    hub_person(request)
    _form, qs = _filtered_reports(request, access.reports_visible_to(request.person))
    header = [
        _("連絡番号"), _("件名"), _("分野"), _("状態"), _("TLP"), _("サービス維持レベル"),
        _("版"), _("連絡元"), _("更新日時"),
    ]  # fmt: skip
    rows = (
        [
            r.number,
            r.current.title,
            structure.sector_label(r.sector),
            r.get_status_display(),
            r.get_tlp_display(),
            level_label(r.current.exceeds_level),
            r.current.number,
            str(r.organization),
            r.updated.isoformat(timespec="minutes"),
        ]
        for r in qs.iterator(chunk_size=500)
    )
    return csv_response("sharing-reports.csv", header, rows)
