"""The Django side of the content scanner: take uploads, scan them in memory, decide
whether what was found stops publication or sending, and record who checked what.

Nothing uploaded here is stored. The trail keeps file names, sizes, SHA-256 digests and
counts of findings by type, never a found value nor the text of a document.

What stops publication (`publication_verdict`), with BLOCK_CONFIDENCE as the bar:
- a 機密性２/３ (or 要機密) classification marking: only 機密性１ information may be
  published (統一基準(R7) 3.1.1(5)(a));
- any personal information: mis-posting on a web site is one of the mistakes the MIC
  directive tells staff to prevent (総務省訓令 第12条の2), and an electronic record must
  not leak what it carries by accident (統一基準(R7) 3.1.1(5)(d));
- a file whose content could not be read (encrypted, corrupt, too large, a zip bomb):
  nobody can confirm that it is 機密性１. A file of a kind the scanner does not read
  (an image) is only a warning: it is shown, and the person checks it by eye.
Findings below BLOCK_CONFIDENCE (for instance a 12-digit number with a valid check digit
but no 個人番号 keyword nearby, 0.4) are shown on the check page but stop nothing: the
detectors give such weak matches a low confidence precisely because most are not what
they look like, and a bar of one half keeps every keyword-backed match blocking.
A classification marking blocks from MARKING_CONFIDENCE: the detectors give a marking
that stands on its own (a header 「機密性２」, 【要機密】) 0.8 or more, and one inside
running prose (「機密性２情報の取扱いについて」, common in published rules) 0.6; the
latter is a warning to look at, not a refusal.
A 法人番号 (corporate_number) is reported but stops nothing: it names a corporation, not a
person, and 国税庁 publishes every one of them.

Sending is stopped for the same content when an attachment goes to an address outside
the organisation's own mail domains (assets.scan_sending).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from mamori.errors import InvalidInput
from mamori.rules.refs import MIC, TOITSU_R7, cite
from mamori.scan.engine import scan_bytes
from mamori.scan.report import to_json
from mamori.scan.types import (
    FINDING_TYPES,
    PART_SEPARATOR,
    PERSONAL_TYPES,
    FileResult,
    Finding,
    Limits,
)
from mamori.trail.services import record

BLOCK_CONFIDENCE = 0.5
MARKING_CONFIDENCE = 0.7
# Personal information that stops publication or sending (see the module docstring).
BLOCKING_PERSONAL = PERSONAL_TYPES - {"corporate_number"}
MAX_FILES = 20

PUBLISH_CLAUSE = cite(TOITSU_R7, "3.1.1(5)(a)")
PROVIDE_CLAUSE = cite(TOITSU_R7, "3.1.1(5)(b)")
LEAK_CLAUSE = cite(TOITSU_R7, "3.1.1(5)(d)")
MISSEND_CLAUSE = cite(MIC, "第12条の2")

TYPE_LABELS = {
    "classification_marking": _("格付の表示"),
    "handling_marking": _("取扱制限の表示"),
    "my_number": _("個人番号（マイナンバー）"),
    "corporate_number": _("法人番号"),
    "phone": _("電話番号"),
    "postal_code": _("郵便番号"),
    "email": _("メールアドレス"),
    "address": _("住所"),
    "person_name": _("氏名"),
    "bank_account": _("口座番号"),
    "passport": _("旅券番号"),
    "drivers_license": _("運転免許証番号"),
    "residence_card": _("在留カード番号"),
    "health_insurance": _("被保険者番号"),
    "birth_date": _("生年月日"),
}

UNSCANNABLE_LABELS = {
    "encrypted": _("暗号化されているため、中身を読めません。"),
    "corrupt": _("ファイルが壊れているため、中身を読めません。"),
    "too_large": _("大きすぎるため、読みませんでした。"),
    "too_deep": _("圧縮ファイル等の入れ子が深すぎるため、読みませんでした。"),
    "expansion_ratio": _("展開後の大きさが異常なため（zip爆弾の疑い）、読みませんでした。"),
    "timeout": _("時間内に読み終わりませんでした。"),
    "unsupported": _("この形式のファイルには対応していません。目視で確認してください。"),
    "unreadable": _("ファイルを読み取れません。"),
}


class UploadTooLarge(InvalidInput):
    status = 413
    code = "upload_too_large"


def type_label(code: str) -> str:
    return str(TYPE_LABELS.get(code, code))


def unscannable_label(reason: str | None) -> str:
    return str(UNSCANNABLE_LABELS.get(reason or "", _("ファイルを読み取れません。")))


# --- uploads ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """One received file, held in memory only for the time of the check."""

    name: str
    data: bytes = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def describe(self, shown_name: str | None = None) -> dict:
        return {"name": shown_name or self.name, "size": self.size, "sha256": self.sha256}


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_name(name: str | None) -> str:
    """The file's own name, without a client's folder path or control characters."""
    base = os.path.basename((name or "").replace("\\", "/"))
    return _CONTROL.sub("", base).strip()[:200] or "file"


def limit_mb() -> int:
    return settings.UPLOAD_MAX_BYTES // (1024 * 1024)


def read_uploads(files: Sequence, *, required: bool = True) -> list[Upload]:
    """Django UploadedFiles to Uploads. The upload limit (MAMORI_UPLOAD_MAX_MB) is for
    all the files of one request together; sizes are checked before anything is read."""
    files = [f for f in files if f is not None]
    if not files:
        if required:
            raise InvalidInput(_("ファイルを選んでください。"), details={"files": "required"})
        return []
    if len(files) > MAX_FILES:
        raise InvalidInput(
            _("一度に確認できるファイルは%(max)d件までです。") % {"max": MAX_FILES},
            code="too_many_files",
            details={"files": "too_many", "count": len(files), "max": MAX_FILES},
        )
    total = sum(f.size or 0 for f in files)
    if total > settings.UPLOAD_MAX_BYTES:
        raise UploadTooLarge(
            _("ファイルが大きすぎます（合計の上限 %(limit)d MB）。") % {"limit": limit_mb()},
            details={"files": "too_large", "size": total, "limit": settings.UPLOAD_MAX_BYTES},
        )
    uploads = []
    for f in files:
        f.seek(0)
        uploads.append(Upload(clean_name(f.name), f.read()))
    return uploads


def parse_types(text: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """ "my_number,phone" (or a list of codes) to a tuple; None for every type."""
    if text is None:
        return None
    items = text.split(",") if isinstance(text, str) else list(text)
    codes = tuple(dict.fromkeys(c.strip() for c in items if c and c.strip()))
    if not codes:
        return None
    unknown = [c for c in codes if c not in FINDING_TYPES]
    if unknown:
        raise InvalidInput(
            _("不明な種類です: %(codes)s（使えるもの: %(known)s）")
            % {"codes": ", ".join(unknown), "known": ", ".join(FINDING_TYPES)},
            details={"types": unknown},
        )
    return codes


# Tighter than the command line's defaults: a page or API request must not pin hundreds
# of MB or minutes of a web worker (an archive is unpacked in memory).
WEB_LIMITS = Limits(
    max_file_bytes=20 * 1024 * 1024,
    max_expanded_bytes=100 * 1024 * 1024,
    seconds_per_file=10.0,
)


def scan_uploads(uploads: Sequence[Upload], types=None) -> list[list[FileResult]]:
    """One list of results per upload: the file itself first, then what it holds. Paths
    are shown with what was found in file names masked, like every other value."""
    out = []
    for u in uploads:
        results = scan_bytes(u.name, u.data, types=types, limits=WEB_LIMITS)
        _mask_paths(results)
        out.append(results)
    return out


def _mask_paths(results: Sequence[FileResult]) -> None:
    """Replace numbers and names found in a file's own name (the "ファイル名" part, which
    the engine puts first) by their masked form, in that file's path and in the paths of
    everything inside it ("outer.zip!inner.docx")."""
    shown: dict[str, str] = {}
    for result in results:
        raw = result.path
        name = result.text.split(PART_SEPARATOR, 1)[0] if result.text else ""
        head, tail = raw, ""
        if name and raw.endswith(name):
            head, tail = raw[: len(raw) - len(name)], name
            in_name = [f for f in result.findings if f.where == "ファイル名" and f.end <= len(name)]
            for finding in sorted(in_name, key=lambda f: -f.start):
                tail = tail[: finding.start] + finding.masked + tail[finding.end :]
        for outer in sorted(shown, key=len, reverse=True):
            if head.startswith(outer + "!"):
                head = shown[outer] + head[len(outer) :]
                break
        shown[raw] = result.path = head + tail


def flatten(runs: Sequence[Sequence[FileResult]]) -> list[FileResult]:
    return [result for results in runs for result in results]


def summary(results: Iterable[FileResult]) -> dict[str, int]:
    counts = Counter(f.type for r in results for f in r.findings)
    return {t: counts[t] for t in FINDING_TYPES if counts[t]}


# --- verdicts --------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    citations: tuple[str, ...]
    files: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "message": str(self.message),
            "citations": list(self.citations),
            "files": list(self.files),
        }


@dataclass
class Verdict:
    blocked: bool
    reasons: list[Reason]  # what blocks
    warnings: list[Reason] = field(default_factory=list)  # what the person should look at
    notes: list[str] = field(default_factory=list)  # reminders shown whatever the answer

    @property
    def citations(self) -> list[str]:
        return list(dict.fromkeys(c for r in self.reasons for c in r.citations))

    def as_dict(self) -> dict:
        return {
            "blocked": self.blocked,
            "reasons": [r.as_dict() for r in self.reasons],
            "warnings": [w.as_dict() for w in self.warnings],
            "notes": [str(n) for n in self.notes],
        }


def confident(finding: Finding) -> bool:
    bar = MARKING_CONFIDENCE if finding.type == "classification_marking" else BLOCK_CONFIDENCE
    return finding.confidence >= bar


def is_confidential_marking(finding: Finding) -> bool:
    """機密性２/３ or 要機密: information that may not be published."""
    if finding.type != "classification_marking":
        return False
    if finding.level is not None:
        return finding.level >= 2 and "機密" in (finding.label or "機密")
    return "要機密" in (finding.label or "")


@dataclass(frozen=True)
class Found:
    marking: tuple[str, ...]
    prose_marking: tuple[str, ...]
    personal: tuple[str, ...]
    personal_types: tuple[str, ...]
    handling: tuple[str, ...]
    unreadable: tuple[str, ...]
    unsupported: tuple[str, ...]


def collect(results: Sequence[FileResult]) -> Found:
    def paths(test) -> tuple[str, ...]:
        return tuple(r.path for r in results if any(test(f) for f in r.findings))

    personal_types = {
        f.type for r in results for f in r.findings if f.type in BLOCKING_PERSONAL and confident(f)
    }
    return Found(
        marking=paths(lambda f: is_confidential_marking(f) and confident(f)),
        prose_marking=paths(lambda f: is_confidential_marking(f) and not confident(f)),
        personal=paths(lambda f: f.type in BLOCKING_PERSONAL and confident(f)),
        personal_types=tuple(t for t in FINDING_TYPES if t in personal_types),
        handling=paths(lambda f: f.type == "handling_marking" and confident(f)),
        unreadable=tuple(
            r.path for r in results if r.status != "scanned" and r.reason != "unsupported"
        ),
        unsupported=tuple(
            r.path for r in results if r.status != "scanned" and r.reason == "unsupported"
        ),
    )


def types_text(codes: Iterable[str]) -> str:
    return pgettext("list separator", "・").join(type_label(c) for c in codes)


def publication_verdict(results: Sequence[FileResult]) -> Verdict:
    """May these files be published? The rule of the module docstring."""
    found = collect(results)
    reasons = []
    if found.marking:
        reasons.append(
            Reason(
                "classification_marking",
                _(
                    "機密性２又は機密性３（要機密）の表示があります。公表できるのは機密性１情報だけです。"
                ),
                (PUBLISH_CLAUSE,),
                found.marking,
            )
        )
    if found.personal:
        reasons.append(
            Reason(
                "personal_information",
                _(
                    "個人情報（%(types)s）が含まれています。ウェブサイト等への誤掲載を防ぐため、"
                    "公表する前に取り除いてください。"
                )
                % {"types": types_text(found.personal_types)},
                (MISSEND_CLAUSE, LEAK_CLAUSE),
                found.personal,
            )
        )
    if found.unreadable:
        reasons.append(
            Reason(
                "unscannable",
                _(
                    "中身を確認できないファイルがあります（暗号化・破損等）。"
                    "機密性１情報であると確認できないものは公表できません。"
                ),
                (PUBLISH_CLAUSE,),
                found.unreadable,
            )
        )
    return Verdict(bool(reasons), reasons, warnings_for(found))


def warnings_for(found: Found) -> list[Reason]:
    warnings = []
    prose = [p for p in found.prose_marking if p not in found.marking]
    if prose:
        warnings.append(
            Reason(
                "marking_in_text",
                _(
                    "文中に機密性２・３（要機密）の語があります。格付の表示でないか確認してください。"
                ),
                (PUBLISH_CLAUSE,),
                tuple(prose),
            )
        )
    if found.handling:
        warnings.append(
            Reason(
                "handling_marking",
                _("取扱制限の表示があります。公表・提供してよいか決定者等に確認してください。"),
                (PROVIDE_CLAUSE,),
                found.handling,
            )
        )
    if found.unsupported:
        warnings.append(
            Reason(
                "unsupported",
                _("中身を確認できない形式のファイルがあります。目視で確認してください。"),
                (LEAK_CLAUSE,),
                found.unsupported,
            )
        )
    return warnings


# --- running a check ------------------------------------------------------------------


@dataclass
class Check:
    uploads: list[Upload]
    runs: list[list[FileResult]]  # per upload: the file, then its members
    verdict: Verdict
    recipients: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)

    @property
    def results(self) -> list[FileResult]:
        return flatten(self.runs)

    def as_json(self) -> dict:
        """The scanner's JSON report with the verdict: no document text, masked values."""
        data = to_json(self.results)
        data.update(self.verdict.as_dict())
        return data


