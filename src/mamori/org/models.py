"""Organisations, their unit trees, people and the roles people hold for a scope and period."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mamori.rules import roles as role_catalogue


class OrgKind(models.TextChoices):
    NATIONAL = "national", _("国の行政機関")
    INDEPENDENT = "independent", _("独立行政法人")
    DESIGNATED_LISTED = "designated_listed", _("別表指定法人")
    DESIGNATED_OTHER = "designated_other", _("その他の指定法人")
    NISC = "nisc", _("内閣サイバーセキュリティセンター（NISC）")
    CI_MINISTRY = "ci_ministry", _("重要インフラ所管省庁")
    CEPTOAR = "ceptoar", _("セプター")
    CI_OPERATOR = "ci_operator", _("重要インフラ事業者")
    CYBER_RELATED = "cyber_related", _("サイバー空間関連事業者")


class Rulebook(models.TextChoices):
    TOITSU = "toitsu", _("統一基準")
    MOD = "mod", _("防衛省通達")
    MIC_PII = "mic_pii", _("総務省個人情報訓令")
    CIP = "cip", _("重要インフラ行動計画")


class Organization(models.Model):
    code = models.SlugField(_("コード"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    name_en = models.CharField(_("英語名称"), max_length=200, blank=True)
    kind = models.CharField(_("種別"), max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("所管組織"),
    )
    rulebooks = models.JSONField(_("適用する規程"), default=list)

    class Meta:
        verbose_name = _("組織")
        verbose_name_plural = _("組織")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.display_name()

    def save(self, *args, **kwargs):
        # 統一基準 applies to every body mamori serves; it is never switched off.
        if Rulebook.TOITSU not in self.rulebooks:
            self.rulebooks = [Rulebook.TOITSU, *self.rulebooks]
        super().save(*args, **kwargs)

    def display_name(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name

    def clean(self) -> None:
        unknown = set(self.rulebooks) - set(Rulebook.values)
        if unknown:
            raise ValidationError(
                {
                    "rulebooks": _("不明な規程です: %(codes)s")
                    % {"codes": ", ".join(sorted(unknown))}
                }
            )

    def follows(self, rulebook: str) -> bool:
        return rulebook in self.rulebooks


class UnitKind(models.TextChoices):
    BUREAU = "bureau", _("部局")
    DIVISION = "division", _("課室")
    MOD_UNIT = "mod_unit", _("部隊等")
    OFFICE = "office", _("その他")


class OrgUnit(models.Model):
    """A node of an organisation's unit tree.

    `path` holds the ids from the root, e.g. "/3/7/12/", so "every unit under X" is one
    indexed prefix query instead of a recursive walk.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="units", verbose_name=_("組織")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上位の単位"),
    )
    code = models.SlugField(_("コード"), max_length=40)
    name = models.CharField(_("名称"), max_length=200)
    name_en = models.CharField(_("英語名称"), max_length=200, blank=True)
    kind = models.CharField(_("種別"), max_length=20, choices=UnitKind.choices)
    path = models.CharField(max_length=500, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = _("組織単位")
        verbose_name_plural = _("組織単位")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="orgunit_code_unique")
        ]

    def __str__(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name

    def save(self, *args, **kwargs):
        # One transaction: every scope check reads these paths, so a half-moved
        # subtree must never be visible.
        with transaction.atomic():
            self._save_with_path(*args, **kwargs)

    def _save_with_path(self, *args, **kwargs):
        old_path = self.path
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"
        if path != old_path:
            self.path = path
            OrgUnit.objects.filter(pk=self.pk).update(path=path)
            if old_path:  # moved: carry the whole subtree along
                below = list(
                    OrgUnit.objects.select_for_update()
                    .filter(path__startswith=old_path)
                    .exclude(pk=self.pk)
                )
                for unit in below:
                    unit.path = path + unit.path[len(old_path) :]
                OrgUnit.objects.bulk_update(below, ["path"])

    def clean(self) -> None:
        if self.parent_id and self.parent.organization_id != self.organization_id:
            raise ValidationError({"parent": _("上位の単位は同じ組織に属している必要があります。")})
        if self.pk and self.parent_id and self.parent.path.startswith(self.path or "\0"):
            raise ValidationError(
                {"parent": _("自分自身又は下位の単位を上位にすることはできません。")}
            )

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from this unit up to the root, this unit first."""
        return [int(part) for part in reversed(self.path.strip("/").split("/")) if part]

    def is_within(self, other: OrgUnit) -> bool:
        return self.path.startswith(other.path)


class EmploymentType(models.TextChoices):
    STAFF = "staff", _("職員")
    DISPATCHED = "dispatched", _("派遣労働者")
    TRAINEE = "trainee", _("研修生")
    CONTRACTOR = "contractor", _("委託先従事者")


class Person(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("ログインアカウント"),
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="people", verbose_name=_("組織")
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("所属"),
    )
    employee_number = models.CharField(_("職員番号"), max_length=40, blank=True)
    family_name = models.CharField(_("姓"), max_length=80)
    given_name = models.CharField(_("名"), max_length=80)
    family_name_kana = models.CharField(_("姓（かな）"), max_length=80, blank=True)
    given_name_kana = models.CharField(_("名（かな）"), max_length=80, blank=True)
    name_en = models.CharField(_("ローマ字氏名"), max_length=160, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    employment_type = models.CharField(
        _("雇用形態"), max_length=20, choices=EmploymentType.choices, default=EmploymentType.STAFF
    )
    active = models.BooleanField(_("在籍"), default=True)

    class Meta:
        verbose_name = _("職員等")
        verbose_name_plural = _("職員等")
        ordering = ["family_name_kana", "given_name_kana", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return f"{self.family_name} {self.given_name}"


SCOPE_LABELS = {"organization": _("組織全体"), "unit": _("組織単位"), "system": _("情報システム")}


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self, on: date | None = None) -> RoleAssignmentQuerySet:
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )


class RoleAssignment(models.Model):
    """A person holds a role for one scope (organisation, unit or system) over a period."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="role_assignments", verbose_name=_("職員等")
    )
    role = models.CharField(_("役割"), max_length=40, db_index=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        verbose_name=_("組織"),
    )
    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("対象の組織単位"),
    )
    system = models.ForeignKey(
        "systems.InformationSystem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("対象の情報システム"),
    )
    valid_from = models.DateField(_("開始日"), default=timezone.localdate)
    valid_to = models.DateField(_("終了日"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("役割の割当て")
        verbose_name_plural = _("役割の割当て")
        ordering = ["role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=True) | Q(system__isnull=True),
                name="roleassignment_one_scope",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="roleassignment_period_ordered",
            ),
        ]
        indexes = [models.Index(fields=["organization", "role"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.role_label}"

    @property
    def role_info(self) -> role_catalogue.Role:
        return role_catalogue.get(self.role)

    @property
    def role_label(self) -> str:
        return self.role_info.label(get_language() or "ja")

    @property
    def scope_kind(self) -> str:
        if self.system_id:
            return "system"
        if self.unit_id:
            return "unit"
        return "organization"

    def clean(self) -> None:
        errors = {}
        if self.role not in role_catalogue.catalogue():
            errors["role"] = _("不明な役割コードです: %(code)s") % {"code": self.role}
        else:
            info = self.role_info
            if not self.organization_id or info.rulebook not in self.organization.rulebooks:
                errors["role"] = _(
                    "この組織は「%(book)s」を適用していないため、この役割は割り当てられません。"
                ) % {"book": Rulebook(info.rulebook).label}
            elif self.scope_kind not in info.scopes:
                errors["unit"] = _(
                    "この役割は「%(scope)s」を対象に割り当てることはできません。"
                ) % {"scope": SCOPE_LABELS[self.scope_kind]}
        if self.unit_id and self.unit.organization_id != self.organization_id:
            errors["unit"] = _("対象の組織単位は同じ組織に属している必要があります。")
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = _("終了日は開始日以降にしてください。")
        if errors:
            raise ValidationError(errors)

    def is_active(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.valid_from <= on and (self.valid_to is None or self.valid_to >= on)
