"""What every file import of this app shares (the official catalog, 対策基準 items): the
upload limit and type, checked before the file is read, and the refusal that lists every
error of a file that changed nothing."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from mamori import uploads
from mamori.errors import InvalidInput


class ImportRejected(InvalidInput):
    """The file has errors: nothing was changed. `errors` lists every one."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(
            _("取込みファイルに誤りがあるため、何も変更していません（%(count)d件）。")
            % {"count": len(errors)},
            details={"file": errors},
        )
        self.errors = errors


def checked_name(name: str, size: int, types: tuple[str, ...]) -> str:
    """The file's base name, once its size and type are allowed; InvalidInput otherwise.
    Views call it with the upload's size before reading the file into memory."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1][:255]
    if size > settings.UPLOAD_MAX_BYTES:
        raise InvalidInput(
            _("ファイルが大きすぎます（上限 %(mb)d MB）。") % {"mb": uploads.limit_mb()},
            details={"file": name},
        )
    if uploads.extension(name) not in types:
        raise InvalidInput(
            _("取り込めるのは %(types)s のファイルです。")
            % {"types": "、".join(f".{kind}" for kind in types)},
            details={"file": name},
        )
    return name


def read_upload(upload, types: tuple[str, ...]) -> tuple[str, bytes]:
    """(name, content) of an uploaded file, refused by size and type before it is read."""
    name = checked_name(upload.name, upload.size, types)
    return name, upload.read()
