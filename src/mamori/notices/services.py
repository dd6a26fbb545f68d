"""Tell people things: an in-app notice plus a queued e-mail.

Messages are stored as their Japanese source text and parameters and translated
when shown, so each reader sees them in their own language. Mail goes through the
Outbox: written in the same transaction as the change, delivered after commit by a
background task, retried with back-off on failure.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from mamori.notices.models import Notification, Outbox

log = logging.getLogger(__name__)

# Minutes to wait after the n-th failure; the last value repeats.
BACKOFF_MINUTES = (1, 5, 15, 60, 240, 720)
MAX_ATTEMPTS = 20


def render(message: str, params: dict) -> str:
    return gettext(message) % params if params else gettext(message)


def notify(recipient, message: str, params: dict | None = None, url: str = "") -> Notification:
    """`message` is a Japanese msgid marked with gettext_noop, with %(name)s placeholders."""
    params = params or {}
    notice = Notification.objects.create(
        recipient=recipient, message=message, params=params, url=url
    )
    if recipient.email:
        parts = []
        for language in ("ja", "en"):
            with translation.override(language):
                parts.append(render(message, params))
        link = f"{settings.SITE_URL}{url}" if url else settings.SITE_URL
        Outbox.objects.create(
            to=recipient.email,
            subject=" ".join(f"[mamori] {parts[0]}".split())[:300],  # a header is one line
            body=f"{parts[0]}\n{link}\n\n----\n{parts[1]}\n{link}\n",
            next_attempt_at=timezone.now(),
        )
        transaction.on_commit(_enqueue_delivery)
    return notice


def _enqueue_delivery() -> None:
    from mamori.notices.tasks import deliver_outbox

    try:
        deliver_outbox.enqueue()
    except Exception:  # the worker's periodic sweep delivers it anyway
        log.exception("could not enqueue outbox delivery")


def deliver_due(now=None, limit: int = 200) -> tuple[int, int]:
    """Send what is due. Returns (sent, failed). Safe to run from several workers."""
    now = now or timezone.now()
    sent = failed = 0
    due = list(
        Outbox.objects.filter(
            sent_at__isnull=True, next_attempt_at__lte=now, attempts__lt=MAX_ATTEMPTS
        ).order_by("id")[:limit]
    )
    for mail in due:
        # Claim the row: another worker that read it too will update nothing.
        claimed = Outbox.objects.filter(
            pk=mail.pk, sent_at__isnull=True, attempts=mail.attempts
        ).update(attempts=mail.attempts + 1, next_attempt_at=now + timedelta(minutes=10))
        if not claimed:
            continue
        try:
            send_mail(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, [mail.to])
        except Exception as exc:  # any transport error: keep the mail, try later
            wait = BACKOFF_MINUTES[min(mail.attempts, len(BACKOFF_MINUTES) - 1)]
            Outbox.objects.filter(pk=mail.pk).update(
                last_error=str(exc)[:2000], next_attempt_at=now + timedelta(minutes=wait)
            )
            failed += 1
        else:
            Outbox.objects.filter(pk=mail.pk).update(sent_at=timezone.now(), last_error="")
            sent += 1
    return sent, failed


def mark_read(recipient, notice_id: int | None = None) -> int:
    qs = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if notice_id is not None:
        qs = qs.filter(pk=notice_id)
    return qs.update(read_at=timezone.now())
