"""Asking the 決定者等 to review an asset's 格付 or 取扱制限 (統一基準(R7) 3.1.1(3)(c)).

Filed as an approvals request addressed to the asset's own decider (or, without one,
the unit's 決定者等 by role); when the decider approves, the proposed classification is
applied to the asset through assets.services.update, in the same transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from mamori.approvals import services as approvals
from mamori.assets import services
from mamori.assets.models import InformationAsset
from mamori.errors import Forbidden, InvalidInput

PROPOSABLE = ("confidentiality", "integrity", "availability", "restrictions")


def _asset_of(request):
    return InformationAsset.objects.filter(pk=request.details.get("asset_id")).first()


def named_decider(request):
    asset = _asset_of(request)
    return asset.decider if asset is not None else None


def apply_on_approval(request) -> None:
    asset = _asset_of(request)
    if asset is None:
        raise InvalidInput(_("見直しの対象の情報資産が見つかりません。"))
    services.update(asset, request.decided_by, **request.details["proposed"])


def request_review(person, asset: InformationAsset, *, reason: str, **proposed):
    """File and submit the review request. `proposed` holds the 格付/制限 wanted."""
    if not InformationAsset.objects.visible_to(person).filter(pk=asset.pk).exists():
        raise Forbidden(_("この情報資産にはアクセスできません。"))
    unknown = set(proposed) - set(PROPOSABLE)
    if unknown or not proposed:
        raise InvalidInput(
            _("見直し後の格付又は取扱制限を指定してください。"),
            details={"proposed": sorted(unknown)},
        )
    if not (reason or "").strip():
        raise InvalidInput(
            _("見直しを求める理由を入力してください。"), details={"reason": "required"}
        )
    cleaned = services.validate(person, proposed, asset)
    proposal = {name: cleaned[name] for name in proposed if name in cleaned}
    current = {name: getattr(asset, name) for name in proposal}
    if proposal == current:
        raise InvalidInput(_("現在の格付・取扱制限と同じです。"), details={"proposed": "unchanged"})
    with transaction.atomic():
        request = approvals.create(
            person,
            kind="assets.reclassification",
            unit=asset.unit,
            subject=asset,
            title=_("格付・取扱制限の見直し依頼: %(asset)s") % {"asset": asset},
            description=reason.strip(),
            details={"asset_id": asset.pk, "proposed": proposal, "current": current},
        )
        return approvals.submit(request, person)
