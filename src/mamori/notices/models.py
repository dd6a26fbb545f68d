"""In-app notifications and the mail outbox, shared by every module."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """In-app notice; the same content is queued in the mail Outbox."""

    recipient = models.ForeignKey(
        "org.Person", on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(_("通知"), max_length=300)  # Japanese msgid
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        from mamori.notices.services import render

        return render(self.message, self.params)


class Outbox(models.Model):
    """Mail waiting to go out. A failed send stays here and is retried with back-off,
    so a mail-server outage loses nothing."""

    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
