"""例外措置 (統一基準(H30) 2.2.2): the review procedure the CISO sets, the ledger of
exceptions granted through approvals, and the reminders sent before they end."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Roles that see the whole ledger of their scope (the rest see their own exceptions).
LEDGER_ROLES = ("permit_authority", "ciso", "deputy_ciso", "chief_isec_officer")


def _ledger_filter(person, field: str = "unit") -> Q:
    """Records of units within the person's ledger roles: an organisation-scoped
    assignment (許可権限者 for the whole organisation, CISO, 統括) sees every unit."""
    from mamori.org.scope import active_assignments

    query = Q(pk__in=[])
    for assignment in active_assignments(person):
        if assignment.role not in LEDGER_ROLES or assignment.system_id:
            continue
        if assignment.organization_id != person.organization_id:
            continue
        if assignment.unit_id is None:
            return Q(**{f"{field}__organization_id": person.organization_id})
        query |= Q(**{f"{field}__path__startswith": assignment.unit.path})
    return query


class ExceptionProcedure(models.Model):
    """One version of the 審査手続 the CISO sets (2.2.2(1)(a)). Versions are kept: a new
    text is a new row; the current one is the latest already in effect."""

    organization = models.ForeignKey(
        "org.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("組織")
    )
    text = models.TextField(_("審査手続"))
    effective_from = models.DateField(_("施行日"))
    created_by = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("定めた者")
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("例外措置の審査手続")
        verbose_name_plural = _("例外措置の審査手続")
        ordering = ["-effective_from", "-id"]

    def __str__(self) -> str:
        return f"{self.effective_from:%Y-%m-%d} {self.text[:40]}"


class RecordState(models.TextChoices):
    ACTIVE = "active", _("適用中")
    ENDED = "ended", _("終了報告済み")
    EXPIRED = "expired", _("期限切れ")
    REVOKED = "revoked", _("取消し")


STATE_BADGES = {
    RecordState.ACTIVE: "approved",
    RecordState.ENDED: "closed",
    RecordState.EXPIRED: "expired",
    RecordState.REVOKED: "revoked",
}


class ExceptionRecordQuerySet(models.QuerySet):
    def visible_to(self, person) -> ExceptionRecordQuerySet:
        """The owner's and applicant's own exceptions, and every exception of the units
        within a ledger role (許可権限者, CISO, 統括情報セキュリティ責任者)."""
        if person is None:
            return self.none()
        return self.filter(organization_id=person.organization_id).filter(
            Q(owner=person) | Q(applicant=person) | _ledger_filter(person)
        )


class ExceptionRecord(models.Model):
    """An entry of the 例外措置の台帳: one exception granted by a 許可権限者."""

    organization = models.ForeignKey(
        "org.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("組織")
    )
    request = models.OneToOneField(
        "approvals.Request",
        on_delete=models.PROTECT,
        related_name="exception_record",
        verbose_name=_("申請"),
    )
    unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("申請部署")
    )
    applicant = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("申請者")
    )
    owner = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("責任者")
    )
    permitted_by = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("許可権限者")
    )
    rulebook = models.CharField(_("規程"), max_length=20)
    requirement_id = models.CharField(_("遵守事項"), max_length=60, db_index=True)
    requirement_text = models.TextField(_("遵守事項の内容"))
    requirement_citation = models.CharField(_("根拠"), max_length=100)
    reason = models.TextField(_("理由"))
    scope = models.TextField(_("対象範囲"))
    scope_units = models.ManyToManyField(
        "org.OrgUnit", blank=True, related_name="+", verbose_name=_("対象の組織単位")
    )
    measures = models.TextField(_("代替措置"))
    period_start = models.DateField(_("期間（開始）"))
    period_end = models.DateField(_("期間（終了）"), db_index=True)
    state = models.CharField(
        _("状態"),
        max_length=20,
        choices=RecordState.choices,
        default=RecordState.ACTIVE,
        db_index=True,
    )
    granted_at = models.DateTimeField(_("許可日時"))
    expired_at = models.DateTimeField(_("期限切れ日時"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("取消日時"), null=True, blank=True)
    # 終了報告 (2.2.2(2))
    ended_on = models.DateField(_("終了日"), null=True, blank=True)
    restored = models.TextField(_("復旧した内容"), blank=True)
    remaining_issues = models.TextField(_("残された課題"), blank=True)
    end_reported_at = models.DateTimeField(_("終了報告日時"), null=True, blank=True)
    end_reported_by = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("終了報告者"),
    )

    objects = ExceptionRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("例外措置")
        verbose_name_plural = _("例外措置の台帳")
        ordering = ["period_end", "id"]
        indexes = [models.Index(fields=["organization", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="exceptionrecord_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.requirement_citation}"

    @property
    def reference(self) -> str:
        return f"EX-{self.pk:05d}" if self.pk else "EX-new"

    @property
    def badge(self) -> str:
        return STATE_BADGES.get(self.state, "draft")


class ExceptionReminder(models.Model):
    """A reminder sent to the owner on one reminder date: at most one per date."""

    record = models.ForeignKey(ExceptionRecord, on_delete=models.CASCADE, related_name="reminders")
    remind_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["remind_on"]
        constraints = [
            models.UniqueConstraint(fields=["record", "remind_on"], name="exception_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.record_id} {self.remind_on}"
