"""Handling checks and what follows from them: 「取扱いの確認」, permission requests filed
through the approvals app, and the applicant's confirmation of the measures.

The engine (mamori.rules.handling) is pure; these functions add who is asking: their
organisation's kind and rulebooks, the roles they hold, the asset they chose. Every
decision is made here, on the server, from the same inputs: a decision posted back by a
browser is never trusted (DESIGN 7). Each function writes its trail event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from mamori.approvals import services as approvals
from mamori.approvals.models import Request
from mamori.assets.kinds import HANDLING_PERMISSION
from mamori.assets.models import InformationAsset
from mamori.errors import Forbidden, InvalidInput
from mamori.org import scope
from mamori.rules import handling
from mamori.rules import roles as role_catalogue
from mamori.rules.classification import ORG_KINDS
from mamori.rules.handling_rules.base import ACTIONS, KNOWN_RULEBOOKS
from mamori.trail.services import record

# The engine knows the four kinds the 統一基準 applies to. NISC and the ministries that
# oversee critical infrastructure are national government bodies; the other sharing-hub
# kinds (セプター, operators) are outside the 統一基準 and get no handling check.
ENGINE_ORG_KIND = {kind: kind for kind in ORG_KINDS} | {
    "nisc": "national",
    "ci_ministry": "national",
}

VERDICT_LABELS = {
    "allow": gettext_lazy("可能"),
    "allow_with_measures": gettext_lazy("対策を講じれば可能"),
    "needs_permission": gettext_lazy("許可が必要"),
    "deny": gettext_lazy("不可"),
}

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")  # 「機密性３情報」 as marked


def language() -> str:
    return "en" if (get_language() or "ja").startswith("en") else "ja"


def action_text(action: str) -> str:
    """The engine's own wording of an action ("公表する"), in the current language."""
    ja, en = ACTIONS.get(action, (action, action))
    return en if language() == "en" else ja


def _check_asset(person, asset: InformationAsset | None) -> None:
    if asset is None:
        return
    if not InformationAsset.objects.visible_to(person).filter(pk=asset.pk).exists():
        raise Forbidden(_("この情報資産を扱う権限がありません。"))


