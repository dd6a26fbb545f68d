"""Shapes shared by the scanner's extractors, detectors, engine and reports.

Contract between the parts:

- An extractor turns one file's bytes into an `Extraction`: text `Part`s (each with a
  human-readable location such as "本文", "ヘッダー", "Sheet1", "スライド 3 ノート",
  "ファイル名", "プロパティ: title") and `Child` files found inside it (zip members,
  e-mail attachments), which the engine scans in turn as files of their own.
- The engine joins a file's parts with PART_SEPARATOR into one text and calls
  `mamori.scan.detect.detect(text, types)` once. Detectors never report a match that
  spans PART_SEPARATOR. A detector reports `start`/`end` as offsets into the text it
  was given and `line` as the 1-based line in that text; the engine rewrites `line` to
  the line within the part and fills `where` with the part's location.
- `masked` never holds the full value of a number: reports and the UI show only it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PART_SEPARATOR = "\n\n\n"

# Every finding type the detectors know, in the order reports list them.
FINDING_TYPES: tuple[str, ...] = (
    "classification_marking",
    "handling_marking",
    "my_number",
    "corporate_number",
    "phone",
    "postal_code",
    "email",
    "address",
    "person_name",
    "bank_account",
    "passport",
    "drivers_license",
    "residence_card",
    "health_insurance",
    "birth_date",
)
MARKING_TYPES = frozenset({"classification_marking", "handling_marking"})
PERSONAL_TYPES = frozenset(FINDING_TYPES) - MARKING_TYPES


@dataclass(frozen=True, slots=True)
class Finding:
    type: str  # one of FINDING_TYPES
    start: int  # offset of the first character in the text the detector was given
    end: int  # offset just past the last character
    line: int  # 1-based line (within the part, once the engine has rewritten it)
    masked: str  # what reports may show: never the full number
    confidence: float  # 0..1
    label: str | None = None  # markings: the normalised marking, e.g. "機密性２"
    level: int | None = None  # classification markings: 1, 2 or 3 where the marking has one
    where: str = ""  # the part's location, filled by the engine

    def as_dict(self) -> dict[str, object]:
        return {
            "type": self.type,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "where": self.where,
            "masked": self.masked,
            "confidence": round(self.confidence, 2),
            "label": self.label,
            "level": self.level,
        }


@dataclass(frozen=True, slots=True)
class Part:
    where: str
    text: str


@dataclass(frozen=True, slots=True)
class Child:
    name: str
    data: bytes
    # Set when the member could not be unpacked (encrypted, too large, a zip bomb, too
    # deep): the engine reports it as an unscannable file of its own instead of reading
    # `data`, which is then empty.
    reason: str | None = None
    message: str = ""


@dataclass(slots=True)
class Extraction:
    parts: list[Part] = field(default_factory=list)
    children: list[Child] = field(default_factory=list)


class Unscannable(Exception):
    """A file that cannot be read: corrupt, encrypted, too large, too deep, a zip bomb,
    out of time, or of an unknown kind. `reason` is a short stable code ("encrypted",
    "corrupt", "too_large", "too_deep", "expansion_ratio", "timeout", "unsupported",
    "unreadable" when the operating system refuses to read a path, and "error" when a
    detector failed on the file's text); the message says more."""

    def __init__(self, reason: str, message: str = "") -> None:
        super().__init__(message or reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_bytes: int = 50 * 1024 * 1024  # one file as given (or one archive member)
    max_depth: int = 3  # archives and attachments inside one another
    max_expansion_ratio: float = 100.0  # unpacked size / packed size of an archive
    max_expanded_bytes: int = 500 * 1024 * 1024  # everything unpacked from one top file
    seconds_per_file: float = 30.0


@dataclass(slots=True)
class FileResult:
    path: str  # as given; archive members as "outer.zip!inner/doc.docx"
    status: str  # "scanned" | "unscannable"
    reason: str | None = None  # Unscannable.reason when unscannable
    message: str = ""  # human-readable detail for the reason
    findings: list[Finding] = field(default_factory=list)
    size: int = 0
    # The joined text the findings' offsets refer to; kept for showing context in the
    # UI. Never written to JSON, SARIF or text reports.
    text: str = field(default="", repr=False)

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "status": self.status,
            "reason": self.reason,
            "findings": [f.as_dict() for f in self.findings],
        }
