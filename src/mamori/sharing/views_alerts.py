"""Alert pages: NISC's compose page with the range and anonymity checks, the alert list
with acknowledgement, the alert detail. Every change goes through services_alerts."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, OuterRef, Q, Subquery, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamori.errors import MamoriError
from mamori.org import scope
from mamori.sharing import access, services_alerts, structure
from mamori.sharing.forms import AlertFilterForm, AlertForm
from mamori.sharing.models import Delivery, DeliveryVia, Importance
from mamori.sharing.views import hub_person, page
from mamori.web.access import person_required, report
from mamori.web.export import csv_response

PAGE_SIZE = 25
IMPORTANCE_RANK = Case(
    When(importance=Importance.HIGH, then=Value(0)),
    When(importance=Importance.MEDIUM, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def _alerts(request):
    org = hub_person(request)
    mine = Delivery.objects.filter(alert=OuterRef("pk"), recipient_id=org.pk)
    return (
        access.alerts_visible_to(request.person)
        .annotate(
            my_delivery=Subquery(mine.values("pk")[:1]),
            my_ack=Subquery(mine.values("acknowledged_at")[:1]),
            rank=IMPORTANCE_RANK,
        )
        .order_by("-created", "-id")
    )


def _filtered(request):
    form = AlertFilterForm(request.GET or None)
    qs = _alerts(request)
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            qs = qs.filter(Q(number__icontains=d["q"]) | Q(title__icontains=d["q"]))
        if d["importance"]:
            qs = qs.filter(importance=d["importance"])
        if d["pending"]:
            qs = qs.filter(my_delivery__isnull=False, my_ack__isnull=True)
        sort = d["sort"]
        if sort == "importance":
            qs = qs.order_by("rank", "-created", "-id")
        elif sort:
            qs = qs.order_by(sort, "-id")
    return form, qs


@person_required
def alert_list(request):
    form, qs = _filtered(request)
    params = request.GET.copy()
    params.pop("page", None)
    return page(
        request,
        "sharing/alert_list.html",
        {
            "form": form,
            "page_obj": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "query": params.urlencode(),
        },
    )


@person_required
def alert_export(request):
    _form, qs = _filtered(request)
    header = [
        _("提供番号"), _("件名"), _("重要度"), _("TLP"), _("情報の種類"), _("早期警戒情報"),
        _("提供日時"), _("受領確認日時"),
    ]  # fmt: skip
    rows = (
        [
            a.number,
            a.title,
            a.get_importance_display(),
            a.get_tlp_display(),
            a.get_category_display(),
            _("はい") if a.early_warning else _("いいえ"),
            a.issued_at.isoformat(timespec="minutes") if a.issued_at else "",
            a.my_ack.isoformat(timespec="minutes") if a.my_ack else "",
        ]
        for a in qs.iterator(chunk_size=500)
    )
    return csv_response("sharing-alerts.csv", header, rows)


@person_required
def alert_detail(request, pk):
    hub_person(request)
    alert = get_object_or_404(_alerts(request), pk=pk)
    nisc = access.is_nisc(request.person)
    deliveries = []
    counts: Counter[str] = Counter()
    if nisc:
        deliveries = list(
            alert.deliveries.select_related("recipient", "relay", "acknowledged_by").order_by(
                "hop", "recipient__name"
            )[:500]
        )
        counts = Counter(
            alert.deliveries.filter(acknowledged_at__isnull=False).values_list("via", flat=True)
        )
    return page(
        request,
        "sharing/alert_detail.html",
        {
            "alert": alert,
            "delivery": services_alerts.delivery_for(request.person, alert),
            "deliveries": deliveries,
            "total": alert.deliveries.count() if nisc else None,
            "acknowledged": sum(counts.values()) if nisc else None,
            "source_numbers": list(alert.source_reports.values_list("number", flat=True))
            if nisc
            else [],
            "sector_labels": [structure.sector_label(s) for s in alert.sectors],
        },
    )


@person_required
@require_POST
def alert_acknowledge(request, pk):
    hub_person(request)
    alert = get_object_or_404(access.alerts_visible_to(request.person), pk=pk)
    delivery = services_alerts.delivery_for(request.person, alert)
    if delivery is None:
        raise PermissionDenied(_("この情報提供の提供先ではありません。"))
    try:
        services_alerts.acknowledge(request.person, delivery)
    except MamoriError as error:
        report(request, error)
    else:
        messages.success(request, _("受領を確認しました。"))
    target = request.POST.get("next", "")
    if target.startswith("/sharing/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("sharing:alert_detail", alert.pk)


def _draft_from(form) -> services_alerts.AlertDraft:
    d = form.cleaned_data
    return services_alerts.AlertDraft(
        title=d["title"] or "",
        body=d["body"] or "",
        importance=d["importance"],
        category=d["category"],
        tlp=d["tlp"],
        sectors=list(d["sectors"]),
        report_ids=[r.pk for r in d["reports"]],
        early_warning=d["early_warning"],
        direct_org_ids=[o.pk for o in d["direct"]],
    )


@person_required
def alert_compose(request):
    hub_person(request)
    if not (access.is_nisc(request.person) and scope.has_role(request.person, "cip_nisc")):
        raise PermissionDenied(_("情報提供を行えるのは内閣官房（NISC）の担当者です。"))
    reports_qs = access.reports_visible_to(request.person).select_related("current")
    check = None
    if request.method == "POST":
        form = AlertForm(request.POST, reports_qs=reports_qs)
        action = request.POST.get("action", "check")
        if form.is_valid():
            draft = _draft_from(form)
            if action == "draft":
                chosen = list(form.cleaned_data["reports"])
                title, body = services_alerts.anonymised_text(chosen)
                data = request.POST.copy()
                data["title"], data["body"] = title, body
                if not data.getlist("sectors"):
                    data.setlist("sectors", sorted({r.sector for r in chosen}))
                tlps = [r.tlp for r in chosen]
                if tlps:
                    data["tlp"] = max(tlps, key=services_alerts.TLP_ORDER.index)
                form = AlertForm(data, reports_qs=reports_qs)
                form.is_valid()
                draft = _draft_from(form)
            if action == "issue":
                try:
                    alert = services_alerts.issue_alert(request.person, draft)
                except MamoriError as error:
                    report(request, error, None)
                else:
                    messages.success(
                        request,
                        _("情報提供 %(number)s を%(count)d組織へ提供しました。")
                        % {"number": alert.number, "count": alert.deliveries.count()},
                    )
                    return redirect("sharing:alert_detail", alert.pk)
            check = services_alerts.check_alert(draft)
    else:
        wanted = [v for v in request.GET.getlist("reports") if v.isdigit()]
        initial = {"reports": reports_qs.filter(pk__in=wanted)}
        form = AlertForm(initial=initial, reports_qs=reports_qs)
    by_via = Counter(p.via for p in check.planned) if check else Counter()
    return page(
        request,
        "sharing/alert_compose.html",
        {
            "form": form,
            "check": check,
            "by_via": [(DeliveryVia(v).label, n) for v, n in sorted(by_via.items())],
        },
    )
