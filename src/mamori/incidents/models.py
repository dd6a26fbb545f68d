"""CSIRT cases (インシデント), their tasks, timeline and evidence, and the tracked items of
the reporting chain (one row per required notification, with its due time and snapshot).

Kinds, taxonomies and damage types are codes of the pure catalogue
(mamori.rules.incident_kinds); the chain is computed by mamori.rules.routes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamori.incidents.workflow import STATUS_BADGES, Status


class Importance(models.TextChoices):
    # 防衛省通達 第11-2(6): the labels the 情報保証統括責任者 gives notices.
    INFO = "info", _("情報")
    CAUTION = "caution", _("注意喚起")
    ALERT = "alert", _("警報")


# Org-wide roles that handle every case of their organisation.
CASE_HANDLER_ROLES = ("csirt", "csirt_lead", "ciso", "deputy_ciso", "chief_isec_officer")
# Org-wide roles that see every case under their rulebook: MOD chain officers, the
# 総括保護管理者 for personal-information cases.
MOD_WIDE_ROLES = ("incident_chief", "ia_chief")
# Unit-scoped roles that see cases reported from their units.
UNIT_ROLES = ("isec_officer", "section_isec_officer", "incident_officer", "ia_officer")
PII_ROLES = ("pii_chief", "pii_manager")


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, person) -> IncidentQuerySet:
        """Cases the person may see: their own reports; every case of the organisation
        for CSIRT, CISO and 統括; cases of their units for unit officers; personal-
        information cases of their scope for 保護管理者 / 総括保護管理者; cases of their
        systems for 情報システム情報保証責任者; cases where they are a chain recipient,
        handler or task owner."""
        if person is None:
            return self.none()
        from mamori.org import scope

        org = self.filter(organization_id=person.organization_id)
        if scope.has_org_wide_role(person, CASE_HANDLER_ROLES + MOD_WIDE_ROLES):
            return org
        # A unit role assigned for the whole organisation (e.g. 事案対処責任者 of the
        # 機関) covers every unit, like an org-wide role.
        if any(
            a.role in UNIT_ROLES and a.unit_id is None and a.system_id is None
            for a in scope.active_assignments(person)
        ):
            return org
        query = Q(reporter=person) | Q(handler=person)
        query |= scope.visible_unit_filter(person, field="reporter_unit", roles=UNIT_ROLES)
        if scope.has_org_wide_role(person, ("pii_chief",)):
            query |= Q(involves_personal_info=True)
        else:
            pii_units = scope.visible_unit_filter(person, field="reporter_unit", roles=PII_ROLES)
            query |= pii_units & Q(involves_personal_info=True)
        systems = [
            a.system_id
            for a in scope.active_assignments(person)
            if a.system_id and a.role in ("sys_ia_officer", "sys_ia_officer_assistant")
        ]
        if systems:
            query |= Q(
                pk__in=Incident.affected_systems.through.objects.filter(
                    informationsystem_id__in=systems
                ).values("incident_id")
            )
        query |= Q(
            pk__in=ChainItem.objects.filter(recipient_person=person).values("incident_id")
        ) | Q(pk__in=IncidentTask.objects.filter(owner=person).values("incident_id"))
        return org.filter(query)

    def overdue(self, now=None) -> IncidentQuerySet:
        return self.filter(chain_next_due_at__lt=now or timezone.now())


class Incident(models.Model):
    organization = models.ForeignKey(
        "org.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("組織")
    )
    number = models.CharField(_("事案番号"), max_length=20)
    kind = models.CharField(_("事案の種類"), max_length=40)
    title = models.CharField(_("件名"), max_length=200)
    description = models.TextField(_("内容"))
    reporter = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        related_name="reported_incidents",
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
    reported_at = models.DateTimeField(_("報告日時"), default=timezone.now)
    occurred_at = models.DateTimeField(_("発生日時"), null=True, blank=True)
    discovered_at = models.DateTimeField(_("発見日時"), null=True, blank=True)
    location = models.CharField(_("発生場所"), max_length=200, blank=True)
    device = models.CharField(_("端末・機器"), max_length=200, blank=True)
    people_count = models.PositiveIntegerField(_("影響を受ける人数"), null=True, blank=True)
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.REPORTED
    )
    importance = models.CharField(
        _("重要度"), max_length=10, choices=Importance.choices, blank=True
    )
    event_type = models.CharField(_("事象分類"), max_length=40, blank=True)
    cause = models.CharField(_("原因分類"), max_length=40, blank=True)
    damage_types = models.JSONField(_("被害の種類"), default=list, blank=True)
    facts = models.JSONField(_("事案の事実"), default=dict, blank=True)
    # Copied out of `facts` so that scoping (保護管理者 see personal-information cases)
    # is an indexed column rather than a JSON lookup.
    involves_personal_info = models.BooleanField(_("個人情報を含む"), default=False)
    impact_c = models.BooleanField(_("機密性への影響"), default=False)
    impact_i = models.BooleanField(_("完全性への影響"), default=False)
    impact_a = models.BooleanField(_("可用性への影響"), default=False)
    affected_systems = models.ManyToManyField(
        "systems.InformationSystem",
        blank=True,
        related_name="incidents",
        verbose_name=_("影響を受けた情報システム"),
    )
    affected_assets = models.ManyToManyField(
        "assets.InformationAsset",
        blank=True,
        related_name="incidents",
        verbose_name=_("影響を受けた情報資産"),
    )
    affected_people = models.TextField(_("影響を受けた人"), blank=True)
    containment = models.TextField(_("封じ込め措置"), blank=True)
    cause_analysis = models.TextField(_("原因の分析"), blank=True)
    recurrence_prevention = models.TextField(_("再発防止策"), blank=True)
    shared_with_units = models.ManyToManyField(
        "org.OrgUnit", blank=True, related_name="+", verbose_name=_("再発防止策の共有先")
    )
    handler = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_incidents",
        verbose_name=_("担当者"),
    )
    first_response_at = models.DateTimeField(_("初動対応日時"), null=True, blank=True)
    closed_at = models.DateTimeField(_("終結日時"), null=True, blank=True)
    # The earliest due time among the chain items not yet sent: kept by the services
    # so that the board can show and filter "overdue" without a join.
    chain_next_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("インシデント")
        verbose_name_plural = _("インシデント")
        ordering = ["-reported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="incident_number_unique"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "-reported_at"], name="incident_org_recent"),
            models.Index(fields=["organization", "status"], name="incident_org_status"),
            models.Index(fields=["organization", "kind"], name="incident_org_kind"),
            models.Index(fields=["organization", "chain_next_due_at"], name="incident_org_due"),
            models.Index(fields=["reporter_unit", "-reported_at"], name="incident_unit_recent"),
            models.Index(fields=["reporter", "-reported_at"], name="incident_reporter_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES.get(self.status, "")

    @property
    def is_overdue(self) -> bool:
        return self.chain_next_due_at is not None and self.chain_next_due_at < timezone.now()


class IncidentTask(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("作業"), max_length=200)
    owner = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("担当者")
    )
    due_at = models.DateTimeField(_("期限"), null=True, blank=True)
    done_at = models.DateTimeField(_("完了日時"), null=True, blank=True)
    created_by = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_at", "due_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_at is not None and self.due_at < timezone.now()


class TimelineEntry(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=40)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["incident", "at"], name="timeline_incident_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"


def evidence_path(instance: Evidence, filename: str) -> str:
    # Stored under its content hash: no user-chosen name ever reaches the disk.
    return f"incidents/{instance.sha256[:2]}/{instance.sha256}"


class Evidence(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="evidence")
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


class ChainItem(models.Model):
    """One required notification of the reporting chain, tracked from due to acknowledged.

    `recipient` is a role code for internal recipients (resolved to `recipient_person`
    by role and unit scope) or a party code (NISC, 所管省庁, 委員会 …) for outside ones."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="chain_items")
    step_key = models.CharField(max_length=60)
    order = models.PositiveIntegerField(default=0)
    sender = models.CharField(max_length=40)
    recipient = models.CharField(max_length=40)
    internal = models.BooleanField(default=True)
    recipient_person = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title_ja = models.CharField(max_length=300)
    title_en = models.CharField(max_length=300, blank=True)
    # Why the step applies, in the words of the routes catalogue (can run long).
    condition = models.TextField(blank=True)
    condition_en = models.TextField(blank=True)
    citation = models.CharField(max_length=200)
    due_rule = models.CharField(max_length=40, blank=True)  # the Due kind from routes
    due_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Re-triage may make an unsent item no longer required: it is kept, marked cancelled.
    cancelled_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["incident", "order", "id"]
        indexes = [
            models.Index(fields=["incident", "order"], name="chainitem_incident_order"),
            models.Index(
                fields=["recipient_person", "acknowledged_at"], name="chainitem_recipient_open"
            ),
        ]

    def __str__(self) -> str:
        return self.title_ja

    @property
    def title(self) -> str:
        from django.utils.translation import get_language

        return self.title_en if get_language() == "en" and self.title_en else self.title_ja

    @property
    def condition_text(self) -> str:
        from django.utils.translation import get_language

        english = (get_language() or "ja").startswith("en")
        return self.condition_en if english and self.condition_en else self.condition

    @property
    def is_open(self) -> bool:
        return self.sent_at is None and self.cancelled_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()
