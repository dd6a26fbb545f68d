"""The register as a table: the columns of the CSV and Excel export, and the import.

An import reads the same columns. A row with an empty 番号 registers a new asset; a row
with a 番号 updates that asset. Derived columns (表示, 区分, 状態, 廃棄…, 更新日時) are
written on export and ignored on import: state changes have their own services.

Every row is checked first. If any row is bad nothing is imported, and every bad row is
reported with its row number, column and message; otherwise every row is saved in one
transaction, each through services.create / services.update (one trail event each).
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from mamori.assets import services
from mamori.assets.models import AssetState, InformationAsset, MarkingMethod, Medium
from mamori.errors import InvalidInput, MamoriError
from mamori.org.models import OrgUnit, Person
from mamori.rules import classification
from mamori.rules.handling_rules.base import TYPES
from mamori.systems.models import InformationSystem

MAX_ROWS = 10_000

# key, header; keys in READ_ONLY are exported but never read back.
COLUMNS = (
    ("reference", _("番号")),
    ("title", _("名称")),
    ("description", _("説明")),
    ("unit", _("所管部署")),
    ("decider", _("決定者（メールアドレス）")),
    ("confidentiality", _("機密性")),
    ("integrity", _("完全性")),
    ("availability", _("可用性")),
    ("restrictions", _("取扱制限")),
    ("marking", _("表示")),
    ("categories", _("区分")),
    ("types", _("情報の種類")),
    ("marking_method", _("表示方法")),
    ("medium", _("媒体")),
    ("system", _("情報システム")),
    ("place", _("保管場所")),
    ("retention_until", _("保存期限")),
    ("sources", _("作成元")),
    ("state", _("状態")),
    ("disposal_method", _("廃棄方法")),
    ("disposal_certificate", _("廃棄証明書")),
    ("disposed_at", _("廃棄日")),
    ("updated_at", _("更新日時")),
)
READ_ONLY = frozenset(
    {"marking", "categories", "state", "disposal_method", "disposal_certificate"}
    | {"disposed_at", "updated_at"}
)
_REFERENCE = re.compile(r"^\s*A-?0*(\d+)\s*$", re.IGNORECASE)
_LIST_SPLIT = re.compile(r"[、,，\s]+")


def header() -> list[str]:
    return [str(label) for _key, label in COLUMNS]


def _category_words(asset: InformationAsset) -> str:
    return "・".join(classification.CATEGORIES[c][0] for c in asset.categories)


def export_row(asset: InformationAsset) -> list:
    """One asset as a row; `sources` must be prefetched, unit/decider/system selected."""
    vocabulary = classification.restriction_vocabulary()
    return [
        asset.reference,
        asset.title,
        asset.description,
        asset.unit.code,
        asset.decider.email if asset.decider else "",
        asset.confidentiality,
        asset.integrity,
        asset.availability,
        "・".join(vocabulary[r.code].format(r.detail) for r in asset.restriction_list),
        asset.marking,
        _category_words(asset),
        "、".join(TYPES[t][0] for t in asset.types if t in TYPES),
        asset.get_marking_method_display(),
        asset.get_medium_display(),
        asset.system.code if asset.system else "",
        asset.place,
        asset.retention_until.isoformat() if asset.retention_until else "",
        " ".join(s.reference for s in asset.sources.all()),
        asset.get_state_display(),
        services.disposal_label(asset.disposal_method) if asset.disposal_method else "",
        asset.disposal_certificate,
        asset.disposed_at.isoformat() if asset.disposed_at else "",
        timezone.localtime(asset.updated_at).strftime("%Y-%m-%d %H:%M"),
    ]


# --- reading a file -------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    rows: int = 0
    created: list[InformationAsset] = field(default_factory=list)
    updated: list[InformationAsset] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    # Undo the CSV export's guard against formulas (a leading apostrophe).
    if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
        text = text[1:]
    return text


def read_table(upload) -> list[list[str]]:
    """The rows of an uploaded .csv (UTF-8, with or without BOM, or Shift_JIS) or .xlsx
    (first sheet), header first. Raises InvalidInput for anything else."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise InvalidInput(
            _("ファイルが大きすぎます（上限 %(limit)d MB）。")
            % {"limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024)},
            code="file_too_large",
            details={"file": "too_large"},
        )
    name = (upload.name or "").lower()
    content = upload.read()
    if name.endswith(".xlsx"):
        rows = _read_xlsx(content)
    elif name.endswith(".csv"):
        rows = _read_csv(content)
    else:
        raise InvalidInput(
            _("CSV（.csv）又はExcel（.xlsx）のファイルを選んでください。"),
            details={"file": "type"},
        )
    rows = [row for row in rows if any(row)]
    if not rows:
        raise InvalidInput(_("ファイルに行がありません。"), details={"file": "empty"})
    if len(rows) - 1 > MAX_ROWS:
        raise InvalidInput(
            _("一度に取り込めるのは%(max)d行までです。") % {"max": MAX_ROWS},
            details={"file": "too_many_rows"},
        )
    return rows


