"""The audit trail: append-only events chained by SHA-256, closed in segments.

Each event's hash covers its own fields and the previous event's hash, so altering,
removing or reordering any row breaks the chain from that row on. Every
TRAIL_SEGMENT_SIZE events a Checkpoint records the segment's first and last hash;
after the retention period a whole segment can be deleted and the chain still
verifies from the checkpoint (統一基準(H30) 7.2.1 ログの取得・管理, 防衛省通達 第5-4).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class TrailHead(models.Model):
    """One row: the last sequence number and hash. Locking it serialises appends."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)


class Event(models.Model):
    seq = models.BigIntegerField(_("連番"), unique=True)
    segment = models.BigIntegerField(_("区間"), db_index=True)
    at = models.DateTimeField(_("日時"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", db_constraint=False, verbose_name=_("実行者"))
    actor_label = models.CharField(_("実行者名"), max_length=200, blank=True)
    organization_id = models.BigIntegerField(_("組織ID"), null=True, blank=True, db_index=True)
    action = models.CharField(_("操作"), max_length=100, db_index=True)
    object_type = models.CharField(_("対象の種類"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("対象ID"), max_length=64, blank=True)
    object_label = models.CharField(_("対象"), max_length=300, blank=True)
    data_json = models.TextField(_("内容"), default="{}")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("証跡イベント")
        verbose_name_plural = _("証跡イベント")
        ordering = ["seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    @property
    def data(self) -> dict:
        return json.loads(self.data_json)


class Checkpoint(models.Model):
    """A closed segment: kept after the segment's events are pruned."""

    segment = models.BigIntegerField(unique=True)
    first_seq = models.BigIntegerField()
    last_seq = models.BigIntegerField()
    start_hash = models.CharField(max_length=64)  # prev_hash of the first event
    end_hash = models.CharField(max_length=64)  # hash of the last event
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    pruned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["segment"]
