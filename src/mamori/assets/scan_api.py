"""The content scanner over the API, for mail gateways and other tools.

POST /api/scan               multipart: files (one or more), types (optional, comma list)
POST /api/scan/send-check    multipart: files, recipients (addresses, comma or newline)

Both answer the scanner's JSON report ({files, summary}) with the verdict of the same
rule the pages use (`blocked`, `reasons`, `warnings`, `notes`). Values are masked and no
document text is returned. Any signed-in person (token or session) may call them; every
call leaves a trail event of names, sizes, digests and counts.
"""

from __future__ import annotations

from typing import Annotated

from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from mamori.assets import scan_sending, scan_services

router = Router(tags=["scan"])


class FindingOut(Schema):
    type: str
    where: str
    line: int
    start: int
    end: int
    masked: str
    confidence: float
    label: str | None = None
    level: int | None = None


class FileOut(Schema):
    path: str
    status: str = Field(..., description="scanned | unscannable")
    reason: str | None = None
    findings: list[FindingOut]


class ReasonOut(Schema):
    code: str
    message: str
    citations: list[str]
    files: list[str]


class ScanOut(Schema):
    files: list[FileOut]
    summary: dict[str, int]
    blocked: bool
    reasons: list[ReasonOut]
    warnings: list[ReasonOut]
    notes: list[str]


class SendCheckOut(ScanOut):
    recipients: int
    external_recipients: list[str]


@router.post("", response=ScanOut, summary="Scan files before publishing or sending")
def scan(
    request,
    files: File[list[UploadedFile]],
    types: Annotated[str | None, Form(max_length=1000)] = None,
):
    """Blocked when a 機密性２/３ marking, personal information or an unreadable file is
    found (the publication rule, 統一基準(R7) 3.1.1(5)(a), 総務省訓令 第12条の2)."""
    check = scan_services.check_files(request.person, files, types, channel="api")
    return check.as_json()


@router.post("/send-check", response=SendCheckOut, summary="May these attachments be sent?")
def send_check(
    request,
    recipients: Annotated[str, Form(max_length=10000)],
    files: File[list[UploadedFile]],
):
    """Blocked when an attachment with a 機密性２/３ marking or personal information goes
    to an address outside the organisation (総務省訓令 第12条の2, 統一基準(R7) 3.1.1(6)(b))."""
    check = scan_sending.check_sending(request.person, recipients, files, channel="api")
    return {
        **check.as_json(),
        "recipients": len(check.recipients),
        "external_recipients": check.external,
    }