def _read_csv(content: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InvalidInput(
            _("文字コードを読み取れません（UTF-8 又は Shift_JIS で保存してください）。"),
            details={"file": "encoding"},
        )
    try:
        return [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text))]
    except csv.Error as error:
        raise InvalidInput(
            _("CSVの形式が正しくありません: %(error)s") % {"error": error},
            details={"file": "csv"},
        ) from None


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise InvalidInput(
            _("Excelファイルを読み取れません（.xlsx 形式で保存してください）。"),
            details={"file": "xlsx"},
        ) from None
    try:
        sheet = workbook.worksheets[0]
        # Stop just past the row limit: a small file may unpack to a huge sheet.
        rows = itertools.islice(sheet.iter_rows(values_only=True), MAX_ROWS + 2)
        return [[_cell(v) for v in row] for row in rows]
    finally:
        workbook.close()


# --- turning rows into service calls ---------------------------------------------------------


def _header_keys(row: list[str]) -> tuple[dict[int, str], list[RowError]]:
    """Which column holds which key: headers in Japanese, English or as the keys."""
    names: dict[str, str] = {}
    for key, label in COLUMNS:
        names[key] = key
        for language in ("ja", "en"):
            with translation.override(language):
                names[str(label).strip().lower()] = key
    positions: dict[int, str] = {}
    errors = []
    for index, text in enumerate(row):
        key = names.get(text.strip().lower())
        if key is None:
            if text.strip():
                errors.append(RowError(1, text, str(_("不明な列です。"))))
            continue
        positions[index] = key
    if "title" not in positions.values():
        errors.append(RowError(1, str(_("名称")), str(_("必須の列がありません。"))))
    return positions, errors


class _Lookup:
    """The organisation's units, people and systems, fetched once per import."""

    def __init__(self, person) -> None:
        org = person.organization_id
        self.units = list(OrgUnit.objects.filter(organization_id=org))
        self.people = list(Person.objects.filter(organization_id=org, active=True))
        self.systems = list(InformationSystem.objects.filter(organization_id=org))

    @staticmethod
    def one(candidates, text: str, *attributes: str):
        for attribute in attributes:
            found = [
                c for c in candidates if str(getattr(c, attribute, "")).lower() == text.lower()
            ]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise ValueError(_("同じ名前のものが複数あります。コードで指定してください。"))
        raise ValueError(_("見つかりません。"))


def _choice(choices, text: str) -> str:
    for value, label in choices.choices:
        if text == value:
            return value
        for language in ("ja", "en"):
            with translation.override(language):
                if text == str(label):
                    return value
    raise ValueError(_("選択肢のいずれかを指定してください。"))


def _types(text: str) -> list[str]:
    found = []
    for word in (w for w in re.split(r"[、,，]+", text) if w.strip()):
        word = word.strip()
        for code, (ja, en) in TYPES.items():
            if word in (code, ja, en):
                found.append(code)
                break
        else:
            raise ValueError(_("不明な情報の種類です: %(word)s") % {"word": word})
    return found


def _restrictions(text: str) -> list[dict]:
    try:
        marking = classification.parse_marking(text)
    except classification.MarkingError:
        raise ValueError(_("取扱制限を読み取れません（例: 人事課限り・複製禁止）。")) from None
    if marking.confidentiality or marking.integrity or marking.availability or marking.categories:
        raise ValueError(_("格付は機密性・完全性・可用性の列に書いてください。"))
    return [{"code": r.code, "detail": r.detail} for r in marking.restrictions]


