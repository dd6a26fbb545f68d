"""Secret calendar feed addresses (calendar apps cannot sign in).

Only a SHA-256 digest of the secret is stored; the address is shown once when made.
A feed shows its owner's deadlines while the owner is active and the feed is not
revoked (mamori.web.calendar_feed)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarFeedToken(models.Model):
    person = models.ForeignKey(
        "org.Person",
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        verbose_name=_("所有者"),
    )
    name = models.CharField(_("名前（用途）"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最終使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("取消し日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("カレンダー配信URL")
        verbose_name_plural = _("カレンダー配信URL")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name
