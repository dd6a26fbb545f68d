"""Is an agency's policy item (対策基準) weaker than the requirement it maps to? Pure Python.

統一基準(H30) 2.1.2(1)(a): the CISO sets a 対策基準 that conforms to (準拠した) the 統一基準,
so every 遵守事項 it maps must be kept at least as strictly. Two patterns soften an
obligation in practice, and both are flagged here for a person to review:

- the requirement obliges (「…すること」「…しなければならない」) and the item only
  encourages: 努める, 望ましい, 可能な限り, できる限り, 原則として, 推奨 …;
- the requirement names who must act (「統括情報セキュリティ責任者は、…」) and the item
  does not name that subject, so nobody in particular answers for it.

A finding is a hint with its reason and citation, not a verdict: the coverage view shows
it next to the texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mamori.rules.refs import TOITSU_H30, cite

CITATION = cite(TOITSU_H30, "2.1.2(1)(a)")

# Wording that turns an obligation into an effort or a preference.
SOFTENERS: tuple[str, ...] = (
    "努めるものとする",
    "努めること",
    "努める",
    "努力する",
    "望ましい",
    "可能な限り",
    "できる限り",
    "出来る限り",
    "なるべく",
    "原則として",
    "推奨",
    "差し支えない",
    "ことができる",
)
# Wording that makes a sentence an obligation.
_OBLIGATION = re.compile(r"(すること|しなければならない|ものとする|こと。|ならない)")
# The subject that opens a requirement: 「最高情報セキュリティ責任者は、」, up to 60 characters.
_SUBJECT = re.compile(r"^\s*([^、。「」]{1,60}?)は、")
# Subjects that are the organisation or everyone rather than a role.
_GENERAL_SUBJECTS = ("機関等", "府省庁")


@dataclass(frozen=True)
class Finding:
    code: str  # softened | subject_missing
    detail: str  # the softening phrase, or the subject the item leaves out
    citation: str = CITATION


def is_obligation(text: str) -> bool:
    """The requirement obliges someone to act."""
    return bool(_OBLIGATION.search(text or ""))


def softening_phrases(text: str) -> list[str]:
    """The softening phrases in `text`, longest first, without overlapping repeats."""
    found: list[str] = []
    for phrase in SOFTENERS:
        if phrase in (text or "") and not any(phrase in longer for longer in found):
            found.append(phrase)
    return found


def subject_of(text: str) -> str | None:
    """The subject a requirement names (「情報セキュリティ責任者又は課室情報セキュリティ
    責任者」), or None when it names none or only the organisation."""
    match = _SUBJECT.match(text or "")
    if not match:
        return None
    subject = match.group(1).strip()
    if any(subject.endswith(general) for general in _GENERAL_SUBJECTS):
        return None
    return subject


def _subjects(subject: str) -> list[str]:
    """「A又はB」「A及びB」「A並びにB」 → [A, B]."""
    return [part for part in re.split(r"又は|及び|並びに|若しくは|、", subject) if part]


def _named(subject: str, item_text: str) -> bool:
    """Does the item name the subject (or, for a joined subject, one of its members)?
    「職員等」 is also named by 「職員」."""
    for part in _subjects(subject):
        variants = {part, part.removesuffix("等")}
        if any(v and v in item_text for v in variants):
            return True
    return False


def weaker_findings(requirement_text: str, item_text: str) -> list[Finding]:
    """Why the item looks weaker than the requirement; empty when it does not."""
    if not requirement_text or not is_obligation(requirement_text):
        return []
    findings: list[Finding] = []
    required_softeners = set(softening_phrases(requirement_text))
    for phrase in softening_phrases(item_text):
        if phrase not in required_softeners:  # the requirement itself allows it
            findings.append(Finding("softened", phrase))
    subject = subject_of(requirement_text)
    if subject and not _named(subject, item_text or ""):
        findings.append(Finding("subject_missing", subject))
    return findings
