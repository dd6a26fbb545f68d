"""CEPTOAR drills: 情報疎通機能の確認（セプター訓練）(行動計画 Ⅲ.3.2, Ⅳ2.1.2②).

NISC (or a CEPTOAR for its own members) sends a test message down the vertical chain;
every recipient acknowledges it, and the drill report shows how long each CEPTOAR and
each operator took. A CEPTOAR's acknowledgement relays the message to its members, so
an operator's row exists only once its CEPTOAR passed the message on, just as in the
real chain.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamori.sharing.models import Receipt


class DrillStatus(models.TextChoices):
    OPEN = "open", _("実施中")
    CLOSED = "closed", _("終了")


class Drill(models.Model):
    number = models.CharField(_("訓練番号"), max_length=24, unique=True)
    title = models.CharField(_("件名"), max_length=200)
    message = models.TextField(_("訓練用の連絡文"))
    organization = models.ForeignKey(
        "org.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("実施主体")
    )
    started_by = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("開始者")
    )
    sectors = models.JSONField(_("対象分野"), default=list, blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=DrillStatus.choices, default=DrillStatus.OPEN
    )
    started_at = models.DateTimeField(_("開始日時"), default=timezone.now)
    closed_at = models.DateTimeField(_("終了日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("セプター訓練")
        verbose_name_plural = _("セプター訓練")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return self.number


class DrillRecipientKind(models.TextChoices):
    CEPTOAR = "ceptoar", _("セプター")
    OPERATOR = "operator", _("重要インフラ事業者等")


class DrillDelivery(Receipt):
    drill = models.ForeignKey(
        Drill, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("訓練")
    )
    recipient = models.ForeignKey(
        "org.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("受信者")
    )
    kind = models.CharField(_("種別"), max_length=10, choices=DrillRecipientKind.choices)
    ceptoar = models.ForeignKey(
        "org.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("セプター"),
    )

    class Meta:
        verbose_name = _("訓練の配信記録")
        verbose_name_plural = _("訓練の配信記録")
        ordering = ["drill_id", "hop", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["drill", "recipient"], name="sharing_drill_delivery_unique"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "acknowledged_at"], name="sharing_drill_inbox")
        ]

    def __str__(self) -> str:
        return f"{self.drill} → {self.recipient}"
