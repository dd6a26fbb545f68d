"""The 対策基準: documents and their items mapped to requirements, created, edited and
imported from Excel (all or nothing). One function per state change, with its trail event.

統一基準(H30) 2.1.2(1)(a): the CISO sets a 対策基準 that conforms to the 統一基準."""

from __future__ import annotations

import re
from io import BytesIO

from django.db import transaction
from django.utils.translation import gettext as _

from mamori.compliance import catalogs, permissions
from mamori.compliance.imports import ImportRejected, checked_name
from mamori.compliance.models import (
    PolicyDocument,
    PolicyItem,
    PolicyMapping,
    PolicyState,
    Strength,
)
from mamori.errors import Forbidden, InvalidInput, InvalidTransition
from mamori.rules.requirements import FILES, RULEBOOKS
from mamori.trail.services import record

DOCUMENT_TRANSITIONS = {
    PolicyState.DRAFT: frozenset({PolicyState.IN_FORCE, PolicyState.RETIRED}),
    PolicyState.IN_FORCE: frozenset({PolicyState.RETIRED}),
    PolicyState.RETIRED: frozenset(),
}
# Excel columns of an item import (Japanese header or the English field name).
COLUMNS = {
    "項番": "number",
    "number": "number",
    "見出し": "title",
    "title": "title",
    "本文": "text",
    "text": "text",
    "対応する遵守事項": "requirements",
    "requirements": "requirements",
    "遵守事項との関係": "strength",
    "strength": "strength",
    "緩和の理由": "weaker_reason",
    "weaker_reason": "weaker_reason",
}
STRENGTH_WORDS = {
    "同等": Strength.EQUIVALENT,
    "equivalent": Strength.EQUIVALENT,
    "": Strength.EQUIVALENT,
    "より厳格": Strength.STRICTER,
    "厳格": Strength.STRICTER,
    "stricter": Strength.STRICTER,
    "緩和": Strength.WEAKER,
    "緩和（理由あり）": Strength.WEAKER,
    "weaker": Strength.WEAKER,
}
MAX_ROWS = 5000
ITEM_IMPORT_TYPES = ("xlsx",)


def _check_edit(person, document: PolicyDocument | None = None) -> None:
    if not permissions.may_edit_policy(person):
        raise Forbidden(_("対策基準を編集する権限がありません。"))
    if document is not None and document.organization_id != person.organization_id:
        raise Forbidden(_("対策基準を編集する権限がありません。"))


def _check_items_editable(person, document: PolicyDocument) -> None:
    """A retired 対策基準 is a record of what applied: its items no longer change."""
    _check_edit(person, document)
    if document.state == PolicyState.RETIRED:
        raise InvalidTransition(_("廃止した対策基準の項目は変更できません。"))


def _trail(action: str, person, obj, data: dict) -> None:
    record(action, actor=person.user, obj=obj, data=data, organization_id=person.organization_id)


def sort_key(number: str) -> str:
    """「2.10」 after 「2.9」: numbers padded, the rest kept."""
    return re.sub(r"\d+", lambda m: m.group(0).zfill(6), number)[:120]


# --- requirement references -----------------------------------------------------------


def parse_refs(value: str) -> tuple[list[tuple[str, str]], list[str]]:
    """「2.1.1(2)(a), mod:第8(6)、第32条第2項」 → [(rulebook, clause)], and the errors.
    A clause without a rulebook prefix belongs to the rulebook whose numbering it matches."""
    refs: list[tuple[str, str]] = []
    errors: list[str] = []
    for token in (t for t in re.split(r"[,、;；\s]+", value or "") if t):
        rulebook, _sep, clause = token.rpartition(":")
        if rulebook and rulebook not in FILES:
            errors.append(_("「%(ref)s」: 不明な規程です。") % {"ref": token})
            continue
        if not rulebook:
            rulebook = next(
                (
                    code
                    for code, book in RULEBOOKS.items()
                    if any(p.fullmatch(clause) for p in book.kinds.values())
                ),
                "",
            )
        if not rulebook:
            errors.append(_("「%(ref)s」: 遵守事項の番号として読めません。") % {"ref": token})
            continue
        if (rulebook, clause) not in refs:
            refs.append((rulebook, clause))
    return refs, errors


def check_refs(refs: list[tuple[str, str]]) -> list[str]:
    """Each reference names a clause (not a heading) of the effective catalog."""
    errors: list[str] = []
    for rulebook, clause in refs:
        catalog = catalogs.effective_catalog(rulebook)
        if clause not in catalog:
            errors.append(
                _("「%(ref)s」: %(book)s にない番号です。") % {"ref": clause, "book": catalog.title}
            )
        elif catalog.get(clause).kind in RULEBOOKS[rulebook].group_kinds:
            errors.append(
                _("「%(ref)s」: 見出しではなく遵守事項を指定してください。") % {"ref": clause}
            )
    return errors


