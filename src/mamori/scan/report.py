"""Scan results as JSON, SARIF 2.1.0 or plain text.

Reports carry only what `Finding.as_dict()` carries: the masked value, never the text
around it nor the full number. Type codes are used rather than translated labels, since
this package has no Django and a CI log or a mail gateway reads codes best.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from urllib.parse import quote

from mamori import __version__
from mamori.scan.types import FINDING_TYPES, MARKING_TYPES, FileResult, Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_RULE_TEXT = {
    "classification_marking": "Classification marking (機密性・完全性・可用性の格付)",
    "handling_marking": "Handling restriction (取扱制限)",
    "my_number": "Individual Number (個人番号)",
    "corporate_number": "Corporate Number (法人番号)",
    "phone": "Telephone number (電話番号)",
    "postal_code": "Postal code (郵便番号)",
    "email": "E-mail address (メールアドレス)",
    "address": "Postal address (住所)",
    "person_name": "Person's name (氏名)",
    "bank_account": "Bank account (口座番号)",
    "passport": "Passport number (旅券番号)",
    "drivers_license": "Driver's licence number (運転免許証番号)",
    "residence_card": "Residence card number (在留カード番号)",
    "health_insurance": "Health insurance number (被保険者番号)",
    "birth_date": "Date of birth (生年月日)",
}


def summary(results: Iterable[FileResult]) -> dict[str, int]:
    """Finding counts per type, in the order of FINDING_TYPES; types not found are left out."""
    counts = Counter(finding.type for result in results for finding in result.findings)
    ordered = [kind for kind in FINDING_TYPES if kind in counts]
    ordered += sorted(kind for kind in counts if kind not in FINDING_TYPES)
    return {kind: counts[kind] for kind in ordered}


def to_json(results: Iterable[FileResult]) -> dict[str, object]:
    results = list(results)
    return {"files": [result.as_dict() for result in results], "summary": summary(results)}


def severity(finding: Finding) -> str:
    """SARIF level: 機密性２/３ and My Numbers are errors; weak guesses are notes."""
    if finding.confidence < 0.5:
        return "note"
    if finding.type == "my_number":
        return "error"
    if finding.type == "classification_marking" and (finding.level or 0) >= 2:
        return "error"
    return "warning"


def _uri(path: str) -> str:
    """A URI reference for a path: file:// for absolute paths, relative otherwise;
    archive members keep their "outer.zip!inner.docx" form."""
    posix = path.replace("\\", "/")
    if posix.startswith("/"):
        return "file://" + quote(posix, safe="/!")
    if len(posix) > 2 and posix[1] == ":" and posix[2] == "/":  # C:/…
        return "file:///" + quote(posix, safe="/!:")
    return quote(posix, safe="/!")


def _message(finding: Finding) -> str:
    text = f"{finding.type}: {finding.masked}"
    if finding.label and finding.label != finding.masked:
        text += f" ({finding.label})"
    return f"{text} [{finding.where}]" if finding.where else text


def to_sarif(results: Iterable[FileResult]) -> dict[str, object]:
    results = list(results)
    found_types = list(summary(results))
    rule_index = {kind: index for index, kind in enumerate(found_types)}
    rules = [
        {
            "id": kind,
            "name": "".join(word.capitalize() for word in kind.split("_")),
            "shortDescription": {"text": _RULE_TEXT.get(kind, kind)},
            "defaultConfiguration": {"level": "error" if kind in MARKING_TYPES else "warning"},
            "properties": {
                "tags": ["marking" if kind in MARKING_TYPES else "personal-information"]
            },
        }
        for kind in found_types
    ]
    sarif_results: list[dict[str, object]] = []
    notifications: list[dict[str, object]] = []
    for result in results:
        artifact = {"uri": _uri(result.path)}
        for finding in result.findings:
            sarif_results.append(
                {
                    "ruleId": finding.type,
                    "ruleIndex": rule_index[finding.type],
                    "level": severity(finding),
                    "message": {"text": _message(finding)},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": artifact,
                                "region": {"startLine": finding.line},
                            },
                            "logicalLocations": [{"name": finding.where}],
                        }
                    ],
                    "properties": {
                        "where": finding.where,
                        "masked": finding.masked,
                        "confidence": round(finding.confidence, 2),
                        "label": finding.label,
                        "level": finding.level,
                    },
                }
            )
        if result.status != "scanned":
            notifications.append(
                {
                    "level": "warning",
                    "descriptor": {"id": result.reason or "unscannable"},
                    "message": {"text": f"{result.path}: {result.reason}: {result.message}"},
                    "locations": [{"physicalLocation": {"artifactLocation": artifact}}],
                }
            )
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "mamori-scan",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "invocations": [
                    {"executionSuccessful": True, "toolExecutionNotifications": notifications}
                ],
                "results": sarif_results,
            }
        ],
    }


def to_text(results: Iterable[FileResult]) -> str:
    """One line per finding (`path:line: [where] type masked (confidence) label`), one
    per unscannable file, and a summary line."""
    results = list(results)
    lines = []
    for result in results:
        if result.status != "scanned":
            lines.append(f"{result.path}: unscannable ({result.reason}): {result.message}")
        for finding in result.findings:
            label = f" {finding.label}" if finding.label else ""
            lines.append(
                f"{result.path}:{finding.line}: [{finding.where}] {finding.type} "
                f"{finding.masked} ({finding.confidence:.2f}){label}"
            )
    counts = summary(results)
    unscannable = sum(1 for result in results if result.status != "scanned")
    total = sum(counts.values())
    detail = ", ".join(f"{kind}={count}" for kind, count in counts.items())
    lines.append(
        f"{len(results)} files, {unscannable} unscannable, {total} findings"
        + (f" ({detail})" if detail else "")
    )
    return "\n".join(lines) + "\n"
