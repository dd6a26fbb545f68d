"""Models of the compliance app: the administrator's imports of the official regulation
catalogs (統一基準 etc., whose seeds abbreviate many clauses （略）), the agency's own
対策基準 (policy documents and their items mapped to requirements) and reports of serious
violations of the rules (統一基準(H30) 2.2.1(2)(a)) with their reporting chain."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportState(models.TextChoices):
    PENDING = "pending", _("確認待ち")
    APPLIED = "applied", _("適用済み")
    DISCARDED = "discarded", _("破棄")


class CatalogImport(models.Model):
    """One upload of an official catalog. A clean file is stored `pending` with the parsed
    entries (the preview); the confirmation applies exactly these stored entries, never
    data posted again. The effective catalog of a rulebook is the committed one merged with
    its latest applied import (mamori.compliance.catalogs)."""

    rulebook = models.CharField(_("規程"), max_length=20, db_index=True)
    file_name = models.CharField(_("ファイル名"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    entries = models.JSONField(_("取込項目"), default=list)
    state = models.CharField(
        _("状態"), max_length=20, choices=ImportState.choices, default=ImportState.PENDING
    )
    filled = models.PositiveIntegerField(_("本文を補った項目"), default=0)
    added = models.PositiveIntegerField(_("追加した項目"), default=0)
    conflicts = models.PositiveIntegerField(_("本文が異なる項目"), default=0)
    conflict_ids = models.JSONField(_("本文が異なる項目の番号"), default=list, blank=True)
    imported_by = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="catalog_imports",
        verbose_name=_("取込者"),
    )
    # The catalog is one for the site, but an upload belongs to the organisation whose
    # officer made it: only that organisation sees, applies or discards it.
    organization = models.ForeignKey(
        "org.Organization",
        on_delete=models.PROTECT,
        related_name="catalog_imports",
        verbose_name=_("組織"),
    )
    created = models.DateTimeField(_("アップロード日時"), auto_now_add=True)
    imported_at = models.DateTimeField(_("適用日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("規程カタログの取込み")
        verbose_name_plural = _("規程カタログの取込み")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["rulebook", "state", "-imported_at"])]

    def __str__(self) -> str:
        return f"{self.rulebook}: {self.file_name}"


# --- 対策基準 (the agency's own policy) ---------------------------------------------


class PolicyState(models.TextChoices):
    DRAFT = "draft", _("策定中")
    IN_FORCE = "in_force", _("施行中")
    RETIRED = "retired", _("廃止")


class Strength(models.TextChoices):
    EQUIVALENT = "equivalent", _("同等")
    STRICTER = "stricter", _("より厳格")
    WEAKER = "weaker", _("緩和（理由あり）")


class PolicyDocumentQuerySet(models.QuerySet):
    def visible_to(self, person) -> PolicyDocumentQuerySet:
        from mamori.compliance import permissions

        if person is None or not permissions.may_read_policy(person):
            return self.none()
        return self.filter(organization_id=person.organization_id)


class PolicyDocument(models.Model):
    """The 対策基準 of an organisation (統一基準(H30) 2.1.2(1)(a)), one row per version."""

    organization = models.ForeignKey(
        "org.Organization",
        on_delete=models.PROTECT,
        related_name="policy_documents",
        verbose_name=_("組織"),
    )
    title = models.CharField(_("名称"), max_length=200)
    version = models.CharField(_("版"), max_length=40)
    effective_date = models.DateField(_("施行日"), null=True, blank=True)
    review_date = models.DateField(_("次回見直し期日"), null=True, blank=True)
    state = models.CharField(
        _("状態"), max_length=20, choices=PolicyState.choices, default=PolicyState.DRAFT
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = PolicyDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("対策基準")
        verbose_name_plural = _("対策基準")
        ordering = ["-effective_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "title", "version"], name="policydocument_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.version}）"


class PolicyItem(models.Model):
    """One item of a 対策基準, mapped to the requirements it implements."""

    document = models.ForeignKey(
        PolicyDocument, on_delete=models.CASCADE, related_name="items", verbose_name=_("対策基準")
    )
    number = models.CharField(_("項番"), max_length=40)
    sort_key = models.CharField(max_length=120, editable=False, default="", db_index=True)
    title = models.CharField(_("見出し"), max_length=200, blank=True)
    text = models.TextField(_("本文"))
    strength = models.CharField(
        _("遵守事項との関係"), max_length=20, choices=Strength.choices, default=Strength.EQUIVALENT
    )
    weaker_reason = models.TextField(_("緩和の理由"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("対策基準の項目")
        verbose_name_plural = _("対策基準の項目")
        ordering = ["document", "sort_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="policyitem_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class PolicyMapping(models.Model):
    """A policy item implements one requirement (rulebook + clause id as printed)."""

    item = models.ForeignKey(
        PolicyItem, on_delete=models.CASCADE, related_name="mappings", verbose_name=_("項目")
    )
    rulebook = models.CharField(_("規程"), max_length=20)
    clause_id = models.CharField(_("遵守事項"), max_length=60)

    class Meta:
        verbose_name = _("遵守事項との対応")
        verbose_name_plural = _("遵守事項との対応")
        ordering = ["item", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "rulebook", "clause_id"], name="policymapping_unique"
            )
        ]
        indexes = [models.Index(fields=["rulebook", "clause_id"])]

    def __str__(self) -> str:
        return f"{self.rulebook}:{self.clause_id}"

    @property
    def key(self) -> str:
        return f"{self.rulebook}:{self.clause_id}"


# --- violation reports (統一基準(R7) 2.2.1(2)(a)) -------------------------------------


class ViolationStatus(models.TextChoices):
    REPORTED = "reported", _("報告済み")
    FORWARDED_TO_CHIEF = "forwarded_to_chief", _("統括へ報告済み")
    REPORTED_TO_CISO = "reported_to_ciso", _("CISOへ報告済み")
    CLOSED = "closed", _("完了")


class StepKind(models.TextChoices):
    TO_OFFICER = "to_officer", _("職員等から情報セキュリティ責任者へ")
    TO_CHIEF = "to_chief", _("統括情報セキュリティ責任者へ")
    TO_CISO = "to_ciso", _("最高情報セキュリティ責任者へ")


class ViolationReportQuerySet(models.QuerySet):
    def visible_to(self, person) -> ViolationReportQuerySet:
        """The reporter's own reports; reports of their units for 情報セキュリティ責任者;
        every report of the organisation for the 統括 and the CISO; and any report where
        the person is a recipient in the chain."""
        if person is None:
            return self.none()
        from django.db.models import Q

        from mamori.compliance import permissions
        from mamori.org import scope

        org = self.filter(organization_id=person.organization_id)
        if scope.has_org_wide_role(person, permissions.VIOLATION_ORG_ROLES):
            return org
        # A 情報セキュリティ責任者 assigned for the whole organisation covers every unit.
        if any(
            a.role == "isec_officer" and a.unit_id is None and a.system_id is None
            for a in scope.active_assignments(person)
        ):
            return org
        query = Q(reporter=person)
        query |= scope.visible_unit_filter(person, field="reporter_unit", roles=("isec_officer",))
        query |= Q(pk__in=ViolationStep.objects.filter(recipient=person).values("report_id"))
        return org.filter(query)


class ViolationReport(models.Model):
    """A serious violation of the information-security rules reported by a member of
    staff, and where its reporting chain stands."""

    organization = models.ForeignKey(
        "org.Organization",
        on_delete=models.PROTECT,
        related_name="violation_reports",
        verbose_name=_("組織"),
    )
    reporter = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="violation_reports",
        verbose_name=_("報告者"),
    )
    reporter_unit = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("報告者の所属"),
    )
    title = models.CharField(_("件名"), max_length=200)
    description = models.TextField(_("違反の内容"))
    occurred_on = models.DateField(_("発生日（わかる範囲で）"), null=True, blank=True)
    rules_concerned = models.CharField(_("違反した規程・項目"), max_length=300, blank=True)
    status = models.CharField(
        _("状態"),
        max_length=30,
        choices=ViolationStatus.choices,
        default=ViolationStatus.REPORTED,
        db_index=True,
    )
    reported_at = models.DateTimeField(_("報告日時"), auto_now_add=True)
    closed_at = models.DateTimeField(_("完了日時"), null=True, blank=True)
    closing_note = models.TextField(_("完了時の所見"), blank=True)

    objects = ViolationReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("違反の報告")
        verbose_name_plural = _("違反の報告")
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return self.title


class ViolationStep(models.Model):
    """One report up the chain: sender → recipient, sent and acknowledged."""

    report = models.ForeignKey(
        ViolationReport, on_delete=models.CASCADE, related_name="steps", verbose_name=_("報告")
    )
    order = models.PositiveSmallIntegerField(_("順序"))
    kind = models.CharField(_("段階"), max_length=20, choices=StepKind.choices)
    sender = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("送信者")
    )
    recipient = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="violation_steps",
        verbose_name=_("受信者"),
    )
    citation = models.CharField(_("根拠"), max_length=80)
    sent_at = models.DateTimeField(_("送信日時"))
    acknowledged_at = models.DateTimeField(_("受領確認日時"), null=True, blank=True)
    note = models.TextField(_("所見"), blank=True)

    class Meta:
        verbose_name = _("違反報告の段階")
        verbose_name_plural = _("違反報告の段階")
        ordering = ["report", "order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "order"], name="violationstep_order_unique")
        ]
        indexes = [models.Index(fields=["recipient", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.report} #{self.order}"
