"""The one request/approval mechanism every module uses.

A module registers a kind (approvals.registry); staff create a Request of that kind;
the approver is resolved by role and scope when it is submitted; the request moves
only along approvals.workflow.TRANSITIONS.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mamori.approvals.workflow import State


class RequestQuerySet(models.QuerySet):
    def visible_to(self, person) -> RequestQuerySet:
        """What `person` may see: their own requests, those they are asked to decide, and
        those within the scope of a role they hold now. Nothing for someone unknown."""
        if person is None:
            return self.none()
        from mamori.org.scope import visible_unit_filter

        unit_q = visible_unit_filter(person, field="unit")
        return self.filter(Q(applicant=person) | Q(approver=person) | unit_q).filter(
            organization_id=person.organization_id
        )

    def awaiting(self, person) -> RequestQuerySet:
        return self.filter(approver=person, state=State.SUBMITTED)


class Request(models.Model):
    organization = models.ForeignKey(
        "org.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("組織")
    )
    unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("申請部署")
    )
    kind = models.CharField(_("種類"), max_length=60, db_index=True)
    applicant = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="requests_made",
        verbose_name=_("申請者"),
    )
    title = models.CharField(_("件名"), max_length=200)
    description = models.TextField(_("内容"), blank=True)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_id = models.CharField(max_length=64, null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    period_start = models.DateField(_("希望期間（開始）"), null=True, blank=True)
    period_end = models.DateField(_("希望期間（終了）"), null=True, blank=True)
    conditions = models.TextField(_("条件"), blank=True)
    details = models.JSONField(_("詳細"), default=dict, blank=True)
    state = models.CharField(
        _("状態"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    approver_role = models.CharField(_("承認者の役割"), max_length=40, blank=True)
    approver = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests_to_decide",
        verbose_name=_("承認者"),
    )
    due_date = models.DateField(_("処理期限"), null=True, blank=True, db_index=True)
    decided_by = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("決定者"),
    )
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)
    decision_reason = models.TextField(_("決定理由"), blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("申請日時"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("申請")
        verbose_name_plural = _("申請")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="request_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"R-{self.pk:06d}" if self.pk else "R-new"

    @property
    def kind_info(self):
        from mamori.approvals import registry

        return registry.get(self.kind)


class Comment(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("コメント"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is the content hash: no user-chosen path ever reaches the disk.
    return f"approvals/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("ファイル名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("サイズ"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
