"""Tokens over the API: list and revoke one's own (making one needs the browser)."""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from mamori.api import services
from mamori.api.models import ApiToken

router = Router(tags=["tokens"])


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    roles: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


@router.get("", response=list[TokenOut])
def list_tokens(request):
    return list(ApiToken.objects.filter(person=request.person))


@router.post("/{pk}/revoke", response={204: None})
def revoke(request, pk: int):
    services.revoke_token(request.person, get_object_or_404(ApiToken, pk=pk, person=request.person))
    return Status(204, None)