def format_refs(refs: list[tuple[str, str]]) -> str:
    return ", ".join(clause if code == "toitsu" else f"{code}:{clause}" for code, clause in refs)


# --- documents ------------------------------------------------------------------------


def create_document(
    person, *, title: str, version: str, effective_date=None, review_date=None
) -> PolicyDocument:
    _check_edit(person)
    title, version = title.strip(), version.strip()
    if not title or not version:
        raise InvalidInput(_("名称と版を入力してください。"), details={"title": title})
    if PolicyDocument.objects.filter(
        organization_id=person.organization_id, title=title, version=version
    ).exists():
        raise InvalidInput(
            _("同じ名称と版の対策基準が既にあります。"), details={"version": version}
        )
    with transaction.atomic():
        document = PolicyDocument.objects.create(
            organization_id=person.organization_id,
            title=title,
            version=version,
            effective_date=effective_date,
            review_date=review_date,
        )
        _trail("compliance.policy.created", person, document, {"title": title, "version": version})
    return document


def update_document(
    person, document: PolicyDocument, *, title: str, version: str, effective_date, review_date
) -> PolicyDocument:
    _check_edit(person, document)
    title, version = title.strip(), version.strip()
    if not title or not version:
        raise InvalidInput(_("名称と版を入力してください。"), details={"title": title})
    clash = PolicyDocument.objects.filter(
        organization_id=document.organization_id, title=title, version=version
    ).exclude(pk=document.pk)
    if clash.exists():
        raise InvalidInput(
            _("同じ名称と版の対策基準が既にあります。"), details={"version": version}
        )
    with transaction.atomic():
        document.title, document.version = title, version
        document.effective_date, document.review_date = effective_date, review_date
        document.save()
        _trail(
            "compliance.policy.updated",
            person,
            document,
            {
                "title": title,
                "version": version,
                "effective_date": str(effective_date or ""),
                "review_date": str(review_date or ""),
            },
        )
    return document


def set_document_state(person, document: PolicyDocument, target: str) -> PolicyDocument:
    _check_edit(person, document)
    if target not in DOCUMENT_TRANSITIONS.get(document.state, frozenset()):
        raise InvalidTransition(
            _("「%(current)s」から「%(target)s」には変更できません。")
            % {
                "current": PolicyState(document.state).label,
                "target": PolicyState(target).label if target in PolicyState.values else target,
            }
        )
    with transaction.atomic():
        if target == PolicyState.IN_FORCE:
            # One 対策基準 of the same name is in force at a time: the older version retires.
            for older in PolicyDocument.objects.filter(
                organization_id=document.organization_id,
                title=document.title,
                state=PolicyState.IN_FORCE,
            ).exclude(pk=document.pk):
                older.state = PolicyState.RETIRED
                older.save(update_fields=["state", "updated"])
                _trail("compliance.policy.retired", person, older, {"replaced_by": document.pk})
        previous = document.state
        document.state = target
        document.save(update_fields=["state", "updated"])
        _trail(
            "compliance.policy.state_changed",
            person,
            document,
            {"from": previous, "to": target},
        )
    return document


# --- items ----------------------------------------------------------------------------


def _clean_item(
    number: str, title: str, text: str, strength: str, weaker_reason: str, refs_text: str
) -> tuple[dict, list[tuple[str, str]], list[str]]:
    errors: list[str] = []
    number, title, text = (number or "").strip(), (title or "").strip(), (text or "").strip()
    weaker_reason = (weaker_reason or "").strip()
    if not number:
        errors.append(_("項番を入力してください。"))
    elif len(number) > 40:
        errors.append(_("項番は40文字以内です。"))
    if len(title) > 200:
        errors.append(_("見出しは200文字以内です。"))
    if not text:
        errors.append(_("本文を入力してください。"))
    if strength not in Strength.values:
        errors.append(_("遵守事項との関係が不明です。"))
    if strength == Strength.WEAKER and not weaker_reason:
        errors.append(_("緩和する場合は理由を記入してください。"))
    refs, ref_errors = parse_refs(refs_text)
    errors += ref_errors
    errors += check_refs(refs)
    values = {
        "number": number,
        "title": title,
        "text": text,
        "strength": strength,
        "weaker_reason": weaker_reason if strength == Strength.WEAKER else "",
    }
    return values, refs, errors


def _write_item(document, item: PolicyItem | None, values: dict, refs) -> PolicyItem:
    if item is None:
        item = PolicyItem(document=document)
    for name, value in values.items():
        setattr(item, name, value)
    item.sort_key = sort_key(item.number)
    item.save()
    item.mappings.all().delete()
    PolicyMapping.objects.bulk_create(
        PolicyMapping(item=item, rulebook=code, clause_id=clause) for code, clause in refs
    )
    return item


