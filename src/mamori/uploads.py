"""The upload policy every module applies to files people attach (approvals, incident
evidence): one size limit (MAMORI_UPLOAD_MAX_MB) and one list of allowed types
(MAMORI_UPLOAD_ALLOWED_TYPES), checked before anything is written, and the SHA-256
each stored file is recorded and addressed by. Callers word the refusal for their page.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from django.conf import settings


def base_name(upload) -> str:
    """The file name without any directory part a browser may send."""
    return PurePath((upload.name or "").replace("\\", "/")).name[:255]


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def refusal(upload) -> str | None:
    """ "too_large" or "type_not_allowed" when the policy refuses the file, else None."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        return "too_large"
    if extension(base_name(upload)) not in settings.UPLOAD_ALLOWED_TYPES:
        return "type_not_allowed"
    return None


def limit_mb() -> int:
    return settings.UPLOAD_MAX_BYTES // (1024 * 1024)


def allowed_types() -> str:
    return ", ".join(settings.UPLOAD_ALLOWED_TYPES)


def sha256_of(upload) -> str:
    """The file's SHA-256, read in chunks; the upload is rewound for storing."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
