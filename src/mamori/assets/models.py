"""The information asset register (情報資産台帳): what each piece of information is, who
decided its 格付 and 取扱制限, where it lives and what has happened to it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MarkingMethod(models.TextChoices):
    HEADER = "header", _("ヘッダー等への表示")
    FILENAME = "filename", _("ファイル名への表示")
    OMITTED_BY_RULE = "omitted", _("規程により表示を省略")


class Medium(models.TextChoices):
    ELECTRONIC = "electronic", _("電磁的記録")
    PAPER = "paper", _("書面")


class AssetState(models.TextChoices):
    IN_USE = "in_use", _("利用中")
    PUBLISHED = "published", _("公表済")
    PROVIDED = "provided", _("提供済")
    DISPOSED = "disposed", _("廃棄済")


class AssetQuerySet(models.QuerySet):
    def visible_to(self, person) -> AssetQuerySet:
        """Assets of the units within the person's role scopes, those they decided, and
        those of their own unit (staff handle their own unit's information)."""
        if person is None:
            return self.none()
        from mamori.org.scope import visible_unit_filter

        own_unit = Q(unit_id=person.unit_id) if person.unit_id else Q(pk__in=[])
        return self.filter(organization_id=person.organization_id).filter(
            visible_unit_filter(person, field="unit") | Q(decider=person) | own_unit
        )


class InformationAsset(models.Model):
    organization = models.ForeignKey(
        "org.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("組織")
    )
    unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="assets", verbose_name=_("所管部署")
    )
    title = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("説明"), blank=True)
    decider = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("決定者"),
    )
    confidentiality = models.PositiveSmallIntegerField(_("機密性"), default=1)
    integrity = models.PositiveSmallIntegerField(_("完全性"), null=True, blank=True)
    availability = models.PositiveSmallIntegerField(_("可用性"), null=True, blank=True)
    # [{"code": "viewers_limited", "detail": "人事課"}, {"code": "copy_prohibited"}]
    restrictions = models.JSONField(_("取扱制限"), default=list, blank=True)
    # personal, my_number, mod_secret, mod_caution (rules.handling "info.types")
    types = models.JSONField(_("情報の種類"), default=list, blank=True)
    marking_method = models.CharField(
        _("表示方法"), max_length=20, choices=MarkingMethod.choices, default=MarkingMethod.HEADER
    )
    medium = models.CharField(
        _("媒体"), max_length=20, choices=Medium.choices, default=Medium.ELECTRONIC
    )
    system = models.ForeignKey(
        "systems.InformationSystem", on_delete=models.PROTECT, null=True, blank=True,
        related_name="assets", verbose_name=_("保存先の情報システム"),
    )
    place = models.CharField(_("保管場所"), max_length=200, blank=True)
    retention_until = models.DateField(_("保存期限"), null=True, blank=True)
    sources = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="derived", verbose_name=_("作成元")
    )
    state = models.CharField(
        _("状態"), max_length=20, choices=AssetState.choices, default=AssetState.IN_USE,
        db_index=True,
    )
    disposal_method = models.CharField(_("廃棄方法"), max_length=200, blank=True)
    disposal_certificate = models.CharField(_("廃棄証明書"), max_length=200, blank=True)
    disposed_at = models.DateField(_("廃棄日"), null=True, blank=True)
    created_by = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("登録者")
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = AssetQuerySet.as_manager()

    class Meta:
        verbose_name = _("情報資産")
        verbose_name_plural = _("情報資産")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["organization", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidentiality__gte=1, confidentiality__lte=3),
                name="asset_confidentiality_1_3",
            ),
            models.CheckConstraint(
                condition=Q(integrity__isnull=True) | Q(integrity__gte=1, integrity__lte=2),
                name="asset_integrity_1_2",
            ),
            models.CheckConstraint(
                condition=Q(availability__isnull=True)
                | Q(availability__gte=1, availability__lte=2),
                name="asset_availability_1_2",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"A-{self.pk:06d}" if self.pk else "A-new"

    def as_info(self) -> dict:
        """The "info" part of a rules.handling request."""
        return {
            "confidentiality": self.confidentiality,
            "integrity": self.integrity,
            "availability": self.availability,
            "medium": self.medium,
            "restrictions": list(self.restrictions),
            "types": list(self.types),
        }
