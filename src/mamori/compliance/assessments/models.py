"""The yearly self-assessment (統一基準(H30) 2.3.1, 防衛省通達 第12-1).

AssessmentPlan   年度自己点検計画, by the 統括情報セキュリティ責任者 (or the 情報保証責任者)
Checklist        自己点検票, one per member of staff, generated from the catalog by role and
                 organisation kind; answered_count / item_count are kept by the services
ChecklistItem    one clause to answer (実施している / 一部実施 / 実施していない / 該当しない)
UnitEvaluation   情報セキュリティ責任者の評価 of their unit (2.3.1(3)(a))
OrgEvaluation    統括情報セキュリティ責任者の評価 of the organisation, reported to the CISO
                 (2.3.1(3)(b))

Changes go through services.py; the models only describe state and who may see it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mamori.compliance.assessments import permissions
from mamori.compliance.assessments.workflow import (
    CHECKLIST_BADGES,
    EVALUATION_BADGES,
    PLAN_BADGES,
    Answer,
    ChecklistState,
    EvaluationState,
    PlanState,
)


class AssessmentPlanQuerySet(models.QuerySet):
    def visible_to(self, person) -> AssessmentPlanQuerySet:
        """Plans of the person's organisation: every plan for the officers who run or
        evaluate the self-assessment; for everyone else the plans they have a checklist in
        (never a draft)."""
        if person is None:
            return self.none()
        org = self.filter(organization_id=person.organization_id)
        if permissions.can_view_plans(person):
            return org
        return org.filter(pk__in=Checklist.objects.filter(person=person).values("plan_id")).exclude(
            state=PlanState.DRAFT
        )


class AssessmentPlan(models.Model):
    organization = models.ForeignKey(
        "org.Organization",
        on_delete=models.PROTECT,
        related_name="assessment_plans",
        verbose_name=_("組織"),
    )
    fiscal_year = models.PositiveIntegerField(_("年度"))
    title = models.CharField(_("件名"), max_length=200)
    rulebooks = models.JSONField(_("対象の規程"), default=list)
    state = models.CharField(
        _("状態"), max_length=20, choices=PlanState.choices, default=PlanState.DRAFT
    )
    answer_due = models.DateField(_("回答期限"))
    unit_evaluation_due = models.DateField(_("責任者評価の期限"))
    org_evaluation_due = models.DateField(_("統括評価の期限"))
    revision = models.PositiveIntegerField(_("版"), default=1)
    created_by = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("作成者"),
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    opened_at = models.DateTimeField(_("実施開始日時"), null=True, blank=True)
    closed_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    notes = models.TextField(_("実施要領・備考"), blank=True)

    objects = AssessmentPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度自己点検計画")
        verbose_name_plural = _("年度自己点検計画")
        ordering = ["-fiscal_year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "fiscal_year"], name="assessmentplan_one_per_year"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def badge(self) -> str:
        return PLAN_BADGES.get(self.state, "draft")


class ChecklistQuerySet(models.QuerySet):
    def visible_to(self, person) -> ChecklistQuerySet:
        """One's own checklists; every checklist of the organisation for the CISO, 副CISO,
        統括 and 情報保証統括責任者; those of their units for the 情報セキュリティ責任者,
        課室情報セキュリティ責任者 and 情報保証責任者."""
        if person is None:
            return self.none()
        org = self.filter(plan__organization_id=person.organization_id)
        if permissions.sees_whole_organization(person):
            return org
        return org.filter(Q(person=person) | permissions.unit_filter(person, field="unit"))


class Checklist(models.Model):
    plan = models.ForeignKey(
        AssessmentPlan,
        on_delete=models.CASCADE,
        related_name="checklists",
        verbose_name=_("年度自己点検計画"),
    )
    person = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="assessment_checklists",
        verbose_name=_("職員等"),
    )
    # The person's unit and roles when the checklist was distributed: results are
    # evaluated by the unit the person answered for, even after a move.
    unit = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=True,
        verbose_name=_("所属（配付時）"),
    )
    roles = models.JSONField(_("役割（配付時）"), default=list)
    state = models.CharField(
        _("状態"),
        max_length=20,
        choices=ChecklistState.choices,
        default=ChecklistState.DISTRIBUTED,
    )
    due_date = models.DateField(_("回答期限"))
    distributed_at = models.DateTimeField(_("配付日時"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提出日時"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("最終督促日時"), null=True, blank=True)
    answered_count = models.PositiveIntegerField(_("回答済の項目数"), default=0)
    item_count = models.PositiveIntegerField(_("項目数"), default=0)

    objects = ChecklistQuerySet.as_manager()

    class Meta:
        verbose_name = _("自己点検票")
        verbose_name_plural = _("自己点検票")
        ordering = ["plan_id", "unit_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "person"], name="checklist_one_per_person")
        ]
        indexes = [models.Index(fields=["plan", "state"])]

    def __str__(self) -> str:
        return f"{self.plan} — {self.person}"

    @property
    def badge(self) -> str:
        return CHECKLIST_BADGES.get(self.state, "draft")

    @property
    def progress_percent(self) -> int:
        return round(100 * self.answered_count / self.item_count) if self.item_count else 100


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(
        Checklist, on_delete=models.CASCADE, related_name="items", verbose_name=_("自己点検票")
    )
    rulebook = models.CharField(_("規程"), max_length=20)
    requirement_id = models.CharField(_("条項"), max_length=60)
    position = models.PositiveIntegerField(_("順序"))
    answer = models.CharField(
        _("回答"), max_length=20, choices=Answer.choices, default=Answer.NONE, blank=True
    )
    comment = models.TextField(_("コメント"), blank=True)
    answered_at = models.DateTimeField(_("回答日時"), null=True, blank=True)
    added_in_revision = models.PositiveIntegerField(_("追加された版"), default=1)

    class Meta:
        verbose_name = _("自己点検項目")
        verbose_name_plural = _("自己点検項目")
        ordering = ["checklist", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["checklist", "rulebook", "requirement_id"],
                name="checklistitem_one_per_requirement",
            )
        ]
        indexes = [models.Index(fields=["checklist", "position"])]

    def __str__(self) -> str:
        return f"{self.rulebook} {self.requirement_id}"


class AnswerTally(models.Model):
    """Running counts of the items of one plan, unit and requirement by answer, kept by
    the services in their own transactions (tally.py), so that the dashboards read a
    few thousand rows instead of grouping every item. `assessment_tally --rebuild`
    recounts them from the items."""

    plan = models.ForeignKey(
        AssessmentPlan,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("年度自己点検計画"),
    )
    # The unit of the checklists counted (Checklist.unit); null: people without a unit.
    unit = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("所属（配付時）"),
    )
    rulebook = models.CharField(_("規程"), max_length=20)
    requirement_id = models.CharField(_("条項"), max_length=60)
    items = models.PositiveIntegerField(_("項目数"), default=0)
    done = models.PositiveIntegerField(_("実施している"), default=0)
    partial = models.PositiveIntegerField(_("一部実施"), default=0)
    not_done = models.PositiveIntegerField(_("実施していない"), default=0)
    na = models.PositiveIntegerField(_("該当しない"), default=0)

    class Meta:
        verbose_name = _("回答の集計")
        verbose_name_plural = _("回答の集計")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "unit", "rulebook", "requirement_id"],
                name="answertally_one_per_requirement",
            ),
            # NULLs are distinct in a unique index: one row for the people without a unit.
            models.UniqueConstraint(
                fields=["plan", "rulebook", "requirement_id"],
                condition=Q(unit__isnull=True),
                name="answertally_one_per_requirement_no_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.unit_id} {self.rulebook} {self.requirement_id}"

    @property
    def unanswered(self) -> int:
        return self.items - self.done - self.partial - self.not_done - self.na


class UnitEvaluation(models.Model):
    """情報セキュリティ責任者の評価 (統一基準(H30) 2.3.1(3)(a)): issues particular to the
    unit, reported to the 統括情報セキュリティ責任者."""

    plan = models.ForeignKey(
        AssessmentPlan,
        on_delete=models.CASCADE,
        related_name="unit_evaluations",
        verbose_name=_("年度自己点検計画"),
    )
    unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("組織単位")
    )
    evaluator = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("評価者")
    )
    summary = models.TextField(_("評価の概要"))
    unit_issues = models.TextField(_("組織単位特有の課題"), blank=True)
    state = models.CharField(
        _("状態"), max_length=20, choices=EvaluationState.choices, default=EvaluationState.DRAFT
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    reported_at = models.DateTimeField(_("報告日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("情報セキュリティ責任者の評価")
        verbose_name_plural = _("情報セキュリティ責任者の評価")
        ordering = ["plan", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "unit"], name="unitevaluation_one_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.plan} — {self.unit}"

    @property
    def badge(self) -> str:
        return EVALUATION_BADGES.get(self.state, "draft")


class OrgEvaluation(models.Model):
    """統括情報セキュリティ責任者の評価 (統一基準(H30) 2.3.1(3)(b)): issues common to the
    organisation, reported to the CISO."""

    plan = models.OneToOneField(
        AssessmentPlan,
        on_delete=models.CASCADE,
        related_name="org_evaluation",
        verbose_name=_("年度自己点検計画"),
    )
    evaluator = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("評価者")
    )
    summary = models.TextField(_("評価の概要"))
    common_issues = models.TextField(_("機関等に共通の課題"), blank=True)
    state = models.CharField(
        _("状態"), max_length=20, choices=EvaluationState.choices, default=EvaluationState.DRAFT
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    reported_at = models.DateTimeField(_("CISOへの報告日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("統括情報セキュリティ責任者の評価")
        verbose_name_plural = _("統括情報セキュリティ責任者の評価")

    def __str__(self) -> str:
        return str(self.plan)

    @property
    def badge(self) -> str:
        return EVALUATION_BADGES.get(self.state, "draft")
