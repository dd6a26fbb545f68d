"""Information systems. The foundation keeps only what role scopes need; the system
ledger (情報システム台帳), operational approval and inspections extend this model."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class InformationSystem(models.Model):
    organization = models.ForeignKey(
        "org.Organization", on_delete=models.PROTECT, related_name="systems", verbose_name=_("組織")
    )
    owner_unit = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="systems",
        verbose_name=_("所管する組織単位"),
    )
    code = models.SlugField(_("コード"), max_length=40)
    name = models.CharField(_("名称"), max_length=200)
    name_en = models.CharField(_("英語名称"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("情報システム")
        verbose_name_plural = _("情報システム")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="system_code_unique")
        ]

    def __str__(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name


# 適用除外 (防衛省通達 第1の3) lives in its own module; imported here so Django sees it.
from mamori.systems.exemptions import Exemption  # noqa: E402, F401
