"""The 対策基準 pages: documents, items (edit, Excel import, list, CSV), the coverage
view and the OSCAL profile. Changes go through services_policy."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamori.compliance import catalogs, coverage, imports, permissions, services_policy
from mamori.compliance.forms import (
    RULEBOOK_LABELS,
    DocumentForm,
    ItemFilterForm,
    ItemForm,
    ItemImportForm,
)
from mamori.compliance.models import PolicyDocument, PolicyItem, PolicyState
from mamori.errors import MamoriError
from mamori.rules.oscal import profile_to_oscal
from mamori.rules.requirements import FILES, RULEBOOKS
from mamori.web.access import person_required, report
from mamori.web.export import csv_response

PAGE_SIZE = 50
SORTS = {
    "number": ["sort_key", "id"],
    "-updated": ["-updated", "-id"],
    "strength": ["strength", "sort_key"],
}


def _require_read(request) -> None:
    if not permissions.may_read_policy(request.person):
        raise PermissionDenied(_("対策基準を閲覧する権限がありません。"))


def _require_edit(request) -> None:
    if not permissions.may_edit_policy(request.person):
        raise PermissionDenied(_("対策基準を編集する権限がありません。"))


def _document(request, pk) -> PolicyDocument:
    _require_read(request)
    return get_object_or_404(
        PolicyDocument.objects.visible_to(request.person).select_related("organization"), pk=pk
    )


@person_required
def documents(request):
    _require_read(request)
    person = request.person
    may_edit = permissions.may_edit_policy(person)
    form = DocumentForm(request.POST or None)
    if request.method == "POST":
        _require_edit(request)
        if form.is_valid():
            try:
                document = services_policy.create_document(person, **form.cleaned_data)
            except MamoriError as error:
                report(request, error, form)
            else:
                messages.success(request, _("対策基準を作成しました。"))
                return redirect("compliance:policy_document", document.pk)
    return render(
        request,
        "compliance/policy_documents.html",
        {
            "documents": PolicyDocument.objects.visible_to(person),
            "form": form,
            "may_edit": may_edit,
        },
    )


def _items(document: PolicyDocument, data: dict):
    items = PolicyItem.objects.filter(document=document).prefetch_related("mappings")
    if text := (data.get("q") or "").strip():
        items = items.filter(
            Q(number__icontains=text)
            | Q(title__icontains=text)
            | Q(text__icontains=text)
            | Q(mappings__clause_id__icontains=text)
        ).distinct()
    if strength := data.get("strength"):
        items = items.filter(strength=strength)
    if rulebook := data.get("rulebook"):
        items = items.filter(mappings__rulebook=rulebook).distinct()
    return items.order_by(*SORTS.get(data.get("sort") or "number", SORTS["number"]))


def _refs(item: PolicyItem) -> str:
    return services_policy.format_refs([(m.rulebook, m.clause_id) for m in item.mappings.all()])


@person_required
def document(request, pk):
    doc = _document(request, pk)
    form = ItemFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page = Paginator(_items(doc, data), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    may_edit = permissions.may_edit_policy(request.person)
    return render(
        request,
        "compliance/policy_document.html",
        {
            "document": doc,
            "form": form,
            "page": page,
            "rows": [(item, _refs(item)) for item in page],
            "query": query.urlencode(),
            "may_edit": may_edit,
            "may_edit_items": may_edit and doc.state != PolicyState.RETIRED,
            "next_states": sorted(services_policy.DOCUMENT_TRANSITIONS.get(doc.state, ())),
            "state_labels": dict(PolicyState.choices),
            "rulebooks": [
                (c, RULEBOOK_LABELS[c]) for c in FILES if c in doc.organization.rulebooks
            ],
        },
    )


@person_required
def document_edit(request, pk):
    _require_edit(request)
    doc = _document(request, pk)
    initial = {
        "title": doc.title,
        "version": doc.version,
        "effective_date": doc.effective_date,
        "review_date": doc.review_date,
    }
    form = DocumentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_policy.update_document(request.person, doc, **form.cleaned_data)
        except MamoriError as error:
            report(request, error, form)
        else:
            messages.success(request, _("対策基準を更新しました。"))
            return redirect("compliance:policy_document", doc.pk)
    return render(request, "compliance/policy_document_edit.html", {"document": doc, "form": form})


@person_required
@require_POST
def document_state(request, pk):
    _require_edit(request)
    doc = _document(request, pk)
    try:
        services_policy.set_document_state(request.person, doc, request.POST.get("state", ""))
    except MamoriError as error:
        report(request, error)
    else:
        messages.success(request, _("状態を変更しました。"))
    return redirect("compliance:policy_document", doc.pk)


@person_required
def item_edit(request, pk, item_pk=None):
    _require_edit(request)
    doc = _document(request, pk)
    item = get_object_or_404(PolicyItem, pk=item_pk, document=doc) if item_pk else None
    initial = {}
    if item is not None:
        initial = {
            "number": item.number,
            "title": item.title,
            "text": item.text,
            "requirements": _refs(item),
            "strength": item.strength,
            "weaker_reason": item.weaker_reason,
        }
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_policy.save_item(request.person, doc, item=item, **form.cleaned_data)
        except MamoriError as error:
            for problem in error.details.get("errors", [str(error.message)]):
                form.add_error(None, problem)
        else:
            messages.success(request, _("項目を保存しました。"))
            return redirect("compliance:policy_document", doc.pk)
    return render(
        request, "compliance/policy_item_edit.html", {"document": doc, "item": item, "form": form}
    )


@person_required
@require_POST
def item_delete(request, pk, item_pk):
    _require_edit(request)
    doc = _document(request, pk)
    item = get_object_or_404(PolicyItem, pk=item_pk, document=doc)
    try:
        services_policy.delete_item(request.person, item)
    except MamoriError as error:
        report(request, error)
    else:
        messages.success(request, _("項目を削除しました。"))
    return redirect("compliance:policy_document", doc.pk)


@person_required
def item_import(request, pk):
    _require_edit(request)
    doc = _document(request, pk)
    form = ItemImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            name, data = imports.read_upload(
                form.cleaned_data["file"], services_policy.ITEM_IMPORT_TYPES
            )
            counts = services_policy.import_items(request.person, doc, name, data)
        except imports.ImportRejected as error:
            errors = error.errors
            form.add_error(None, str(error.message))
        except MamoriError as error:
            report(request, error, form)
        else:
            messages.success(
                request,
                _("項目を取り込みました（追加 %(added)d件、更新 %(updated)d件）。") % counts,
            )
            return redirect("compliance:policy_document", doc.pk)
    return render(
        request,
        "compliance/policy_item_import.html",
        {"document": doc, "form": form, "errors": errors},
    )


@person_required
def items_csv(request, pk):
    doc = _document(request, pk)
    form = ItemFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = (
        [
            item.number,
            item.title,
            item.text,
            _refs(item),
            item.get_strength_display(),
            item.weaker_reason,
        ]
        for item in _items(doc, data)
    )
    header = [
        _("項番"),
        _("見出し"),
        _("本文"),
        _("対応する遵守事項"),
        _("遵守事項との関係"),
        _("緩和の理由"),
    ]
    return csv_response(f"policy-{doc.pk}.csv", header, rows)


@person_required
def coverage_view(request, pk):
    doc = _document(request, pk)
    reports = coverage.coverage(doc)
    return render(
        request,
        "compliance/policy_coverage.html",
        {
            "document": doc,
            "reports": reports,
            "labels": RULEBOOK_LABELS,
            "catalog_url": reverse("compliance:catalog"),
        },
    )


def profile_json(document: PolicyDocument, rulebook: str, catalog_href: str) -> dict:
    """The 対策基準 as an OSCAL profile over one rulebook's effective catalog."""
    catalog = catalogs.effective_catalog(rulebook)
    texts: dict[str, list[str]] = {}
    items = PolicyItem.objects.filter(document=document).prefetch_related("mappings")
    for item in items.order_by("sort_key", "id"):
        for mapping in item.mappings.all():
            if mapping.rulebook != rulebook or mapping.clause_id not in catalog:
                continue
            if catalog.get(mapping.clause_id).kind in RULEBOOKS[rulebook].group_kinds:
                continue
            heading = f"{item.number} {item.title}".strip()
            texts.setdefault(mapping.clause_id, []).append(f"{heading}: {item.text}")
    if not texts:
        raise Http404(_("この規程の遵守事項に対応する項目がありません。"))
    return profile_to_oscal(
        catalog,
        {clause: "\n\n".join(parts) for clause, parts in texts.items()},
        catalog_href=catalog_href,
        title=str(document),
        version=document.version,
    )


@person_required
def profile_oscal(request, pk):
    doc = _document(request, pk)
    code = request.GET.get("rulebook") or "toitsu"
    if code not in FILES:
        raise Http404
    href = request.build_absolute_uri(reverse("compliance:catalog_oscal") + f"?rulebook={code}")
    data = profile_json(doc, code, href)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="oscal-profile-{doc.pk}-{code}.json"'
    return response
