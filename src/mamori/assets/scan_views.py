"""公表前チェック and the send check: staff give files, the page shows what was found,
where, and whether the files may be published or sent. Every check goes through
assets.scan_services, which keeps nothing but a trail event of counts and digests.

What the page shows of a finding is its masked value, highlighted in about thirty
characters of the text around it; any other finding inside that stretch is masked too,
so the page never shows a number in full. The template escapes everything."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from django.shortcuts import render
from django.utils.translation import gettext as _

from mamori.assets import scan_sending, scan_services
from mamori.assets.scan_forms import ScanForm, SendCheckForm
from mamori.errors import MamoriError
from mamori.scan.types import FINDING_TYPES, PART_SEPARATOR, FileResult, Finding
from mamori.web.access import person_required, report

CONTEXT_CHARS = 30
SHOWN_PER_TYPE = 50  # a list of thousands of names would bury the page: the rest are counted
NEARBY = 300  # findings starting this far away cannot reach into a finding's context
_SPACE = re.compile(r"\s+")


def _plain(text: str) -> str:
    return _SPACE.sub(" ", text)


def _window(text: str, finding: Finding) -> tuple[int, int]:
    """About CONTEXT_CHARS either side, never reaching into another part."""
    lo = max(0, finding.start - CONTEXT_CHARS)
    hi = min(len(text), finding.end + CONTEXT_CHARS)
    before = text.rfind(PART_SEPARATOR, lo, finding.start)
    if before != -1:
        lo = before + len(PART_SEPARATOR)
    after = text.find(PART_SEPARATOR, finding.end, hi)
    if after != -1:
        hi = after
    return lo, hi


def snippet(text: str, finding: Finding, findings: Sequence[Finding]) -> list[tuple[str, str]]:
    """The context of `finding` as (kind, text) segments: "text" as found, "mark" for the
    finding itself and "masked" for any other finding in view (both their masked value)."""
    lo, hi = _window(text, finding)
    # A finding cut by the window's edge is taken in whole, so that it can be masked.
    for _round in range(3):
        inside = [f for f in findings if f.start < hi and f.end > lo]
        lo = min([lo, *(f.start for f in inside)])
        hi = max([hi, *(f.end for f in inside)])
    inside = sorted(
        (f for f in findings if f.start < hi and f.end > lo), key=lambda f: (f.start, -f.end)
    )
    # Overlapping findings make one masked run; it is the highlight when it holds `finding`.
    runs: list[list] = []
    for f in inside:
        if runs and f.start < runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], f.end)
            runs[-1][2].append(f)
        else:
            runs.append([f.start, f.end, [f]])
    segments: list[tuple[str, str]] = []
    position = lo
    for start, end, members in runs:
        if start > position:
            segments.append(("text", _plain(text[position:start])))
        if finding in members:
            segments.append(("mark", finding.masked))
        else:
            segments.append(("masked", members[0].masked))
        position = end
    if position < hi:
        segments.append(("text", _plain(text[position:hi])))
    return segments


def location(finding: Finding) -> str:
    """「ヘッダー 1行目」."""
    where = finding.where or _("本文")
    return _("%(where)s %(line)d行目") % {"where": where, "line": finding.line}


def describe(result: FileResult, blocking: set[str]) -> dict:
    """One file of the answer, its findings grouped by type in the scanner's order."""
    ordered = sorted(result.findings, key=lambda f: f.start)
    starts = [f.start for f in ordered]

    def nearby(f: Finding) -> list[Finding]:
        return ordered[bisect_left(starts, f.start - NEARBY) : bisect_right(starts, f.end + NEARBY)]

    groups = []
    for code in FINDING_TYPES:
        found = sorted(
            (f for f in result.findings if f.type == code), key=lambda f: (f.where, f.line)
        )
        if not found:
            continue
        groups.append(
            {
                "type": code,
                "label": scan_services.type_label(code),
                "hidden": max(0, len(found) - SHOWN_PER_TYPE),
                "count": len(found),
                "findings": [
                    {
                        "location": location(f),
                        "confidence": round(f.confidence * 100),
                        "weak": not scan_services.confident(f),
                        "label": f.label or "",
                        "segments": snippet(result.text, f, nearby(f)),
                    }
                    for f in found[:SHOWN_PER_TYPE]
                ],
            }
        )
    return {
        "path": result.path,
        "scanned": result.status == "scanned",
        "reason": ""
        if result.status == "scanned"
        else scan_services.unscannable_label(result.reason),
        "message": result.message,
        "size": result.size,
        "count": len(result.findings),
        "blocking": result.path in blocking,
        "groups": groups,
    }


def answer_context(check: scan_services.Check) -> dict:
    blocking = {path for reason in check.verdict.reasons for path in reason.files}
    return {
        "check": check,
        "verdict": check.verdict,
        "files": [describe(r, blocking) for r in check.results],
        "threshold": round(scan_services.BLOCK_CONFIDENCE * 100),
        "marking_threshold": round(scan_services.MARKING_CONFIDENCE * 100),
    }


def _clauses() -> dict:
    return {
        "publish_clause": scan_services.PUBLISH_CLAUSE,
        "misposting_clause": scan_services.MISSEND_CLAUSE,
    }


@person_required
def scan_check(request):
    """公表前チェック."""
    posted = request.method == "POST"
    form = ScanForm(request.POST if posted else None, request.FILES if posted else None)
    context: dict = {"form": form, **_clauses()}
    if posted and form.is_valid():
        try:
            check = scan_services.check_files(request.person, form.cleaned_data["files"])
        except MamoriError as error:
            report(request, error, form)
        else:
            context.update(answer_context(check))
            form = ScanForm()  # the files are gone: the next check starts empty
            context["form"] = form
    return render(request, "assets/scan_check.html", context)


@person_required
def send_check(request):
    """May these attachments be sent to these addresses?"""
    posted = request.method == "POST"
    form = SendCheckForm(request.POST if posted else None, request.FILES if posted else None)
    context: dict = {"form": form, **_clauses()}
    if posted and form.is_valid():
        try:
            check = scan_sending.check_sending(
                request.person, form.cleaned_data["recipients"], form.cleaned_data["files"]
            )
        except MamoriError as error:
            report(request, error, form)
        else:
            context.update(answer_context(check))
            context["form"] = SendCheckForm(initial={"recipients": form.cleaned_data["recipients"]})
    return render(request, "assets/scan_send.html", context)
