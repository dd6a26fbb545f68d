"""Zip archives: every member becomes a child file, scanned by the engine in turn. An
encrypted, oversized or bomb-like member becomes a child that says why, so the other
members are still read."""

from __future__ import annotations

from mamori.scan.extract.base import Context
from mamori.scan.extract.zipsafe import member_child, member_name, open_zip
from mamori.scan.types import Extraction

# Resource forks macOS adds beside every member: metadata, not the user's content.
_SKIP_PREFIXES = ("__MACOSX/",)


def extract_zip(name: str, data: bytes, ctx: Context) -> Extraction:
    archive = open_zip(data)
    children = []
    for info in archive.infolist():
        if info.is_dir() or info.filename.startswith(_SKIP_PREFIXES):
            continue
        ctx.check_time()
        children.append(member_child(archive, info, member_name(info), ctx))
    return Extraction(children=children)