TRAIL_RESULTS = 200  # an archive of thousands of members: the rest are only counted


def trail_data(check: Check) -> dict:
    """What the trail keeps of a check: never a found value or the document text.
    Every uploaded file; of the files inside them, those that matter first."""
    results = sorted(check.results, key=lambda r: not (r.findings or r.status != "scanned"))
    return {
        # The name as shown (found values masked): results hold each upload's file first.
        "files": [
            u.describe(run[0].path if run else None)
            for u, run in zip(check.uploads, check.runs, strict=False)
        ],
        "results": [
            {"path": r.path, "status": r.status, "reason": r.reason, "counts": summary([r])}
            for r in results[:TRAIL_RESULTS]
        ],
        "results_omitted": max(0, len(results) - TRAIL_RESULTS),
        "summary": summary(check.results),
        "blocked": check.verdict.blocked,
        "reasons": [r.code for r in check.verdict.reasons],
        "thresholds": {"marking": MARKING_CONFIDENCE, "other": BLOCK_CONFIDENCE},
    }


def check_files(person, files: Sequence, types=None, *, channel: str = "page") -> Check:
    """公表前チェック: scan the files and say whether they could be published."""
    uploads = read_uploads(files)
    runs = scan_uploads(uploads, parse_types(types))
    check = Check(uploads, runs, publication_verdict(flatten(runs)))
    with transaction.atomic():
        record(
            "assets.scan.checked",
            actor=person.user,
            data={**trail_data(check), "channel": channel},
            organization_id=person.organization_id,
        )
    return check
