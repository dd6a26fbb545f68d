"""The regulation catalog pages: browse (filter, CSV, OSCAL) and import the official
catalog (upload → preview → apply). Changes go through services_catalog."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamori import uploads
from mamori.compliance import catalogs, imports, permissions, services_catalog
from mamori.compliance.forms import RULEBOOK_LABELS, CatalogFilterForm, CatalogUploadForm
from mamori.compliance.labels import org_kind_label, role_label
from mamori.compliance.models import CatalogImport, ImportState
from mamori.compliance.services_catalog import IMPORT_TYPES
from mamori.errors import MamoriError
from mamori.rules.oscal import catalog_to_oscal
from mamori.rules.requirements import FILES, RULEBOOKS, Catalog, Requirement, load_all
from mamori.web.access import person_required, report
from mamori.web.export import csv_response

PAGE_SIZE = 100


def _require_reader(request) -> None:
    if not permissions.may_read_catalog(request.person):
        raise PermissionDenied(_("規程カタログを閲覧する権限がありません。"))


def _rulebook(request) -> str:
    code = request.GET.get("rulebook") or "toitsu"
    return code if code in FILES else "toitsu"


def filter_entries(catalog: Catalog, data: dict) -> list[Requirement]:
    section = (data.get("section") or "").strip()
    role = data.get("role") or ""
    text = (data.get("q") or "").strip()
    entries = []
    for entry in catalog.entries:
        if section and not entry.id.startswith(section):
            continue
        if role and role not in entry.roles:
            continue
        if data.get("checkable") and not entry.checkable:
            continue
        if text and not any(text in (v or "") for v in (entry.text, entry.title, entry.id)):
            continue
        entries.append(entry)
    return entries


def _depth(catalog: Catalog, entry: Requirement) -> int:
    depth, parent = 0, entry.parent
    while parent:
        depth += 1
        parent = catalog.get(parent).parent if parent in catalog else None
    return depth


def _row(catalog: Catalog, entry: Requirement) -> dict:
    heading = entry.kind in RULEBOOKS[catalog.rulebook].group_kinds
    return {
        "entry": entry,
        "heading": heading,
        "depth": min(_depth(catalog, entry), 6),
        "roles": [role_label(code) for code in entry.roles],
        "org_kinds": [org_kind_label(code) for code in entry.org_kinds] if entry.text else [],
        "path": " › ".join(a.title or a.id for a in catalog.ancestors(entry.id)),
    }


@person_required
def browser(request):
    _require_reader(request)
    code = _rulebook(request)
    catalog = catalogs.effective_catalog(code)
    used_roles = sorted({r for e in catalog.entries for r in e.roles})
    form = CatalogFilterForm(
        request.GET or {"rulebook": code}, roles=[(r, role_label(r)) for r in used_roles]
    )
    data = form.cleaned_data if form.is_valid() else {"rulebook": code}
    entries = filter_entries(catalog, data)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    imported = (
        CatalogImport.objects.filter(rulebook=code, state=ImportState.APPLIED)
        .select_related("imported_by", "organization")
        .order_by("-imported_at", "-id")
        .first()
    )
    # The catalog is shared by the site: name the importer only within their organisation.
    imported_by = None
    if imported is not None:
        same_org = imported.organization_id == request.person.organization_id
        imported_by = imported.imported_by if same_org else imported.organization
    return render(
        request,
        "compliance/catalog.html",
        {
            "form": form,
            "catalog": catalog,
            "rulebook": code,
            "rulebook_label": RULEBOOK_LABELS[code],
            "page": page,
            "rows": [_row(catalog, e) for e in page],
            "query": query.urlencode(),
            "total": len(catalog.entries),
            "checkable": sum(e.checkable for e in catalog.entries),
            "abbreviated": sum(e.abbreviated for e in catalog.entries),
            "imported": imported,
            "imported_by": imported_by,
            "may_import": permissions.may_import(request.person, code),
        },
    )


@person_required
def export_csv(request):
    _require_reader(request)
    code = _rulebook(request)
    catalog = catalogs.effective_catalog(code)
    used_roles = sorted({r for e in catalog.entries for r in e.roles})
    form = CatalogFilterForm(request.GET, roles=[(r, r) for r in used_roles])
    data = form.cleaned_data if form.is_valid() else {}
    rows = (
        [
            e.id,
            e.citation,
            e.kind,
            e.parent or "",
            e.title or "",
            e.text or "",
            "、".join(role_label(r) for r in e.roles),
            "、".join(e.org_kinds),
            _("はい") if e.staff_facing else "",
            _("はい") if e.abbreviated else "",
            "、".join(e.rules),
        ]
        for e in filter_entries(catalog, data)
    )
    header = [
        _("番号"),
        _("出典"),
        _("種別"),
        _("上位"),
        _("見出し"),
        _("本文"),
        _("役割"),
        _("組織の種別"),
        _("職員向け"),
        _("略"),
        _("取扱規則"),
    ]
    return csv_response(f"catalog-{code}.csv", header, rows)


@person_required
def export_oscal(request):
    _require_reader(request)
    code = _rulebook(request)
    data = catalog_to_oscal(catalogs.effective_catalog(code))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="oscal-catalog-{code}.json"'
    return response


@person_required
def import_upload(request):
    person = request.person
    rulebooks = permissions.importable_rulebooks(person)
    if not rulebooks:
        raise PermissionDenied(_("規程カタログを取り込む権限がありません。"))
    form = CatalogUploadForm(request.POST or None, request.FILES or None, rulebooks=rulebooks)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            name, data = imports.read_upload(form.cleaned_data["file"], IMPORT_TYPES)
            pending = services_catalog.upload_catalog(
                person, form.cleaned_data["rulebook"], name, data
            )
        except imports.ImportRejected as error:
            errors = error.errors
            form.add_error(None, str(error.message))
        except MamoriError as error:
            report(request, error, form)
        else:
            return redirect("compliance:catalog_import_preview", pending.pk)
    history = CatalogImport.objects.filter(
        rulebook__in=rulebooks, organization_id=person.organization_id
    ).select_related("imported_by")[:20]
    return render(
        request,
        "compliance/catalog_import.html",
        {
            "form": form,
            "errors": errors,
            "history": history,
            "upload_limit": uploads.limit_mb(),
        },
    )


def _pending(request, pk) -> CatalogImport:
    item = get_object_or_404(
        CatalogImport.objects.select_related("imported_by"),
        pk=pk,
        organization_id=request.person.organization_id,
    )
    if not permissions.may_import(request.person, item.rulebook):
        raise PermissionDenied(_("規程カタログを取り込む権限がありません。"))
    return item


@person_required
def import_preview(request, pk):
    item = _pending(request, pk)
    lists = {"filled": [], "added": [], "conflicts": []}
    if item.state == ImportState.PENDING:
        result = catalogs.merged(load_all()[item.rulebook], item.rulebook, item.entries)
        catalog = result.catalog
        lists = {
            "filled": [catalog.get(i) for i in result.filled],
            "added": [catalog.get(i) for i in result.added],
            "conflicts": [
                (load_all()[item.rulebook].get(i), next(e for e in item.entries if e["id"] == i))
                for i in result.conflicts
            ],
        }
    return render(
        request,
        "compliance/catalog_import_preview.html",
        {"item": item, "rulebook_label": RULEBOOK_LABELS[item.rulebook], **lists},
    )


def _decide(request, pk, action, done: str, then):
    item = _pending(request, pk)
    try:
        action(request.person, item)
    except MamoriError as error:
        report(request, error)
        return redirect("compliance:catalog_import_preview", item.pk)
    messages.success(request, done)
    return redirect(then(item))


@person_required
@require_POST
def import_apply(request, pk):
    return _decide(
        request,
        pk,
        services_catalog.apply_import,
        _("カタログを取り込みました。"),
        lambda item: f"{reverse('compliance:catalog')}?rulebook={item.rulebook}",
    )


@person_required
@require_POST
def import_discard(request, pk):
    return _decide(
        request,
        pk,
        services_catalog.discard_import,
        _("取込みを破棄しました。"),
        lambda item: reverse("compliance:catalog_import"),
    )
