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

# Who may read their organisation's trail: the auditors of each rulebook and the people
# who answer for security as a whole (CISO, deputy, 統括情報セキュリティ責任者, CSIRT lead).
VIEWER_ROLES = (
    "isec_auditor",
    "ia_audit_chief",
    "ia_audit_officer",
    "pii_auditor",
    "ciso",
    "deputy_ciso",
    "chief_isec_officer",
    "csirt_lead",
)


class TrailHead(models.Model):
    """One row: the last sequence number and hash. Locking it serialises appends.

    It also tracks the open segment, so that a change of TRAIL_SEGMENT_SIZE only
    changes the length of segments still to come, never the numbering of closed ones."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    segment = models.BigIntegerField(default=0)  # the open segment
    segment_first_seq = models.BigIntegerField(default=1)  # its first event, once written

    def __str__(self) -> str:
        return f"#{self.last_seq} {self.last_hash[:12]}"


class EventQuerySet(models.QuerySet):
    def visible_to(self, person) -> EventQuerySet:
        """The events of the person's organisation if they hold a trail-reading role."""
        from mamori.org import scope

        if person is None or not scope.has_role(person, *VIEWER_ROLES):
            return self.none()
        return self.filter(organization_id=person.organization_id)


class Event(models.Model):
    seq = models.BigIntegerField(_("連番"), unique=True)
    segment = models.BigIntegerField(_("区間"))
    at = models.DateTimeField(_("日時"), db_index=True)
    # DO_NOTHING, not SET_NULL: actor_id is hashed, so deleting a user must leave the
    # events exactly as written (the id then simply names no account any more).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("実行者"),
    )
    actor_label = models.CharField(_("実行者名"), max_length=200, blank=True)
    organization_id = models.BigIntegerField(_("組織ID"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=100, db_index=True)
    object_type = models.CharField(_("対象の種類"), max_length=100, blank=True)
    object_id = models.CharField(_("対象ID"), max_length=64, blank=True)
    object_label = models.CharField(_("対象"), max_length=300, blank=True)
    data_json = models.TextField(_("内容"), default="{}")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("証跡イベント")
        verbose_name_plural = _("証跡イベント")
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # The viewer: one organisation's events, newest first.
            models.Index(fields=["organization_id", "seq"], name="trail_event_org_seq"),
        ]

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

    def __str__(self) -> str:
        return f"segment {self.segment}: #{self.first_seq}–#{self.last_seq}"
