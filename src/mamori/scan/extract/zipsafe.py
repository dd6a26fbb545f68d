"""Reading zip containers (plain .zip and every OOXML file) without trusting them.

Before a member is read, its declared size is checked against the per-file limit and its
declared expansion ratio against `Limits.max_expansion_ratio`; while it is read, the
actual bytes are counted against the declared size and the budget of the whole tree, so
a member whose header lies is stopped too.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator

from mamori.scan.extract.base import Context, size_text
from mamori.scan.types import Child, Unscannable

_CHUNK = 1024 * 1024
# A member smaller than this is never treated as a bomb on its own: small XML files
# legitimately compress a hundredfold. The total budget still bounds many of them.
_RATIO_FLOOR = 1024 * 1024
_UTF8_NAMES = 0x800
_ENCRYPTED = 0x1


def open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise Unscannable("corrupt", f"zip として読めません: {exc}") from exc
    except NotImplementedError as exc:  # a damaged header claiming an unknown zip version
        raise Unscannable("corrupt", f"zip として読めません: {exc}") from exc


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name; Japanese Windows tools write CP932 names without the UTF-8
    flag, which zipfile then reads as CP437 mojibake."""
    if info.flag_bits & _UTF8_NAMES:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for codec in ("utf-8", "cp932"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return info.filename


def check_member(info: zipfile.ZipInfo, ctx: Context) -> None:
    """Raise Unscannable when a member must not be read at all."""
    limits = ctx.limits
    if info.flag_bits & _ENCRYPTED:
        raise Unscannable("encrypted", "パスワードで暗号化されています")
    if info.file_size > limits.max_file_bytes:
        raise Unscannable(
            "too_large",
            f"展開後 {size_text(info.file_size)} で上限 {size_text(limits.max_file_bytes)} を超えます",
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > _RATIO_FLOOR and ratio > limits.max_expansion_ratio:
        raise Unscannable(
            "expansion_ratio",
            f"圧縮率が異常です（{size_text(info.compress_size)} → {size_text(info.file_size)}、"
            f"{ratio:.0f} 倍 > {limits.max_expansion_ratio:g} 倍）: zip 爆弾の疑い",
        )


def iter_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, ctx: Context) -> Iterator[bytes]:
    """The member's bytes in chunks, charged to the budget as they arrive."""
    check_member(info, ctx)
    ctx.check_time()
    total = 0
    try:
        with zf.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                total += len(chunk)
                if total > info.file_size or total > ctx.limits.max_file_bytes:
                    raise Unscannable("expansion_ratio", "宣言より大きなデータが展開されました")
                ctx.budget.charge(len(chunk))
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise Unscannable("corrupt", f"{member_name(info)} を展開できません: {exc}") from exc
    except NotImplementedError as exc:
        raise Unscannable("unsupported", f"{member_name(info)}: {exc}") from exc
    except RuntimeError as exc:  # zipfile's "password required"
        raise Unscannable("encrypted", f"{member_name(info)}: {exc}") from exc


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, ctx: Context) -> bytes:
    return b"".join(iter_member(zf, info, ctx))


def refuse_dtd(head: bytes) -> None:
    """OOXML parts never declare a DTD; one that does is an entity-expansion attack (or
    an attempt at one). This cheap look at the head refuses the plain case early; the
    parsers (defusedxml with forbid_dtd) refuse every other, e.g. a UTF-16 part."""
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise Unscannable(
            "corrupt", "DTD を含む XML は Office 文書にはありません（読み取りを中止しました）"
        )


class MemberStream(io.RawIOBase):
    """A member as a readable stream for iterparse, with the same checks as read_member."""

    def __init__(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, ctx: Context) -> None:
        self._chunks = iter_member(zf, info, ctx)
        self._pending = memoryview(b"")
        self._offset = 0
        self._started = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while self._offset >= len(self._pending):
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            if not self._started:
                refuse_dtd(chunk)  # the prolog, where a DTD would be, comes first
                self._started = True
            self._pending, self._offset = memoryview(chunk), 0
        size = min(len(buffer), len(self._pending) - self._offset)
        buffer[:size] = self._pending[self._offset : self._offset + size]
        self._offset += size
        return size


def member_child(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, ctx: Context) -> Child:
    """A member as a child file, or, when it cannot be unpacked, a child that says why.
    Running out of time stops the whole file instead."""
    if not ctx.may_descend():
        return ctx.too_deep(name)
    try:
        return Child(name, read_member(zf, info, ctx))
    except Unscannable as exc:
        if exc.reason == "timeout":
            raise
        return Child(name, b"", reason=exc.reason, message=str(exc))
