"""The critical-infrastructure sharing hub (行動計画 別添, 別紙1–5, Ⅲ.2).

- `Party`: how an organisation takes part (NISC, CI ministry, CEPTOAR, operator …), its
  sector, CEPTOAR membership, the CEPTOAR's agreed handling rules and point of contact
  (Ⅲ.2.3 ①②) and whether an early-warning handling agreement with NISC is on file
  (別添2.3④).
- `SectorLiaison`: the liaison a CI ministry names for one sector (別添2.3①, 3.3②).
- `Report` / `ReportVersion` / `RouteStep` / `ReportNote`: 情報連絡 by an operator, every
  update kept as a version, each hop operator → liaison → NISC recorded (別添3).
- `Alert` / `Delivery`: 情報提供 by NISC, anonymised, one delivery row per recipient
  organisation with its acknowledgement (別添2).
- `ModeChange`: normal ⇄ large-scale IT failure mode (別紙4-1, 4-2); the latest row wins.

Sector, service, event and cause codes are codes of the pure catalogue mamori.rules.cip;
who may see what is decided in mamori.sharing.access.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PartyRole(models.TextChoices):
    NISC = "nisc", _("内閣官房（NISC）")
    CI_MINISTRY = "ci_ministry", _("重要インフラ所管省庁")
    CEPTOAR = "ceptoar", _("セプター")
    CEPTOAR_COUNCIL = "ceptoar_council", _("セプターカウンシル")
    OPERATOR = "operator", _("重要インフラ事業者等")
    SECURITY_MINISTRY = "security_ministry", _("情報セキュリティ関係省庁")
    INCIDENT_MINISTRY = "incident_ministry", _("事案対処省庁")
    DISASTER_MINISTRY = "disaster_ministry", _("防災関係府省庁")
    CABINET_CRISIS = "cabinet_crisis", _("内閣官房（安全保障・危機管理担当）")
    RELEVANT_ORG = "relevant_org", _("関係機関")
    CYBER_VENDOR = "cyber_vendor", _("サイバー空間関連事業者")


# Parties that only join alert routes in large-scale IT failure mode (別紙4-2).
LARGE_SCALE_ROLES = (
    PartyRole.CABINET_CRISIS,
    PartyRole.DISASTER_MINISTRY,
    PartyRole.INCIDENT_MINISTRY,
)


class Party(models.Model):
    organization = models.OneToOneField(
        "org.Organization",
        on_delete=models.PROTECT,
        related_name="sharing_party",
        verbose_name=_("組織"),
    )
    role = models.CharField(_("情報共有体制上の位置付け"), max_length=20, choices=PartyRole.choices)
    sector = models.CharField(_("重要インフラ分野"), max_length=30, blank=True, db_index=True)
    ceptoar = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        limit_choices_to={"role": PartyRole.CEPTOAR},
        verbose_name=_("所属するセプター"),
    )
    # Ⅲ.2.3①: the rules the CEPTOAR's members agreed on for handling what NISC provides.
    handling_rules = models.TextField(_("情報の取扱いに関するルール"), blank=True)
    handling_rules_agreed_on = models.DateField(_("ルールの合意日"), null=True, blank=True)
    # 別添2.3④: early warnings go only to recipients with this agreement on file.
    handling_agreement_on = models.DateField(
        _("早期警戒情報の取扱いに関する取決めの合意日"), null=True, blank=True
    )
    # Ⅲ.2.3②: the point of contact reachable in an emergency.
    poc_person = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("窓口（PoC）担当者"),
    )
    poc_phone = models.CharField(_("窓口の電話番号"), max_length=40, blank=True)
    poc_email = models.EmailField(_("窓口のメールアドレス"), blank=True)
    in_council = models.BooleanField(_("セプターカウンシルに参加"), default=False)
    active = models.BooleanField(_("有効"), default=True)

    class Meta:
        verbose_name = _("情報共有の関係主体")
        verbose_name_plural = _("情報共有の関係主体")
        ordering = ["role", "sector", "organization_id"]
        indexes = [models.Index(fields=["role", "sector"], name="sharing_party_role_sector")]

    def __str__(self) -> str:
        return str(self.organization)

    @property
    def has_handling_agreement(self) -> bool:
        return self.handling_agreement_on is not None


class SectorLiaison(models.Model):
    """The liaison (内閣官房併任) a CI ministry names for one sector it oversees."""

    ministry = models.ForeignKey(
        "org.Organization",
        on_delete=models.PROTECT,
        related_name="sharing_liaisons",
        verbose_name=_("重要インフラ所管省庁"),
    )
    sector = models.CharField(_("重要インフラ分野"), max_length=30, unique=True)
    people = models.ManyToManyField(
        "org.Person", blank=True, related_name="sharing_liaisons", verbose_name=_("リエゾン")
    )

    class Meta:
        verbose_name = _("分野担当リエゾン")
        verbose_name_plural = _("分野担当リエゾン")
        ordering = ["ministry_id", "sector"]

    def __str__(self) -> str:
        return f"{self.ministry} / {self.sector}"


class Tlp(models.TextChoices):
    """Traffic Light Protocol 2.0 (FIRST)."""

    CLEAR = "clear", "TLP:CLEAR"
    GREEN = "green", "TLP:GREEN"
    AMBER = "amber", "TLP:AMBER"
    AMBER_STRICT = "amber_strict", "TLP:AMBER+STRICT"
    RED = "red", "TLP:RED"


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("所管省庁へ連絡済み")
    FORWARDED = "forwarded", _("内閣官房へ連絡済み")
    CLOSED = "closed", _("終結")


class Report(models.Model):
    """情報連絡 from an operator (別添3). The content lives in versions; `current` is the
    latest. The sharing range (TLP label plus the parties allowed) is chosen by the
    reporter (別添3.3③) and is what mamori.sharing.access enforces."""

    number = models.CharField(_("連絡番号"), max_length=24, unique=True)
    organization = models.ForeignKey(
        "org.Organization",
        on_delete=models.PROTECT,
        related_name="sharing_reports",
        verbose_name=_("連絡元"),
    )
    reporter = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("連絡者")
    )
    sector = models.CharField(_("重要インフラ分野"), max_length=30, db_index=True)
    liaison = models.ForeignKey(
        SectorLiaison,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("分野担当リエゾン"),
    )
    status = models.CharField(
        _("状態"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    current = models.ForeignKey(
        "ReportVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("最新版"),
    )
    # --- sharing range (別添3.3③) ---
    tlp = models.CharField(_("TLP"), max_length=20, choices=Tlp.choices, default=Tlp.AMBER)
    share_same_sector = models.BooleanField(_("同じ分野の重要インフラ事業者等"), default=False)
    share_same_ceptoar = models.BooleanField(_("所属するセプター"), default=False)
    share_all_operators = models.BooleanField(_("全分野の重要インフラ事業者等"), default=False)
    share_ceptoars = models.BooleanField(_("全てのセプター"), default=False)
    share_ministries = models.BooleanField(_("重要インフラ所管省庁"), default=False)
    share_government = models.BooleanField(
        _("情報セキュリティ関係省庁・事案対処省庁等"), default=False
    )
    share_relevant_orgs = models.BooleanField(_("関係機関"), default=False)
    share_vendors = models.BooleanField(_("サイバー空間関連事業者"), default=False)
    share_orgs = models.ManyToManyField(
        "org.Organization", blank=True, related_name="+", verbose_name=_("個別に指定した共有先")
    )
    # 別添3.4: 任意提供情報 unless the law says otherwise or the reporter agrees.
    handled_as_voluntary = models.BooleanField(_("任意提供情報として取り扱う"), default=True)
    created = models.DateTimeField(_("連絡日時"), default=timezone.now)
    updated = models.DateTimeField(_("更新日時"), default=timezone.now)

    class Meta:
        verbose_name = _("情報連絡")
        verbose_name_plural = _("情報連絡")
        ordering = ["-updated", "-id"]
        indexes = [
            models.Index(fields=["organization", "-updated"], name="sharing_report_org_recent"),
            models.Index(fields=["sector", "-updated"], name="sharing_report_sector_recent"),
            models.Index(fields=["tlp"], name="sharing_report_tlp"),
        ]

    def __str__(self) -> str:
        return self.number

    SHARE_FLAGS = (
        "share_same_sector",
        "share_same_ceptoar",
        "share_all_operators",
        "share_ceptoars",
        "share_ministries",
        "share_government",
        "share_relevant_orgs",
        "share_vendors",
    )


class ReportVersion(models.Model):
    """One version of a report: the first connection and every later update (別添3.2:
    fragmentary or uncertain information is allowed, completed later)."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="versions", verbose_name=_("情報連絡")
    )
    number = models.PositiveIntegerField(_("版"))
    author = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("作成者")
    )
    created = models.DateTimeField(_("作成日時"), default=timezone.now)
    title = models.CharField(_("件名"), max_length=200)
    summary = models.TextField(_("概要"))
    event_type = models.CharField(_("事象の類型"), max_length=30)
    cause_type = models.CharField(_("原因の類型"), max_length=30)
    cause_detail = models.CharField(_("原因の例"), max_length=60, blank=True)
    impact_c = models.BooleanField(_("機密性への影響"), default=False)
    impact_i = models.BooleanField(_("完全性への影響"), default=False)
    impact_a = models.BooleanField(_("可用性への影響"), default=False)
    service = models.CharField(_("影響を受けた重要インフラサービス"), max_length=40, blank=True)
    figures = models.JSONField(_("影響の規模"), default=dict, blank=True)
    # Computed by mamori.rules.cip.exceeds_level, never typed: None = cannot tell
    # (qualitative level or missing figures).
    exceeds_level = models.BooleanField(_("サービス維持レベルの逸脱"), null=True)
    level_reasons = models.JSONField(_("判定の理由"), default=list, blank=True)
    level_citation = models.CharField(_("判定の根拠"), max_length=120, blank=True)
    occurred_at = models.DateTimeField(_("発生日時"), null=True, blank=True)
    legally_required = models.BooleanField(_("法令等で報告が義務付けられている"), default=False)
    legal_basis = models.CharField(_("根拠法令"), max_length=200, blank=True)
    # 別添3.2: the means of contact and the person in charge are mandatory.
    contact_means = models.CharField(_("利用可能な連絡手段"), max_length=200)
    contact_person = models.CharField(_("連絡担当者"), max_length=120)
    contact_phone = models.CharField(_("連絡先電話番号"), max_length=40, blank=True)
    contact_email = models.EmailField(_("連絡先メールアドレス"), blank=True)
    uncertain = models.BooleanField(_("断片的又は不確定な情報を含む"), default=False)
    change_note = models.CharField(_("更新内容"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("情報連絡の版")
        verbose_name_plural = _("情報連絡の版")
        ordering = ["report_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="sharing_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


class RouteStep(models.Model):
    """One hop of a report: operator → its ministry's liaison → NISC (別添3.3)."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="route", verbose_name=_("情報連絡")
    )
    sender_org = models.ForeignKey(
        "org.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("送信元")
    )
    sender = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("送信者")
    )
    recipient_org = models.ForeignKey(
        "org.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("送信先")
    )
    version = models.PositiveIntegerField(_("送信した版"))
    sent_at = models.DateTimeField(_("送信日時"), default=timezone.now)
    note = models.TextField(_("付記"), blank=True)

    class Meta:
        verbose_name = _("情報連絡の経路")
        verbose_name_plural = _("情報連絡の経路")
        ordering = ["report_id", "sent_at", "id"]
        indexes = [models.Index(fields=["recipient_org", "report"], name="sharing_route_recipient")]

    def __str__(self) -> str:
        return f"{self.report}: {self.sender_org} → {self.recipient_org}"


class ReportNote(models.Model):
    """A note added on the way (a liaison's remark, NISC's analysis note)."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="notes", verbose_name=_("情報連絡")
    )
    author = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("記入者")
    )
    organization = models.ForeignKey(
        "org.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("組織")
    )
    text = models.TextField(_("内容"))
    created = models.DateTimeField(_("記入日時"), default=timezone.now)

    class Meta:
        verbose_name = _("付記")
        verbose_name_plural = _("付記")
        ordering = ["report_id", "created", "id"]

    def __str__(self) -> str:
        return f"{self.report} — {self.organization}"


class Importance(models.TextChoices):
    # 別添2.3①: importance visible at a glance.
    HIGH = "high", _("重要度：高")
    MEDIUM = "medium", _("重要度：中")
    LOW = "low", _("重要度：低")


class AlertCategory(models.TextChoices):
    # The kinds of information in 別紙4-1 / 4-2.
    RELATED = "related", _("各種関連情報")
    RECOVERY = "recovery", _("復旧手法情報")
    ATTACK_METHOD = "attack_method", _("攻撃手法情報")
    EARLY_WARNING = "early_warning", _("早期警戒情報")
    FAILURE = "failure", _("障害・攻撃情報")


class AlertStatus(models.TextChoices):
    DRAFT = "draft", _("作成中")
    ISSUED = "issued", _("提供済み")


class Alert(models.Model):
    """情報提供 by NISC (別添2). Title and body never carry the reporter's identity
    (別添2.2); the services refuse to issue one that does, or one that would reach a
    recipient outside any source report's range (別添2.1)."""

    number = models.CharField(_("提供番号"), max_length=24, unique=True)
    title = models.CharField(_("件名"), max_length=200)
    body = models.TextField(_("内容"))
    importance = models.CharField(
        _("重要度"), max_length=10, choices=Importance.choices, default=Importance.MEDIUM
    )
    category = models.CharField(
        _("情報の種類"), max_length=20, choices=AlertCategory.choices, default=AlertCategory.RELATED
    )
    tlp = models.CharField(_("TLP"), max_length=20, choices=Tlp.choices, default=Tlp.AMBER)
    early_warning = models.BooleanField(_("早期警戒情報（直接提供）"), default=False)
    sectors = models.JSONField(_("対象分野"), default=list, blank=True)
    mode = models.CharField(_("提供時の体制"), max_length=20, default="normal")
    source_reports = models.ManyToManyField(
        Report, blank=True, related_name="alerts", verbose_name=_("元になった情報連絡")
    )
    status = models.CharField(
        _("状態"), max_length=10, choices=AlertStatus.choices, default=AlertStatus.DRAFT
    )
    author = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("作成者")
    )
    organization = models.ForeignKey(
        "org.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("提供元")
    )
    created = models.DateTimeField(_("作成日時"), default=timezone.now)
    issued_at = models.DateTimeField(_("提供日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("情報提供")
        verbose_name_plural = _("情報提供")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["status", "-issued_at"], name="sharing_alert_issued")]

    def __str__(self) -> str:
        return self.number


