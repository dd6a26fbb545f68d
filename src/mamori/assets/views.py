"""Register pages. Every change goes through assets.services."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views.decorators.http import require_POST

from mamori.assets import importer, publication, scan_views, services
from mamori.assets.forms import AssetForm, DisposeForm, FilterForm, ImportForm, ProvideForm
from mamori.assets.models import AssetState, InformationAsset
from mamori.assets.scan_forms import PublishForm
from mamori.errors import InvalidInput, MamoriError
from mamori.rules import classification
from mamori.trail.models import Event
from mamori.web.access import person_required, report
from mamori.web.export import csv_response

PAGE_SIZE = 25
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HISTORY_LABELS = {
    "assets.asset.created": pgettext_lazy("history", "登録"),
    "assets.asset.updated": pgettext_lazy("history", "変更"),
    "assets.asset.published": pgettext_lazy("history", "公表"),
    "assets.asset.publish_refused": pgettext_lazy("history", "公表の拒否（ファイルの確認）"),
    "assets.asset.provided": pgettext_lazy("history", "提供"),
    "assets.asset.disposed": pgettext_lazy("history", "廃棄"),
    "assets.asset.imported": pgettext_lazy("history", "取込み"),
}


def _visible(person):
    return InformationAsset.objects.visible_to(person).select_related("unit", "decider", "system")


def _filtered(request):
    form = FilterForm(request.GET or None, person=request.person)
    return form, form.apply(_visible(request.person))


def _show_errors(request, error: MamoriError, form) -> None:
    """Every field a service names, on its field; the rest at the top of the form."""
    named = [key for key in error.details if key in form.fields]
    if not named or not isinstance(error.details.get(named[0]), str):
        report(request, error, form)
        return
    for key in named:
        form.add_error(key, str(error.details[key]))


@person_required
def asset_list(request):
    form, queryset = _filtered(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "assets/list.html", {"form": form, "page": page, "query": query.urlencode()}
    )


def _export_rows(queryset):
    for asset in queryset.prefetch_related("sources").iterator(chunk_size=500):
        yield importer.export_row(asset)


@person_required
def asset_export(request):
    _form, queryset = _filtered(request)
    return csv_response("assets.csv", importer.header(), _export_rows(queryset))


@person_required
def asset_export_xlsx(request):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    _form, queryset = _filtered(request)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("情報資産台帳")[:31])
    sheet.append(importer.header())
    for row in _export_rows(queryset):
        cells = []
        for value in row:
            if isinstance(value, str) and value.startswith("="):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # text, never a formula
                value = cell
            cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="assets.xlsx"'
    return response


def inheritance_message(inherited: dict) -> str:
    """What the user is told after a save that inherited from sources."""
    parts = []
    if inherited["confidentiality"] != inherited["confidentiality_from"]:
        parts.append(
            str(gettext_lazy("機密性を%(old)dから%(new)dに引き上げました"))
            % {"old": inherited["confidentiality_from"], "new": inherited["confidentiality"]}
        )
    if inherited["restrictions_added"]:
        parts.append(
            str(gettext_lazy("取扱制限「%(list)s」を引き継ぎました"))
            % {"list": pgettext("list separator", "・").join(inherited["restrictions_added"])}
        )
    return str(
        gettext_lazy(
            "作成元の情報から%(what)s（%(clause)s）。下げる必要があると考えるときは、"
            "決定者等に見直しを依頼してください（%(review)s）。"
        )
    ) % {
        "what": pgettext("clause separator", "、").join(parts),
        "clause": inherited["citation"],
        "review": inherited["review_citation"],
    }


def _saved(request, asset: InformationAsset, text: str):
    messages.success(request, text)
    if getattr(asset, "inherited", None):
        messages.info(request, inheritance_message(asset.inherited))
    return redirect("assets:detail", asset.pk)


@person_required
def asset_new(request):
    form = AssetForm(request.POST or None, person=request.person)
    if request.method == "POST" and form.is_valid():
        try:
            asset = services.create(request.person, **form.service_fields())
        except MamoriError as error:
            _show_errors(request, error, form)
        else:
            return _saved(request, asset, _("情報資産を登録しました。"))
    return render(
        request,
        "assets/form.html",
        {"form": form, "inheritance_clause": classification.INHERITANCE_CLAUSE},
    )


@person_required
def asset_edit(request, pk):
    asset = get_object_or_404(_visible(request.person), pk=pk)
    if not services.can_edit(request.person, asset):
        raise PermissionDenied(_("この情報資産を変更する権限がありません。"))
    if asset.state == AssetState.DISPOSED:
        messages.error(request, _("廃棄済の情報資産は変更できません。"))
        return redirect("assets:detail", pk)
    form = AssetForm(
        request.POST or None,
        person=request.person,
        asset=asset,
        initial=AssetForm.initial_for(asset),
    )
    if request.method == "POST" and form.is_valid():
        try:
            asset = services.update(asset, request.person, **form.service_fields())
        except MamoriError as error:
            _show_errors(request, error, form)
        else:
            text = (
                _("情報資産を更新しました。")
                if asset.changed_fields
                else _("変更はありませんでした。")
            )
            return _saved(request, asset, text)
    return render(
        request,
        "assets/form.html",
        {"form": form, "object": asset, "inheritance_clause": classification.INHERITANCE_CLAUSE},
    )


def _history(asset: InformationAsset) -> list[dict]:
    """The asset's trail events, with the changed fields named."""
    labels = {
        name: InformationAsset._meta.get_field(name).verbose_name
        for name in services.EDITABLE_FIELDS
    }
    events = Event.objects.filter(
        object_type="assets.informationasset", object_id=str(asset.pk)
    ).order_by("seq")
    history = []
    for event in events:
        data = event.data
        history.append(
            {
                "at": event.at,
                "actor": event.actor_label,
                "label": HISTORY_LABELS.get(event.action, event.action),
                "fields": [labels.get(k, k) for k in (data.get("changes") or {})],
                "inherited": bool(data.get("inherited")),
                "note": data.get("recipient") or data.get("method") or "",
            }
        )
    return history


