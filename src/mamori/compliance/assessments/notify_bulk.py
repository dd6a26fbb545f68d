"""Notify many people at once, in the same shape as mamori.notices.services.notify.

notify() writes two rows per person with two queries each; distributing 5,000 checklists
that way would cost 10,000 queries. Here the message is rendered once in each language
(everyone gets the same parameters) and the Notification and Outbox rows are written
with bulk_create, in the caller's transaction; delivery is queued after commit as
notify() does."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from mamori.notices import services as notices
from mamori.notices.models import Notification, Outbox

BATCH_SIZE = 1000


def notify_many(
    recipients: Iterable[tuple[int, str]], message: str, params: dict, url: str = ""
) -> int:
    """`recipients`: (person id, e-mail address or "") pairs; `message` a Japanese msgid
    marked with gettext_noop. Returns how many were notified."""
    recipients = list(dict(recipients).items())  # one notice per person
    if not recipients:
        return 0
    Notification.objects.bulk_create(
        [
            Notification(recipient_id=person_id, message=message, params=params, url=url)
            for person_id, _email in recipients
        ],
        batch_size=BATCH_SIZE,
    )
    addresses = [email for _person_id, email in recipients if email]
    if addresses:
        parts = []
        for language in ("ja", "en"):
            with translation.override(language):
                parts.append(notices.render(message, params))
        link = f"{settings.SITE_URL}{url}" if url else settings.SITE_URL
        subject = " ".join(f"[mamori] {parts[0]}".split())[:300]
        body = f"{parts[0]}\n{link}\n\n----\n{parts[1]}\n{link}\n"
        now = timezone.now()
        Outbox.objects.bulk_create(
            [
                Outbox(to=email, subject=subject, body=body, next_attempt_at=now)
                for email in addresses
            ],
            batch_size=BATCH_SIZE,
        )
        transaction.on_commit(notices._enqueue_delivery)
    return len(recipients)