class DeliveryVia(models.TextChoices):
    LIAISON = "liaison", _("リエゾン経由")
    CEPTOAR = "ceptoar", _("セプター経由")
    DIRECT = "direct", _("直接")
    COPY = "copy", _("同報")


class Receipt(models.Model):
    """When something reached a recipient, at which hop, and who acknowledged it: the
    common part of alert deliveries (Delivery) and drill deliveries (DrillDelivery)."""

    hop = models.PositiveSmallIntegerField(_("段階"), default=1)
    delivered_at = models.DateTimeField(_("配信日時"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("受領確認日時"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("受領確認者"),
    )

    class Meta:
        abstract = True


class Delivery(Receipt):
    """One recipient organisation of an alert, how it got there and its acknowledgement."""

    alert = models.ForeignKey(
        Alert, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("情報提供")
    )
    recipient = models.ForeignKey(
        "org.Organization",
        on_delete=models.PROTECT,
        related_name="sharing_deliveries",
        verbose_name=_("提供先"),
    )
    via = models.CharField(_("経路"), max_length=10, choices=DeliveryVia.choices)
    relay = models.ForeignKey(
        "org.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("中継した組織"),
    )

    class Meta:
        verbose_name = _("配信記録")
        verbose_name_plural = _("配信記録")
        ordering = ["alert_id", "hop", "id"]
        constraints = [
            models.UniqueConstraint(fields=["alert", "recipient"], name="sharing_delivery_unique")
        ]
        indexes = [
            models.Index(fields=["recipient", "acknowledged_at"], name="sharing_delivery_inbox")
        ]

    def __str__(self) -> str:
        return f"{self.alert} → {self.recipient}"


class Mode(models.TextChoices):
    NORMAL = "normal", _("平時")
    LARGE_SCALE = "large_scale", _("大規模ＩＴ障害対応時")


class ModeChange(models.Model):
    """Switching between 別紙4-1 (平時) and 別紙4-2 (大規模ＩＴ障害対応時); the latest row
    is the current mode. No row means normal."""

    mode = models.CharField(_("体制"), max_length=20, choices=Mode.choices)
    reason = models.TextField(_("理由"), blank=True)
    changed_by = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("切替者")
    )
    changed_at = models.DateTimeField(_("切替日時"), default=timezone.now)

    class Meta:
        verbose_name = _("体制の切替え")
        verbose_name_plural = _("体制の切替え")
        ordering = ["-changed_at", "-id"]
        get_latest_by = ["changed_at", "id"]

    def __str__(self) -> str:
        return self.get_mode_display()


from mamori.sharing import drill_models, indicator_models, taxii_models  # noqa: E402, F401  (drills, surveys, TAXII)
