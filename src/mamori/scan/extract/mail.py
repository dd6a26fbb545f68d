"""E-mail (.eml): subject and addresses, text and HTML bodies, and every attachment as a
child file (a forwarded mail becomes a child .eml, scanned the same way)."""

from __future__ import annotations

import email
import mimetypes
from email import policy
from email.message import Message

from mamori.scan.extract.base import Context
from mamori.scan.extract.html import html_to_text
from mamori.scan.extract.text import decode_text
from mamori.scan.types import Child, Extraction, Part

_HEADERS = (("Subject", "件名"), ("From", "差出人"), ("To", "宛先"), ("Cc", "CC"), ("Bcc", "BCC"))
# Charset labels whose Windows supersets hold the characters Japanese mailers really send.
_SUPERSETS = {"shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932"}


def _header(message: Message, name: str) -> str:
    try:
        return str(message.get(name, "") or "")
    except Exception:  # a malformed header must not lose the rest of the mail
        raw = message.get_all(name) or []
        return " ".join(str(value) for value in raw)


def _text_of(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = (part.get_content_charset() or "").lower()
    charset = _SUPERSETS.get(charset, charset)
    if charset:
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(payload)


def _leaves(message: Message) -> list[Message]:
    """The message's non-multipart parts, not descending into attached messages."""
    if message.get_content_maintype() == "multipart":
        payload = message.get_payload()
        leaves = []
        for sub in payload if isinstance(payload, list) else []:
            if isinstance(sub, Message):
                leaves.extend(_leaves(sub))
        return leaves
    return [message]


def extract_eml(name: str, data: bytes, ctx: Context) -> Extraction:
    message = email.message_from_bytes(data, policy=policy.default)
    parts = []
    for header, where in _HEADERS:
        value = _header(message, header)
        if value:
            parts.append(Part(where, value))
    children: list[Child] = []
    bodies = {"text/plain": 0, "text/html": 0}
    for leaf in _leaves(message):
        ctx.check_time()
        content_type = leaf.get_content_type()
        filename = leaf.get_filename()
        attached = filename or leaf.get_content_disposition() == "attachment"
        if content_type in bodies and not attached:
            bodies[content_type] += 1
            where = "本文" if content_type == "text/plain" else "本文 (HTML)"
            if bodies[content_type] > 1:
                where = f"{where} {bodies[content_type]}"
            text = _text_of(leaf)
            if content_type == "text/html":
                text = html_to_text(text, ctx)[0]
            parts.append(Part(where, text))
            continue
        child_name = filename or _unnamed(len(children) + 1, content_type)
        if not ctx.may_descend():
            children.append(ctx.too_deep(child_name))
        elif content_type == "message/rfc822":
            inner = leaf.get_payload()
            inner_message = inner[0] if isinstance(inner, list) and inner else None
            raw = inner_message.as_bytes() if isinstance(inner_message, Message) else b""
            children.append(Child(child_name, raw))
        else:
            payload = leaf.get_payload(decode=True)
            children.append(Child(child_name, payload if isinstance(payload, bytes) else b""))
    return Extraction(parts=parts, children=children)


def _unnamed(number: int, content_type: str) -> str:
    if content_type == "message/rfc822":
        return f"添付{number}.eml"
    return f"添付{number}{mimetypes.guess_extension(content_type) or '.bin'}"
