"""Making, using and revoking personal access tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamori.api.models import ApiToken
from mamori.errors import Forbidden, InvalidInput
from mamori.org import scope
from mamori.trail.services import record

TOKEN_PREFIX = "mamori_"
MAX_DAYS = 366


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    person, *, name: str, roles: list[str] | None = None, days: int | None = 90
) -> tuple[ApiToken, str]:
    """Returns the token row and the token text, which is never stored or shown again."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("トークンの名前を入力してください。"), details={"name": "required"})
    roles = sorted(set(roles or []))
    held = scope.role_codes(person)
    if not set(roles) <= held:
        raise Forbidden(
            _("自分が持っていない役割をトークンに与えることはできません。"),
            details={"roles": sorted(set(roles) - held)},
        )
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise InvalidInput(
            _("有効日数は1〜%(max)d日で指定してください。") % {"max": MAX_DAYS},
            details={"days": "out_of_range"},
        )
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            person=person,
            name=name[:100],
            prefix=prefix,
            digest=_digest(secret),
            roles=roles,
            expires_at=timezone.now() + timedelta(days=days) if days else None,
        )
        record(
            "api.token.created",
            actor=person.user,
            obj=token,
            organization_id=person.organization_id,
            data={"roles": roles, "days": days},
        )
    return token, f"{TOKEN_PREFIX}{prefix}_{secret}"


def revoke_token(person, token: ApiToken) -> None:
    if token.person_id != person.pk:
        raise Forbidden(_("他の人のトークンは取り消せません。"))
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        record(
            "api.token.revoked",
            actor=person.user,
            obj=token,
            organization_id=person.organization_id,
        )


def authenticate(text: str):
    """The token's owner (a Person narrowed to the token's roles), or None."""
    if not text.startswith(TOKEN_PREFIX):
        return None
    prefix, _sep, secret = text[len(TOKEN_PREFIX) :].partition("_")
    if not prefix or not secret:
        return None
    token = (
        ApiToken.objects.select_related("person", "person__user", "person__unit")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)):
        return None
    now = timezone.now()
    if token.expires_at and token.expires_at <= now:
        return None
    person = token.person
    if not person.active or person.user is None or not person.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    # A token made without roles acts with none: least privilege unless roles were chosen.
    scope.limit_roles(person, token.roles or ["__none__"])
    return person, token
