"""Personal access tokens for machine clients (mail gateways, scripts, DLP).

Only a SHA-256 digest is stored; the token is shown once when made. A token acts as
its owner, narrowed to the role codes chosen when it was made (never more)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    person = models.ForeignKey(
        "org.Person", on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("所有者")
    )
    name = models.CharField(_("名前"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    roles = models.JSONField(_("使用する役割"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("有効期限"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("APIトークン")
        verbose_name_plural = _("APIトークン")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