def _parse_row(values: dict[str, str], lookup: _Lookup) -> tuple[dict, dict[str, str]]:
    """Row cells → keyword arguments for the services, and errors per column key."""
    fields: dict = {}
    errors: dict[str, str] = {}
    parsers = {
        "unit": lambda t: lookup.one(lookup.units, t, "code", "name", "name_en"),
        "decider": lambda t: lookup.one(lookup.people, t, "email", "employee_number"),
        "system": lambda t: lookup.one(lookup.systems, t, "code", "name", "name_en"),
        "marking_method": lambda t: _choice(MarkingMethod, t),
        "medium": lambda t: _choice(Medium, t),
        "restrictions": _restrictions,
        "types": _types,
        "sources": lambda t: [_reference(w) for w in _LIST_SPLIT.split(t) if w],
    }
    for key, text in values.items():
        if key in READ_ONLY or key == "reference":
            continue
        if key in parsers:
            if not text:
                fields[key] = [] if key in ("restrictions", "types", "sources") else None
                if key in ("marking_method", "medium"):
                    fields.pop(key)  # the default
                continue
            try:
                fields[key] = parsers[key](text)
            except ValueError as error:
                errors[key] = str(error)
        else:
            fields[key] = text
    return fields, errors


def _reference(text: str) -> int:
    match = _REFERENCE.match(text)
    if not match:
        raise ValueError(_("番号は A-000123 の形で指定してください: %(text)s") % {"text": text})
    return int(match.group(1))


def import_assets(actor, upload) -> ImportResult:
    """Check every row, then save all or nothing. Raises InvalidInput when the file
    itself cannot be read; row problems are returned in `errors`."""
    table = read_table(upload)
    positions, header_errors = _header_keys(table[0])
    result = ImportResult(rows=len(table) - 1, errors=header_errors)
    if header_errors:
        return result
    labels = dict(COLUMNS)
    lookup = _Lookup(actor)
    visible = InformationAsset.objects.visible_to(actor).select_related("unit")
    plan: list[tuple[int, InformationAsset | None, dict]] = []
    seen_references: set[int] = set()
    for number, row in enumerate(table[1:], start=2):
        values = {positions[i]: v for i, v in enumerate(row) if i in positions}
        row_errors: dict[str, str] = {}
        asset = None
        if values.get("reference"):
            try:
                pk = _reference(values["reference"])
                if pk in seen_references:
                    raise ValueError(_("同じ番号の行が複数あります。"))
                seen_references.add(pk)
                asset = visible.filter(pk=pk).first()
                if asset is None:
                    raise ValueError(_("この番号の情報資産はないか、見ることができません。"))
                if not services.can_edit(actor, asset):
                    raise ValueError(_("この情報資産を変更する権限がありません。"))
                if asset.state == AssetState.DISPOSED:
                    raise ValueError(_("廃棄済の情報資産は変更できません。"))
            except ValueError as error:
                row_errors["reference"] = str(error)
        fields, parse_errors = _parse_row(values, lookup)
        row_errors.update(parse_errors)
        if fields.get("unit", "") is None:
            fields.pop("unit")  # blank: unchanged, or the importer's own unit
        if asset is None and fields.get("decider", "") is None:
            fields.pop("decider")  # blank: the importer decides, as in the form
        checkable = {k: v for k, v in fields.items() if k not in parse_errors}
        if asset is None:
            checkable.setdefault("unit", actor.unit)
            checkable.setdefault("confidentiality", "")  # required in a new row
        try:
            services.validate(actor, checkable, asset)
        except InvalidInput as error:
            for key, message in error.details.items():
                row_errors.setdefault(key if key in labels else "restrictions", str(message))
        for key, message in row_errors.items():
            result.errors.append(RowError(number, str(labels.get(key, key)), message))
        plan.append((number, asset, fields))
    if result.errors:
        return result
    current = 0
    try:
        with transaction.atomic():
            for number, asset, fields in plan:
                current = number
                if asset is None:
                    result.created.append(services.create(actor, **fields))
                else:
                    result.updated.append(services.update(asset, actor, **fields))
    except MamoriError as error:
        column = next(iter(error.details), "")
        result.errors.append(RowError(current, str(labels.get(column, column)), str(error.message)))
        result.created, result.updated = [], []
    return result
