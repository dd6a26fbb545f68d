"""The information asset register (情報資産台帳): what each piece of information is, who
decided its 格付 and 取扱制限, where it lives and what has happened to it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mamori.rules import classification


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


# Where an asset may go from each state. 廃棄済 is final.
TRANSITIONS: dict[str, frozenset[str]] = {
    AssetState.IN_USE: frozenset({AssetState.PUBLISHED, AssetState.PROVIDED, AssetState.DISPOSED}),
    AssetState.PROVIDED: frozenset({AssetState.DISPOSED}),
    AssetState.PUBLISHED: frozenset({AssetState.DISPOSED}),
    AssetState.DISPOSED: frozenset(),
}

# code: (label, medium, leaves nothing recoverable)
DISPOSAL_METHODS: dict[str, tuple] = {
    "delete": (_("通常の削除（復元できる可能性あり）"), Medium.ELECTRONIC, False),
    "overwrite": (_("全領域の上書き消去"), Medium.ELECTRONIC, True),
    "crypto_erase": (_("暗号化消去（暗号鍵の抹消）"), Medium.ELECTRONIC, True),
    "degauss": (_("磁気消去"), Medium.ELECTRONIC, True),
    "physical_destruction": (_("媒体の物理的破壊"), Medium.ELECTRONIC, True),
    "discard": (_("通常の廃棄（裁断しない）"), Medium.PAPER, False),
    "shred": (_("シュレッダーによる裁断"), Medium.PAPER, True),
    "dissolve": (_("溶解処理"), Medium.PAPER, True),
    "incinerate": (_("焼却"), Medium.PAPER, True),
}

# The shared badge styles (web/static/mamori/css/app.css) that read right for each state.
STATE_BADGES = {
    AssetState.IN_USE: "approved",
    AssetState.PUBLISHED: "submitted",
    AssetState.PROVIDED: "closed",
    AssetState.DISPOSED: "withdrawn",
}


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
        "org.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("決定者"),
    )
    confidentiality = models.PositiveSmallIntegerField(_("機密性"), default=1)
    integrity = models.PositiveSmallIntegerField(_("完全性"), null=True, blank=True)
    availability = models.PositiveSmallIntegerField(_("可用性"), null=True, blank=True)
    # [{"code": "viewers_limited", "detail": "人事課"}, {"code": "copy_prohibited"}]
    restrictions = models.JSONField(_("取扱制限"), default=list, blank=True)
    # " copy_prohibited viewers_limited ": the codes above, kept in step by save(), so the
    # register filters by restriction with one portable LIKE on every database.
    restriction_codes = models.CharField(max_length=500, blank=True, editable=False, default="")
    # personal, my_number, mod_secret, mod_caution (rules.handling "info.types")
    types = models.JSONField(_("情報の種類"), default=list, blank=True)
    marking_method = models.CharField(
        _("表示方法"), max_length=20, choices=MarkingMethod.choices, default=MarkingMethod.HEADER
    )
    medium = models.CharField(
        _("媒体"), max_length=20, choices=Medium.choices, default=Medium.ELECTRONIC
    )
    system = models.ForeignKey(
        "systems.InformationSystem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("保存先の情報システム"),
    )
    place = models.CharField(_("保管場所"), max_length=200, blank=True)
    retention_until = models.DateField(_("保存期限"), null=True, blank=True)
    sources = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="derived", verbose_name=_("作成元")
    )
    state = models.CharField(
        _("状態"),
        max_length=20,
        choices=AssetState.choices,
        default=AssetState.IN_USE,
        db_index=True,
    )
    # Whom it was provided to (services.mark_provided), and when the state last changed.
    provided_to = models.CharField(_("提供先"), max_length=200, blank=True)
    state_changed_on = models.DateField(_("状態の変更日"), null=True, blank=True)
    # A code of services.DISPOSAL_METHODS.
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

    def save(self, *args, **kwargs):
        codes = [r["code"] for r in self.restrictions if isinstance(r, dict) and "code" in r]
        self.restriction_codes = f" {' '.join(codes)} " if codes else ""
        if kwargs.get("update_fields") is not None and "restrictions" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "restriction_codes"}
        super().save(*args, **kwargs)

    @property
    def reference(self) -> str:
        return f"A-{self.pk:06d}" if self.pk else "A-new"

    @property
    def state_badge(self) -> str:
        return STATE_BADGES.get(self.state, "draft")

    @property
    def restriction_list(self) -> tuple[classification.Restriction, ...]:
        return tuple(
            classification.Restriction(r["code"], r.get("detail") or None)
            for r in self.restrictions
        )

    def as_classification(self) -> classification.Classification:
        return classification.Classification(
            self.confidentiality,
            self.integrity,
            self.availability,
            self.medium,
            self.restriction_list,
        )

    @property
    def categories(self) -> tuple[str, ...]:
        return classification.categories(self.confidentiality, self.integrity, self.availability)

    @property
    def marking(self) -> str:
        """「機密性３情報・完全性２情報・複製禁止」: what is shown on the information.
        Level 1 of 完全性・可用性 is the unmarked default, so only level 2 is written."""
        mark = classification.Marking(
            confidentiality=self.confidentiality,
            integrity=self.integrity if self.integrity == 2 else None,
            availability=self.availability if self.availability == 2 else None,
            restrictions=self.restriction_list,
        )
        try:
            return classification.format_marking(mark, suffix=True)
        except classification.MarkingError:  # a detail that cannot be written unambiguously
            return classification.format_marking(
                classification.Marking(mark.confidentiality, mark.integrity, mark.availability),
                suffix=True,
            )

    def as_info(self) -> dict:
        """The "info" part of a rules.handling request, in plain values: a restriction
        carries a detail only where one was written; enums become their codes."""
        return {
            "confidentiality": self.confidentiality,
            "integrity": self.integrity,
            "availability": self.availability,
            "medium": str(self.medium),
            "restrictions": [
                {"code": r["code"], "detail": r["detail"]}
                if r.get("detail")
                else {"code": r["code"]}
                for r in self.restrictions
            ],
            "types": [str(code) for code in self.types],
        }
