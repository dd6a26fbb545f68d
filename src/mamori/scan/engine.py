"""Scanning files: extraction, then detection once per file, under `Limits`.

Every file given, and every file found inside it (zip members, attachments, Office files
embedded in Office files), gives one `FileResult`, in the order met: the outer file
first, then its children as "outer.zip!inner.docx". A file that cannot be read is a
result with status "unscannable" and a reason, never an exception and never a gap; its
name is still checked, since a name such as 「機密性３_名簿.xlsx」 says enough.
"""

from __future__ import annotations

import os
import stat
from bisect import bisect_right
from collections.abc import Collection, Iterable, Iterator
from dataclasses import replace

from mamori.scan.extract import Budget, Context, extract, name_part
from mamori.scan.extract.base import size_text
from mamori.scan.types import PART_SEPARATOR, FileResult, Finding, Limits, Part, Unscannable

Types = Collection[str] | None
_DEFAULT_LIMITS = Limits()


def scan_bytes(
    name: str, data: bytes, types: Types = None, limits: Limits = _DEFAULT_LIMITS
) -> list[FileResult]:
    """Scan one file held in memory; `name` is its file name (shown, and checked for
    markings). Returns the file's result followed by those of its children."""
    results: list[FileResult] = []
    _scan(name, name, data, 0, Budget.start(limits), types, results)
    return results


def scan_paths(
    paths: Iterable[str], types: Types = None, limits: Limits = _DEFAULT_LIMITS
) -> Iterator[FileResult]:
    """Scan files and directory trees (recursively, in sorted order). Symbolic links
    inside a tree are followed only when they stay inside it."""
    for given in paths:
        if os.path.isdir(given):
            yield from _scan_tree(given, types, limits)
        else:
            yield from _scan_path(given, os.path.basename(given), types, limits)


def _scan_tree(root: str, types: Types, limits: Limits) -> Iterator[FileResult]:
    real_root = os.path.realpath(root)
    for directory, subdirectories, filenames in os.walk(root, followlinks=False):
        subdirectories.sort()
        entries = sorted(filenames) + [
            entry for entry in subdirectories if os.path.islink(os.path.join(directory, entry))
        ]
        for entry in sorted(entries):
            path = os.path.join(directory, entry)
            relative = os.path.relpath(path, root).replace(os.sep, "/")
            if os.path.islink(path):
                target = os.path.realpath(path)
                inside = target == real_root or target.startswith(real_root + os.sep)
                if not inside:
                    yield _unscannable(
                        path,
                        relative,
                        "unsupported",
                        "走査するディレクトリの外を指すシンボリックリンクです",
                        types,
                    )
                    continue
                if os.path.isdir(path):
                    continue  # its files are scanned under their real path
            yield from _scan_path(path, relative, types, limits)


def _scan_path(path: str, name: str, types: Types, limits: Limits) -> Iterator[FileResult]:
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            yield _unscannable(path, name, "unsupported", "通常のファイルではありません", types)
            return
        if info.st_size > limits.max_file_bytes:
            yield _too_large(path, name, info.st_size, limits, types)
            return
        with open(path, "rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)
    except FileNotFoundError:
        yield _unscannable(path, name, "unreadable", "ファイルが見つかりません", types)
        return
    except OSError as exc:
        yield _unscannable(
            path, name, "unreadable", f"読み込めません: {exc.strerror or exc}", types
        )
        return
    results: list[FileResult] = []
    _scan(path, name, data, 0, Budget.start(limits), types, results)
    yield from results


def _scan(
    path: str,
    name: str,
    data: bytes,
    depth: int,
    budget: Budget,
    types: Types,
    out: list[FileResult],
) -> None:
    if len(data) > budget.limits.max_file_bytes:
        out.append(_too_large(path, name, len(data), budget.limits, types))
        return
    parts = [name_part(name)]
    result = FileResult(path, "scanned", size=len(data))
    children = []
    try:
        extraction = extract(name, data, Context(budget, depth))
        parts.extend(part for part in extraction.parts if part.text)
        children = extraction.children
    except Unscannable as exc:
        result.status, result.reason, result.message = "unscannable", exc.reason, str(exc)
    except Exception as exc:  # a parser tripping over hostile bytes must not end the batch
        result.status, result.reason = "unscannable", "corrupt"
        result.message = f"読み取り中にエラーが発生しました: {type(exc).__name__}: {exc}"
    _detect_into(result, parts, types)
    out.append(result)
    for child in children:
        child_path = f"{path}!{child.name}"
        if child.reason:
            out.append(_unscannable(child_path, child.name, child.reason, child.message, types))
        else:
            _scan(child_path, child.name, child.data, depth + 1, budget, types, out)


def _too_large(path: str, name: str, size: int, limits: Limits, types: Types) -> FileResult:
    message = f"{size_text(size)} で上限 {size_text(limits.max_file_bytes)} を超えます"
    result = _unscannable(path, name, "too_large", message, types)
    result.size = size
    return result


def _unscannable(path: str, name: str, reason: str, message: str, types: Types) -> FileResult:
    result = FileResult(path, "unscannable", reason, message)
    _detect_into(result, [name_part(name)], types)
    return result


def _detect_into(result: FileResult, parts: list[Part], types: Types) -> None:
    """Run the detectors once over the joined parts and give each finding the location
    of its part and its line within that part."""
    from mamori.scan.detect import detect  # imported late: extraction works without it

    texts = [part.text for part in parts]
    text = PART_SEPARATOR.join(texts)
    starts = []
    offset = 0
    for piece in texts:
        starts.append(offset)
        offset += len(piece) + len(PART_SEPARATOR)
    result.text = text
    try:
        findings = detect(text, types)
    except Exception as exc:  # a detector bug must not end a batch either; it is reported
        result.status, result.reason = "unscannable", "error"
        result.message = f"検出処理でエラーが発生しました: {type(exc).__name__}: {exc}"
        return
    result.findings = locate(findings, text, starts, parts)


def locate(
    findings: list[Finding], text: str, starts: list[int], parts: list[Part]
) -> list[Finding]:
    """Findings in text order, with `where` and the line within their part. Newlines are
    counted once over the text, from one finding to the next."""
    located = []
    current = -1
    position = line = 0
    for finding in sorted(findings, key=lambda found: (found.start, found.end)):
        index = max(0, bisect_right(starts, finding.start) - 1)
        if index != current:
            current, position, line = index, starts[index], 1
        line += text.count("\n", position, finding.start)
        position = finding.start
        located.append(replace(finding, line=line, where=parts[index].where))
    return located