def engine_request(
    person,
    *,
    asset: InformationAsset | None = None,
    info: Mapping[str, Any] | None = None,
    action: str,
    context: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The rules.handling request for `person` doing `action` with the asset (or with
    information of the 格付 in `info`). The organisation's kind and rulebooks come from
    the person's organisation and the roles they hold today, never from the caller."""
    organization = person.organization
    org_kind = ENGINE_ORG_KIND.get(organization.kind)
    if org_kind is None:
        raise InvalidInput(
            _("この組織の種別には統一基準の取扱いの規定が適用されないため、確認できません。"),
            code="org_kind_not_covered",
            details={"org_kind": organization.kind},
        )
    if asset is None and info is None:
        raise InvalidInput(
            _("情報資産を選ぶか、格付を入力してください。"), details={"asset": "required"}
        )
    rulebooks = [code for code in organization.rulebooks if code in KNOWN_RULEBOOKS]
    ctx = {name: value for name, value in (context or {}).items() if value is not None}
    ctx.pop("actor_roles", None)  # who the actor is comes from the roster, not the form
    actor_roles = sorted(
        code for code in scope.role_codes(person) if code in role_catalogue.catalogue()
    )
    if actor_roles:
        ctx["actor_roles"] = actor_roles
    return {
        "org_kind": org_kind,
        "rulebooks": rulebooks or ["toitsu"],
        "info": asset.as_info() if asset is not None else dict(info or {}),
        "action": action,
        "context": ctx,
    }


def _decide(request: dict[str, Any]) -> dict[str, Any]:
    errors = handling.validate_request(request)
    if errors:
        first = errors[0]
        raise InvalidInput(
            first.en if language() == "en" else first.ja,
            code="invalid_request",
            details={"errors": [error.as_dict() for error in errors]},
        )
    return handling.decide(request, settings.HANDLING_POLICY)


def summary(decision: Mapping[str, Any]) -> dict[str, Any]:
    """What the trail keeps of a decision (the reason text can be rebuilt from it)."""
    return {
        "verdict": decision["verdict"],
        "permission_from": list(decision["permission_from"]),
        "measures": list(decision["measures"]),
        "citations": list(decision["citations"]),
    }


def _trail(
    action: str, person, asset: InformationAsset | None, request: dict, decision: dict, **extra
) -> None:
    record(
        action,
        actor=person.user,
        obj=asset,
        data={
            "action": request["action"],
            "info": request["info"],
            "context": {k: v for k, v in request["context"].items() if k != "actor_roles"},
            "asset_id": asset.pk if asset is not None else None,
            "decision": summary(decision),
            **extra,
        },
        organization_id=person.organization_id,
    )


def decision_for(
    person,
    *,
    asset: InformationAsset | None = None,
    info: Mapping[str, Any] | None = None,
    action: str,
    context: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The engine's answer for this person, recording nothing (to show an answer again
    beside a form that needs correcting)."""
    _check_asset(person, asset)
    return _decide(engine_request(person, asset=asset, info=info, action=action, context=context))


def check(
    person,
    *,
    asset: InformationAsset | None = None,
    info: Mapping[str, Any] | None = None,
    action: str,
    context: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Ask the engine, for this person, and record that they asked. Returns the decision."""
    _check_asset(person, asset)
    request = engine_request(person, asset=asset, info=info, action=action, context=context)
    decision = _decide(request)
    with transaction.atomic():
        _trail("assets.handling.checked", person, asset, request, decision)
    return decision


def measure_lines(measures: Iterable[str]) -> list[str]:
    labels = handling.measure_labels(language())
    return [labels.get(code, code) for code in measures]


def _subject_label(asset: InformationAsset | None, info: Mapping[str, Any]) -> str:
    if asset is not None:
        return asset.title
    level = str(info.get("confidentiality", "?")).translate(FULL_WIDTH)
    return _("機密性%(level)s情報") % {"level": level}


def request_permission(
    person,
    *,
    asset: InformationAsset | None = None,
    info: Mapping[str, Any] | None = None,
    action: str,
    context: Mapping[str, Any] | None = None,
    decision: Mapping[str, Any] | None = None,
    reason_text: str = "",
) -> list[Request]:
    """File and submit one permission request per permitting role the rules name.

    The decision is made again here; `decision` (what the applicant was shown) only
    guards against the rules having changed in between. Each request goes to the named
    role for the asset's unit (the applicant's unit for information not in the register):
    approvals.services.submit walks up the unit tree to the nearest holder. Nothing is
    filed unless the decision is needs_permission, and nothing at all if any one cannot
    be routed."""
    _check_asset(person, asset)
    reason_text = (reason_text or "").strip()
    if not reason_text:
        raise InvalidInput(
            _("許可を求める理由（目的・期間・場所など）を入力してください。"),
            details={"reason_text": "required"},
        )
    request = engine_request(person, asset=asset, info=info, action=action, context=context)
    fresh = _decide(request)
    if fresh["verdict"] != "needs_permission":
        raise InvalidInput(
            _("この取扱いには許可申請は要りません（判断: %(verdict)s）。")
            % {"verdict": VERDICT_LABELS[fresh["verdict"]]},
            code="no_permission_needed",
            details={"verdict": fresh["verdict"]},
        )
    if decision is not None and (
        decision.get("verdict") != fresh["verdict"]
        or list(decision.get("permission_from") or []) != fresh["permission_from"]
    ):
        raise InvalidInput(
            _("判断の内容が変わりました。もう一度確認してから申請してください。"),
            code="decision_changed",
        )
    unit = asset.unit if asset is not None else person.unit
    action_label = action_text(action)
    title = _("取扱いの許可申請: %(subject)s — %(action)s") % {
        "subject": _subject_label(asset, request["info"]),
        "action": action_label,
    }
    reason = fresh["reason"][language()]
    description = "\n\n".join(
        [
            reason_text,
            _("取扱いの確認の判断: %(reason)s") % {"reason": reason},
            _("根拠: %(citations)s") % {"citations": "、".join(fresh["citations"])},
        ]
    )
    conditions = "\n".join(f"・{line}" for line in measure_lines(fresh["measures"]))
    filed: list[Request] = []
    with transaction.atomic():
        for role in fresh["permission_from"]:
            created = approvals.create(
                person,
                kind=HANDLING_PERMISSION.code,
                title=title,
                description=description,
                conditions=conditions,
                details={
                    "approver_roles": [role],
                    "decision": fresh,
                    "engine_request": request,
                    "asset_id": asset.pk if asset is not None else None,
                },
                unit=unit,
                subject=asset,
            )
            filed.append(approvals.submit(created, person))
        _trail(
            "assets.handling.requested",
            person,
            asset,
            request,
            fresh,
            request_ids=[r.pk for r in filed],
        )
    return filed


def confirm_measures(
    person,
    *,
    asset: InformationAsset | None = None,
    info: Mapping[str, Any] | None = None,
    action: str,
    context: Mapping[str, Any] | None = None,
    measures_ticked: Iterable[str] = (),
) -> dict[str, Any]:
    """The applicant confirms they will take every measure an allow_with_measures
    decision lists. Refused unless each one is ticked. Returns the decision."""
    _check_asset(person, asset)
    request = engine_request(person, asset=asset, info=info, action=action, context=context)
    decision = _decide(request)
    if decision["verdict"] != "allow_with_measures":
        raise InvalidInput(
            _("この取扱いには確認する対策がありません（判断: %(verdict)s）。")
            % {"verdict": VERDICT_LABELS[decision["verdict"]]},
            code="nothing_to_confirm",
            details={"verdict": decision["verdict"]},
        )
    ticked = set(measures_ticked)
    missing = [code for code in decision["measures"] if code not in ticked]
    if missing:
        raise InvalidInput(
            _("すべての対策を確認してください。未確認: %(measures)s")
            % {"measures": "、".join(measure_lines(missing))},
            code="measures_not_confirmed",
            details={"measures": missing},
        )
    with transaction.atomic():
        _trail(
            "assets.handling.confirmed",
            person,
            asset,
            request,
            decision,
            measures_confirmed=list(decision["measures"]),
        )
    return decision
