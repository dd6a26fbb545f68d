"""適用除外 (防衛省通達 第1の3): the application (適用除外申請書) with exactly its seven
items and the decision of the 情報保証統括責任者, from which the notice (適用除外通知書)
with exactly its six items is made. The request itself is an approvals.Request of kind
systems.exemption; its state is the exemption's state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The role that files applications (第1の3(1)), the one that decides them (第1の3(2)),
# and those who see them: a 情報システム情報保証責任者 follows their own system's.
APPLICANT_ROLES = ("ia_officer",)
DECIDER_ROLE = "ia_chief"
VIEWER_ROLES = (DECIDER_ROLE, *APPLICANT_ROLES, "sys_ia_officer")

# Request states in which a notice exists, and whether it grants.
GRANTED_STATES = ("approved", "expired", "revoked", "closed")
REFUSED_STATES = ("rejected",)


def _scope_filter(person) -> Q:
    """Exemptions within the person's 情報保証 roles: the 情報保証統括責任者 (or an
    organisation-wide 情報保証責任者) sees the organisation; a unit-scoped 情報保証責任者
    their units; a 情報システム情報保証責任者 their systems."""
    from mamori.org.scope import active_assignments

    query = Q(pk__in=[])
    for assignment in active_assignments(person):
        if assignment.role not in VIEWER_ROLES:
            continue
        if assignment.organization_id != person.organization_id:
            continue
        if assignment.system_id:
            query |= Q(system_id=assignment.system_id)
        elif assignment.unit_id:
            query |= Q(unit__path__startswith=assignment.unit.path)
        else:
            return Q(organization_id=person.organization_id)
    return query


class ExemptionQuerySet(models.QuerySet):
    def visible_to(self, person) -> ExemptionQuerySet:
        if person is None:
            return self.none()
        return self.filter(organization_id=person.organization_id).filter(
            Q(applicant=person) | _scope_filter(person)
        )


class Exemption(models.Model):
    """One 適用除外申請 and, once decided, what the notice permits."""

    organization = models.ForeignKey(
        "org.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("組織")
    )
    request = models.OneToOneField(
        "approvals.Request",
        on_delete=models.PROTECT,
        related_name="exemption",
        verbose_name=_("申請"),
    )
    unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("申請部署")
    )
    applicant = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("申請者")
    )
    applicant_role = models.CharField(_("申請者の役割"), max_length=40)
    # 申請書 ①–⑦
    system = models.ForeignKey(
        "systems.InformationSystem",
        on_delete=models.PROTECT,
        related_name="exemptions",
        verbose_name=_("適用除外を申請する情報システムの名称"),
    )
    clauses = models.JSONField(_("適用除外とする訓令の該当箇所"), default=list)
    period_start = models.DateField(_("適用除外とする期間（開始）"))
    period_end = models.DateField(_("適用除外とする期間（終了）"))
    measures = models.TextField(_("適用除外とする措置内容（講ずる代替手段等）"))
    impact = models.TextField(_("適用除外とすることにより生じる情報保証上の影響と対処方法"))
    end_report_method = models.TextField(_("適用除外を終了した旨の報告方法"))
    reason = models.TextField(_("適用除外を申請する理由"))
    # 通知書 ③–⑥ (① ② are the request's decision and reason)
    granted_clauses = models.JSONField(_("適用除外を許可した訓令の該当箇所"), default=list)
    granted_period_start = models.DateField(_("適用除外を許可した期間（開始）"), null=True)
    granted_period_end = models.DateField(_("適用除外を許可した期間（終了）"), null=True)
    granted_measures = models.TextField(_("許可した措置内容（講ずるべき代替手段等）"), blank=True)
    granted_end_report_method = models.TextField(_("適用除外を終了した旨の報告方法"), blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    objects = ExemptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("適用除外")
        verbose_name_plural = _("適用除外")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="exemption_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.system_id}"

    @property
    def reference(self) -> str:
        return f"AE-{self.pk:05d}" if self.pk else "AE-new"

    def notice(self) -> Notice | None:
        """The 適用除外通知書, once the 情報保証統括責任者 has decided; else None."""
        request = self.request
        if request.state in GRANTED_STATES:
            return Notice(
                granted=True,
                reason=request.decision_reason,
                clauses=list(self.granted_clauses or self.clauses),
                period_start=self.granted_period_start or self.period_start,
                period_end=self.granted_period_end or self.period_end,
                measures=self.granted_measures or self.measures,
                end_report_method=self.granted_end_report_method or self.end_report_method,
                decided_by=request.decided_by,
                decided_at=request.decided_at,
            )
        if request.state in REFUSED_STATES:
            return Notice(
                granted=False,
                reason=request.decision_reason,
                decided_by=request.decided_by,
                decided_at=request.decided_at,
            )
        return None


@dataclass(frozen=True)
class Notice:
    """The six items of the 適用除外通知書 (防衛省通達 第1の3(2) ①–⑥). For a refusal
    ③–⑥ are empty: nothing is permitted."""

    granted: bool
    reason: str
    clauses: list = None  # type: ignore[assignment]
    period_start: date | None = None
    period_end: date | None = None
    measures: str = ""
    end_report_method: str = ""
    decided_by: object = None
    decided_at: object = None