@person_required
def asset_detail(request, pk):
    asset = get_object_or_404(_visible(request.person), pk=pk)
    editable = services.can_edit(request.person, asset)
    targets = services.allowed_targets(asset) if editable else frozenset()
    english = (request.LANGUAGE_CODE or "ja").startswith("en")
    return render(
        request,
        "assets/detail.html",
        {
            "object": asset,
            "categories": [
                classification.CATEGORIES[c][1 if english else 0] for c in asset.categories
            ],
            "restrictions": [
                (
                    classification.restriction_vocabulary()[r.code].format(r.detail),
                    classification.restriction_vocabulary()[r.code].label(request.LANGUAGE_CODE),
                )
                for r in asset.restriction_list
            ],
            "types": [
                importer.TYPES[t][1 if english else 0] for t in asset.types if t in importer.TYPES
            ],
            "sources": InformationAsset.objects.visible_to(request.person).filter(derived=asset),
            "derived": InformationAsset.objects.visible_to(request.person).filter(sources=asset),
            "disposal_label": services.disposal_label(asset.disposal_method),
            "editable": editable and asset.state != AssetState.DISPOSED,
            "can_publish": AssetState.PUBLISHED in targets,
            "can_provide": AssetState.PROVIDED in targets,
            "can_dispose": AssetState.DISPOSED in targets,
            "provide_form": ProvideForm(),
            "publish_form": PublishForm(),
            "history": _history(asset),
            "inheritance_clause": classification.INHERITANCE_CLAUSE,
        },
    )


@require_POST
@person_required
def asset_state(request, pk):
    """公表済 or 提供済, from the buttons on the detail page."""
    asset = get_object_or_404(_visible(request.person), pk=pk)
    action = request.POST.get("action", "")
    try:
        if action == "publish":
            form = PublishForm(request.POST, request.FILES)
            files = form.cleaned_data["files"] if form.is_valid() else []
            publication.mark_published(asset, request.person, files)
            messages.success(request, _("公表するファイルを確認し、公表済にしました。"))
        elif action == "provide":
            form = ProvideForm(request.POST)
            recipient = form.cleaned_data["recipient"] if form.is_valid() else ""
            services.mark_provided(asset, request.person, recipient)
            messages.success(request, _("提供済にしました。"))
        else:
            messages.error(request, _("操作の指定が正しくありません。"))
    except publication.PublicationBlocked as blocked:
        # Show what was found where, so the person can fix the file and try again.
        return render(
            request,
            "assets/scan_publish_refused.html",
            {"object": asset, **scan_views.answer_context(blocked.check)},
        )
    except MamoriError as error:
        report(request, error)
        citation = error.details.get("citation")
        if citation and citation not in str(error.message):
            messages.info(request, _("根拠: %(citation)s") % {"citation": citation})
    return redirect("assets:detail", pk)


@person_required
def asset_dispose(request, pk):
    asset = get_object_or_404(_visible(request.person), pk=pk)
    if not services.can_edit(request.person, asset):
        raise PermissionDenied(_("この情報資産を変更する権限がありません。"))
    form = DisposeForm(request.POST or None, asset=asset)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.dispose(asset, request.person, data["method"], data["certificate"], data["on"])
        except MamoriError as error:
            report(request, error, form)
        else:
            messages.success(request, _("廃棄済にしました。"))
            return redirect("assets:detail", pk)
    return render(
        request,
        "assets/dispose.html",
        {
            "object": asset,
            "form": form,
            "confidential": "confidential" in asset.categories,
            "clause": services.ERASE_CLAUSE
            if asset.medium == "electronic"
            else services.SHRED_CLAUSE,
            "today": timezone.localdate(),
        },
    )


@person_required
def asset_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = importer.import_assets(request.person, form.cleaned_data["file"])
        except InvalidInput as error:
            report(request, error, form)
        else:
            if result.errors:
                messages.error(
                    request,
                    _("誤りのある行があるため、何も取り込みませんでした。"),
                )
            else:
                messages.success(
                    request,
                    _("%(rows)d行を取り込みました（新規 %(created)d件、更新 %(updated)d件）。")
                    % {
                        "rows": result.rows,
                        "created": len(result.created),
                        "updated": len(result.updated),
                    },
                )
    return render(
        request,
        "assets/import.html",
        {
            "form": form,
            "result": result,
            "bad_rows": len({e.row for e in result.errors}) if result else 0,
            "columns": importer.header(),
            "limit_mb": _limit_mb(),
        },
    )


def _limit_mb() -> int:
    return settings.UPLOAD_MAX_BYTES // (1024 * 1024)
