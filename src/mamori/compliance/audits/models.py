"""Audits (監査実施計画 and their conduct), the checklist drawn from the catalog, findings
(指摘事項) with evidence, and improvement plans (改善計画) with their items.

統一基準(H30) 2.3.2, 防衛省通達 第12の2・第12の4, 総務省訓令 第41条〜第43条. Scoping by
`visible_to(person)`: auditors, the CISO and the 統括 see the whole organisation; a
情報セキュリティ責任者 sees the audits, findings and plans of the units in their scope."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamori.compliance.audits.workflow import BADGES, AuditState, PlanState

# Org-wide readers of every audit of their organisation.
WIDE_ROLES = (
    "isec_auditor",
    "ia_audit_chief",
    "ia_audit_officer",
    "pii_auditor",
    "ciso",
    "deputy_ciso",
    "chief_isec_officer",
    "ia_chief",
)
# Unit officers who see what concerns the units in their scope.
UNIT_ROLES = ("isec_officer",)
MENU_ROLES = WIDE_ROLES + UNIT_ROLES


class Kind(models.TextChoices):
    PERIODIC = "periodic", _("定期監査")
    AD_HOC = "ad_hoc", _("臨時監査")
    SPECIAL = "special", _("特別監査")


class Severity(models.TextChoices):
    MAJOR = "major", _("重大")
    MEDIUM = "medium", _("中")
    MINOR = "minor", _("軽微")
    OBSERVATION = "observation", _("観察事項")


class CheckResult(models.TextChoices):
    NOT_YET = "not_yet", _("未確認")
    CONFORMING = "conforming", _("適合")
    FINDING = "finding", _("指摘あり")
    NOT_APPLICABLE = "na", _("該当なし")


class FindingState(models.TextChoices):
    OPEN = "open", _("未指示")
    INSTRUCTED = "instructed", _("改善指示済")
    RESOLVED = "resolved", _("改善完了")


def _wide(person) -> bool:
    from mamori.org import scope

    return any(
        a.role in WIDE_ROLES or (a.role in UNIT_ROLES and a.unit_id is None and not a.system_id)
        for a in scope.active_assignments(person)
    )


def _unit_scopes(person) -> list:
    from mamori.org import scope

    return [a.unit for a in scope.active_assignments(person) if a.role in UNIT_ROLES and a.unit_id]


def _unit_paths(person) -> list[str]:
    return [unit.path for unit in _unit_scopes(person)]


def sees_whole_audit(person, audit) -> bool:
    """Auditors, the CISO, the 統括 and the audit team read the whole audit (every
    finding, the checklist, the report); a unit's 情報セキュリティ責任者 reads only
    what concerns the units in their scope."""
    return (
        _wide(person) or person.pk == audit.lead_id or audit.auditors.filter(pk=person.pk).exists()
    )


def _within(field: str, paths: list[str]) -> Q:
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{field}__path__startswith": path})
    return query


class ScopedQuerySet(models.QuerySet):
    """`visible_to(person)`: the rows of the person's organisation, all of them for the
    org-wide readers (WIDE_ROLES), otherwise those `narrow()` lets them read."""

    org_field = "audit__organization_id"

    def visible_to(self, person):
        if person is None:
            return self.none()
        rows = self.filter(**{self.org_field: person.organization_id})
        return rows if _wide(person) else self.narrow(rows, person)

    def narrow(self, rows, person):
        raise NotImplementedError


class AuditQuerySet(ScopedQuerySet):
    org_field = "organization_id"

    def narrow(self, rows, person) -> AuditQuerySet:
        scopes = _unit_scopes(person)
        # An audit of their units, of units below them, or of a unit above them (an
        # audit of a bureau concerns the officer of one of its divisions).
        above = {pk for unit in scopes for pk in unit.ancestor_ids}
        units = Audit.units.through.objects.filter(
            _within("orgunit", [unit.path for unit in scopes]) | Q(orgunit_id__in=above)
        )
        return rows.filter(
            Q(pk__in=units.values("audit_id"))
            | Q(pk__in=Audit.auditors.through.objects.filter(person=person).values("audit_id"))
            | Q(pk__in=ImprovementPlan.objects.filter(officer=person).values("audit_id"))
        )


class Audit(models.Model):
    organization = models.ForeignKey(
        "org.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("組織")
    )
    number = models.CharField(_("監査番号"), max_length=20)
    title = models.CharField(_("件名"), max_length=200)
    fiscal_year = models.PositiveIntegerField(_("年度"))
    kind = models.CharField(_("監査の区分"), max_length=20, choices=Kind.choices)
    additional = models.BooleanField(_("追加の監査実施計画"), default=False)
    reason = models.TextField(_("実施の理由"), blank=True)
    units = models.ManyToManyField("org.OrgUnit", related_name="+", verbose_name=_("被監査部門"))
    start_date = models.DateField(_("監査期間（開始）"))
    end_date = models.DateField(_("監査期間（終了）"))
    report_due = models.DateField(_("報告期限"))
    rulebooks = models.JSONField(_("対象の規程"), default=list)
    sections = models.JSONField(_("対象の節・款"), default=list, blank=True)
    planner = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("計画者")
    )
    lead = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("監査責任者")
    )
    auditors = models.ManyToManyField(
        "org.Person", related_name="audits_as_auditor", verbose_name=_("監査人")
    )
    state = models.CharField(
        _("状態"), max_length=20, choices=AuditState.choices, default=AuditState.PLANNED
    )
    summary = models.TextField(_("監査の概要"), blank=True)
    conclusion = models.TextField(_("総合所見"), blank=True)
    reported_at = models.DateTimeField(_("報告日時"), null=True, blank=True)
    closed_at = models.DateTimeField(_("完了日時"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("監査")
        verbose_name_plural = _("監査")
        ordering = ["-fiscal_year", "-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "number"], name="audit_number_unique")
        ]
        indexes = [
            models.Index(fields=["organization", "fiscal_year", "kind"], name="audit_org_year"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def badge(self) -> str:
        return BADGES.get(self.state, "")

    @property
    def rulebook_labels(self) -> list[str]:
        from mamori.org.models import Rulebook

        return [str(Rulebook(c).label) if c in Rulebook.values else c for c in self.rulebooks]

    @property
    def report_overdue(self) -> bool:
        return self.reported_at is None and self.report_due < timezone.localdate()


class ChecklistItem(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="checklist")
    order = models.PositiveIntegerField(default=0)
    rulebook = models.CharField(max_length=20)
    requirement_id = models.CharField(_("項番"), max_length=60)
    citation = models.CharField(_("根拠"), max_length=120)
    text = models.TextField(_("遵守事項"))
    result = models.CharField(
        _("結果"), max_length=20, choices=CheckResult.choices, default=CheckResult.NOT_YET
    )
    note = models.TextField(_("所見"), blank=True)
    evidence = models.TextField(_("確認した証跡"), blank=True)
    checked_by = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["audit", "order", "id"]

    def __str__(self) -> str:
        return self.citation


class FindingQuerySet(ScopedQuerySet):
    def narrow(self, rows, person) -> FindingQuerySet:
        return rows.filter(
            _within("unit", _unit_paths(person))
            | Q(audit__auditors=person)
            | Q(plan__officer=person)
        ).distinct()


class Finding(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveIntegerField(_("指摘番号"))
    severity = models.CharField(_("重要度"), max_length=20, choices=Severity.choices)
    requirement_id = models.CharField(_("項番"), max_length=60, blank=True)
    clause = models.CharField(_("根拠"), max_length=120)
    description = models.TextField(_("指摘内容"))
    cross_cutting = models.BooleanField(_("横断的な事項"), default=False)
    unit = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("被監査部門"),
    )
    state = models.CharField(
        _("状態"), max_length=20, choices=FindingState.choices, default=FindingState.OPEN
    )
    plan = models.ForeignKey(
        "ImprovementPlan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("改善計画"),
    )
    recorded_by = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("記録者")
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("指摘事項")
        verbose_name_plural = _("指摘事項")
        ordering = ["audit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "number"], name="finding_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.audit.number}-{self.number}"

    @property
    def reference(self) -> str:
        return f"{self.audit.number}-{self.number:02d}"


def evidence_path(instance: FindingEvidence, filename: str) -> str:
    # Stored under its content hash: no user-chosen name ever reaches the disk.
    return f"audits/{instance.sha256[:2]}/{instance.sha256}"


class FindingEvidence(models.Model):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    name = models.CharField(_("ファイル名"), max_length=255)
    size = models.PositiveBigIntegerField(_("サイズ"))
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class PlanQuerySet(ScopedQuerySet):
    def narrow(self, rows, person) -> PlanQuerySet:
        return rows.filter(
            _within("unit", _unit_paths(person))
            | Q(officer=person)
            | Q(pk__in=ImprovementItem.objects.filter(owner=person).values("plan_id"))
        )


class ImprovementPlan(models.Model):
    """The CISO's instruction to one officer (2.3.2(3)(a)) and that officer's plan and
    results (2.3.2(3)(b) for the 統括's cross-cutting plan, (c) for a unit's plan)."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="plans")
    cross_cutting = models.BooleanField(_("横断的な事項"), default=False)
    unit = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("担当する組織"),
    )
    officer = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("指示先")
    )
    instruction = models.TextField(_("改善の指示"))
    instructed_by = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("指示者")
    )
    instructed_at = models.DateTimeField(_("指示日時"), default=timezone.now)
    due_date = models.DateField(_("報告期限"))
    summary = models.TextField(_("改善計画の概要"), blank=True)
    state = models.CharField(
        _("状態"), max_length=20, choices=PlanState.choices, default=PlanState.INSTRUCTED
    )
    reported_at = models.DateTimeField(_("報告日時"), null=True, blank=True)
    closed_at = models.DateTimeField(_("完了日時"), null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True, editable=False)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("改善計画")
        verbose_name_plural = _("改善計画")
        ordering = ["audit", "-cross_cutting", "id"]

    def __str__(self) -> str:
        return f"{self.audit.number} {self.unit or _('横断的な事項')}"

    @property
    def badge(self) -> str:
        return BADGES.get(self.state, "")


class ItemQuerySet(models.QuerySet):
    def visible_to(self, person) -> ItemQuerySet:
        if person is None:
            return self.none()
        return self.filter(
            Q(plan__in=ImprovementPlan.objects.visible_to(person)) | Q(owner=person)
        ).filter(plan__audit__organization_id=person.organization_id)

    def open(self) -> ItemQuerySet:
        return self.filter(done_at__isnull=True)


class ImprovementItem(models.Model):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="items")
    finding = models.ForeignKey(
        Finding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("指摘事項"),
    )
    measure = models.TextField(_("改善措置"))
    owner = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("担当者")
    )
    due_date = models.DateField(_("期限"))
    done_at = models.DateTimeField(_("完了日時"), null=True, blank=True)
    result = models.TextField(_("措置結果"), blank=True)
    last_reminded_on = models.DateField(null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("改善項目")
        verbose_name_plural = _("改善項目")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["due_date", "done_at"], name="audit_item_due")]

    def __str__(self) -> str:
        return self.measure[:60]

    @property
    def is_open(self) -> bool:
        return self.done_at is None

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_date < timezone.localdate()