def save_item(
    person,
    document: PolicyDocument,
    *,
    item: PolicyItem | None = None,
    number: str,
    title: str,
    text: str,
    strength: str,
    weaker_reason: str = "",
    requirements: str = "",
) -> PolicyItem:
    """Create (item=None) or edit one item; `requirements` as in parse_refs."""
    _check_items_editable(person, document)
    if item is not None and item.document_id != document.pk:
        raise InvalidInput(_("項目がこの対策基準のものではありません。"))
    values, refs, errors = _clean_item(number, title, text, strength, weaker_reason, requirements)
    clash = PolicyItem.objects.filter(document=document, number=values["number"])
    if item is not None:
        clash = clash.exclude(pk=item.pk)
    if values["number"] and clash.exists():
        errors.append(_("項番「%(number)s」は既にあります。") % {"number": values["number"]})
    if errors:
        raise InvalidInput(" ".join(errors), details={"errors": errors})
    created = item is None
    with transaction.atomic():
        item = _write_item(document, item, values, refs)
        _trail(
            "compliance.policy_item.created" if created else "compliance.policy_item.updated",
            person,
            item,
            {
                "document": document.pk,
                "number": item.number,
                "strength": item.strength,
                "requirements": [f"{code}:{clause}" for code, clause in refs],
            },
        )
    return item


def delete_item(person, item: PolicyItem) -> None:
    _check_items_editable(person, item.document)
    with transaction.atomic():
        _trail(
            "compliance.policy_item.deleted",
            person,
            item.document,
            {"item": item.pk, "number": item.number},
        )
        item.delete()


# One refusal for every import of this app (the pages catch it by either name).
ItemImportRejected = ImportRejected


def _read_item_rows(data: bytes, name: str) -> tuple[list[tuple[str, dict]], list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        return [], [
            _("%(file)s: .xlsx として読めません（%(kind)s）。")
            % {"file": name, "kind": type(exc).__name__}
        ]
    rows: list[tuple[str, dict]] = []
    errors: list[str] = []
    try:
        for sheet in book.worksheets:
            cells = sheet.iter_rows(values_only=True)
            header = next(cells, None)
            if header is None:
                continue
            names = [str(c).strip() if c is not None else "" for c in header]
            unknown = [n for n in names if n and n.lower() not in COLUMNS and n not in COLUMNS]
            fields = [COLUMNS.get(n, COLUMNS.get(n.lower(), "")) for n in names]
            if unknown or "number" not in fields or "text" not in fields:
                problem = (
                    _("不明な列 %(cols)s") % {"cols": "、".join(unknown)}
                    if unknown
                    else _("「項番」と「本文」の列が必要です")
                )
                errors.append(f"{sheet.title}!1: {problem}")
                continue
            for number, row in enumerate(cells, start=2):
                if number > MAX_ROWS + 1:
                    errors.append(
                        _("%(place)s: 行が多すぎます。") % {"place": f"{sheet.title}!{number}"}
                    )
                    break
                raw = {
                    fields[i]: str(value).strip()
                    for i, value in enumerate(row)
                    if i < len(fields) and fields[i] and value is not None
                }
                if any(raw.values()):
                    rows.append((f"{sheet.title}!{number}", raw))
    finally:
        book.close()
    return rows, errors


def import_items(person, document: PolicyDocument, name: str, data: bytes) -> dict[str, int]:
    """Items from an Excel sheet (項番, 見出し, 本文, 対応する遵守事項, 遵守事項との関係,
    緩和の理由): new numbers are added, existing numbers updated. Any bad row: nothing
    changes, ItemImportRejected lists every error as 「シート!行」."""
    _check_items_editable(person, document)
    name = checked_name(name, len(data), ITEM_IMPORT_TYPES)
    rows, errors = _read_item_rows(data, name)
    cleaned: list[tuple[dict, list]] = []
    seen: dict[str, str] = {}
    for place, raw in rows:
        strength = STRENGTH_WORDS.get(raw.get("strength", "").lower(), raw.get("strength", ""))
        values, refs, problems = _clean_item(
            raw.get("number", ""),
            raw.get("title", ""),
            raw.get("text", ""),
            strength,
            raw.get("weaker_reason", ""),
            raw.get("requirements", ""),
        )
        number = values["number"]
        if number and number in seen:
            problems.append(
                _("項番「%(number)s」が重複しています（%(first)s）。")
                % {"number": number, "first": seen[number]}
            )
        seen.setdefault(number, place)
        errors += [f"{place}: {problem}" for problem in problems]
        cleaned.append((values, refs))
    if not rows and not errors:
        errors.append(_("%(file)s: 項目がありません。") % {"file": name})
    if errors:
        raise ItemImportRejected(errors)
    existing = {item.number: item for item in document.items.all()}
    counts = {"added": 0, "updated": 0}
    with transaction.atomic():
        for values, refs in cleaned:
            item = existing.get(values["number"])
            counts["updated" if item else "added"] += 1
            _write_item(document, item, values, refs)
        _trail(
            "compliance.policy_item.imported",
            person,
            document,
            {"file": name, **counts},
        )
    return counts
