"""Every change to an information asset goes through one of these functions.

Each validates, changes state inside one transaction and writes its trail event in
that same transaction. The register pages, the import, and the API all call them.

Who may change an asset (`can_edit`): its 決定者, the 課室情報セキュリティ責任者 or
情報セキュリティ責任者 whose scope holds its unit, an organisation-wide CISO or
統括情報セキュリティ責任者, and its creator while they are still its 決定者 (or none is
set). Staff register information in their own unit; officers in any unit of their scope.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mamori.approvals.services import one_line
from mamori.assets.models import (
    DISPOSAL_METHODS,
    TRANSITIONS,
    AssetState,
    InformationAsset,
    MarkingMethod,
    Medium,
)
from mamori.errors import Forbidden, InvalidInput, InvalidTransition
from mamori.org import scope
from mamori.org.models import OrgUnit, Person
from mamori.rules import classification
from mamori.rules.handling import decide
from mamori.rules.handling_rules.base import TYPES
from mamori.rules.refs import TOITSU_R7, cite
from mamori.systems.models import InformationSystem
from mamori.trail.services import record

UNIT_EDITOR_ROLES = ("section_isec_officer", "isec_officer")
ORG_EDITOR_ROLES = ("ciso", "chief_isec_officer")
PUBLISH_CLAUSE = cite(TOITSU_R7, "3.1.1(5)(a)")
ERASE_CLAUSE = cite(TOITSU_R7, "3.1.1(7)(b)")
SHRED_CLAUSE = cite(TOITSU_R7, "3.1.1(7)(c)")

# fmt: off
EDITABLE_FIELDS = (
    "title", "description", "unit", "decider", "confidentiality", "integrity", "availability",
    "restrictions", "types", "marking_method", "medium", "system", "place", "retention_until",
    "sources",  # last: not a model field but a relation, handled apart
)
# fmt: on


# --- who may do what ---------------------------------------------------------------------


def manages_unit(person, unit: OrgUnit) -> bool:
    """An officer whose scope holds `unit`, or an organisation-wide one."""
    if person is None or unit.organization_id != person.organization_id:
        return False
    if scope.has_org_wide_role(person, ORG_EDITOR_ROLES):
        return True
    return any(
        a.role in UNIT_EDITOR_ROLES and a.unit_id and unit.is_within(a.unit)
        for a in scope.active_assignments(person)
    )


def can_register_in(person, unit: OrgUnit) -> bool:
    return unit.organization_id == person.organization_id and (
        unit.pk == person.unit_id or manages_unit(person, unit)
    )


def registrable_units(person):
    """The units `person` may register information in (for the form's choices)."""
    units = OrgUnit.objects.filter(organization_id=person.organization_id)
    if scope.has_org_wide_role(person, ORG_EDITOR_ROLES):
        return units
    query = Q(pk=person.unit_id) if person.unit_id else Q(pk__in=[])
    for a in scope.active_assignments(person):
        if a.role in UNIT_EDITOR_ROLES and a.unit_id:
            query |= Q(path__startswith=a.unit.path)
    return units.filter(query)


def can_edit(person, asset: InformationAsset) -> bool:
    if person is None or asset.organization_id != person.organization_id:
        return False
    if asset.decider_id == person.pk:
        return True
    if asset.created_by_id == person.pk and asset.decider_id in (None, person.pk):
        return True
    return manages_unit(person, asset.unit)


def _require_editor(person, asset: InformationAsset) -> None:
    if not can_edit(person, asset):
        raise Forbidden(
            _("この情報資産を変更できるのは、決定者、所管部署の情報セキュリティ責任者等です。")
        )


# --- validation -----------------------------------------------------------------------------


def _one_line(text) -> str:
    return one_line(str(text or ""))


def _level(value, allowed: tuple[int, ...], optional: bool):
    if value in (None, "") and optional:
        return None
    if isinstance(value, bool):
        raise ValueError
    number = int(value)
    if number not in allowed:
        raise ValueError
    return number


def clean_restrictions(raw) -> list[dict]:
    """[{"code": ..., "detail": ...}] (or bare codes) checked against the vocabulary;
    returned in vocabulary order, a detail only where the restriction takes one."""
    vocabulary = classification.restriction_vocabulary()
    if raw is None:
        return []
    if not isinstance(raw, list | tuple):
        raise InvalidInput(
            _("取扱制限の形式が正しくありません。"), details={"restrictions": "list"}
        )
    found: dict[str, dict] = {}
    for entry in raw:
        code = entry.get("code") if isinstance(entry, dict) else entry
        detail = _one_line(entry.get("detail")) if isinstance(entry, dict) else ""
        if code not in vocabulary:
            raise InvalidInput(
                _("不明な取扱制限です: %(code)s（使えるもの: %(codes)s）")
                % {"code": code, "codes": ", ".join(vocabulary)},
                details={"restrictions": str(code)},
            )
        kind = vocabulary[code]
        if kind.takes_detail and not detail:
            raise InvalidInput(
                _("「%(label)s」には対象（例: 人事課）を入力してください。")
                % {"label": kind.format(None)},
                details={"restrictions": code, "restriction_detail": code},
            )
        found[code] = (
            {"code": code, "detail": detail[:100]} if kind.takes_detail else {"code": code}
        )
    return [found[code] for code in vocabulary if code in found]


def _validate(actor, data: dict, asset: InformationAsset | None) -> dict:
    """Checks every field given and returns them cleaned; InvalidInput names every bad
    field in `details` ({field: message}) so a form or an import row can show them all."""
    errors: dict[str, str] = {}
    out: dict = {}

    def fail(field: str, message) -> None:
        errors.setdefault(field, str(message))

    if "title" in data:
        out["title"] = _one_line(data["title"])[:200]
        if not out["title"]:
            fail("title", _("名称を入力してください。"))
    for name in ("description", "place"):
        if name in data:
            out[name] = str(data[name] or "")
            if name == "place":
                out[name] = _one_line(out[name])[:200]
    for name, label, levels, optional in (
        ("confidentiality", _("機密性"), classification.CONFIDENTIALITY_LEVELS, False),
        ("integrity", _("完全性"), classification.INTEGRITY_LEVELS, True),
        ("availability", _("可用性"), classification.AVAILABILITY_LEVELS, True),
    ):
        if name in data:
            try:
                out[name] = _level(data[name], levels, optional)
            except (TypeError, ValueError):
                fail(
                    name,
                    _("%(label)sの格付は %(levels)s のいずれかです。")
                    % {"label": label, "levels": "・".join(str(n) for n in levels)},
                )
    for name, choices in (("medium", Medium), ("marking_method", MarkingMethod)):
        if name in data:
            if data[name] not in choices.values:
                fail(name, _("選択肢から選んでください。"))
            out[name] = data[name]
    medium = out.get("medium", asset.medium if asset else Medium.ELECTRONIC)
    if medium == Medium.PAPER:
        for name in ("integrity", "availability"):
            value = out.get(name, getattr(asset, name) if asset and name not in data else None)
            if value is not None:
                fail(
                    name,
                    _("書面には完全性・可用性の格付はありません（%(clause)s の定義）。")
                    % {"clause": classification.DEFINITIONS_CLAUSE},
                )
    if "restrictions" in data:
        try:
            out["restrictions"] = clean_restrictions(data["restrictions"])
        except InvalidInput as error:
            fail("restrictions", error.message)
    if "types" in data:
        types = list(data["types"] or [])
        if not set(types) <= set(TYPES):
            fail(
                "types",
                _("情報の種類は %(codes)s から選んでください。") % {"codes": ", ".join(TYPES)},
            )
        out["types"] = [t for t in TYPES if t in types]
    if "retention_until" in data:
        value = data["retention_until"]
        if value in (None, ""):
            out["retention_until"] = None
        elif isinstance(value, date):
            out["retention_until"] = value
        else:
            try:
                out["retention_until"] = date.fromisoformat(str(value))
            except ValueError:
                fail("retention_until", _("日付は YYYY-MM-DD の形で入力してください。"))
    org_id = actor.organization_id
    if "unit" in data:
        unit = _instance(OrgUnit, data["unit"], organization_id=org_id)
        if unit is None:
            fail("unit", _("所管部署を選んでください。"))
        elif not can_register_in(actor, unit):
            fail("unit", _("この部署の情報資産を登録する権限がありません。"))
        out["unit"] = unit
    if "decider" in data:
        decider = _instance(Person, data["decider"], organization_id=org_id, active=True)
        if data["decider"] not in (None, "") and decider is None:
            fail("decider", _("決定者は同じ組織の在籍者から選んでください。"))
        out["decider"] = decider
    if "system" in data:
        system = _instance(InformationSystem, data["system"], organization_id=org_id)
        if data["system"] not in (None, "") and system is None:
            fail("system", _("情報システムは同じ組織のものから選んでください。"))
        out["system"] = system
    if "sources" in data:
        try:
            out["sources"] = _sources(actor, data["sources"] or [], asset)
        except InvalidInput as error:
            fail("sources", error.message)
    if errors:
        raise InvalidInput(next(iter(errors.values())), details=errors)
    return out


def validate(actor, fields: dict, asset: InformationAsset | None = None) -> dict:
    """Check fields for a new asset (asset None) or a change to `asset`, without saving.
    Keeping an asset's unit as it is needs no right to register in that unit."""
    fields = dict(fields)
    if asset is not None and "unit" in fields and _instance(OrgUnit, fields["unit"]) == asset.unit:
        fields.pop("unit")
    return _validate(actor, fields, asset)


def _instance(model, value, **filters):
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value if all(getattr(value, k) == v for k, v in filters.items()) else None
    try:
        return model.objects.get(pk=int(value), **filters)
    except (model.DoesNotExist, TypeError, ValueError):
        return None


def _sources(actor, values, asset: InformationAsset | None) -> list[InformationAsset]:
    ids = []
    for value in values:
        pk = value.pk if isinstance(value, InformationAsset) else value
        try:
            ids.append(int(pk))
        except (TypeError, ValueError):
            raise InvalidInput(
                _("作成元の指定が正しくありません: %(value)s") % {"value": value}
            ) from None
    found = {a.pk: a for a in InformationAsset.objects.visible_to(actor).filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise InvalidInput(
            _("作成元に指定できない情報資産です: %(refs)s")
            % {"refs": ", ".join(f"A-{pk:06d}" for pk in missing)}
        )
    if asset is not None and asset.pk and (asset.pk in found or _derives_from(found, asset.pk)):
        raise InvalidInput(_("自分自身やこの情報から作られた情報を作成元にはできません。"))
    return list(found.values())


def _derives_from(sources: dict[int, InformationAsset], pk: int) -> bool:
    """Whether any of `sources` was itself made (directly or not) from asset `pk`."""
    seen: set[int] = set()
    frontier = {pk}
    links = InformationAsset.sources.through
    while frontier:
        frontier = (
            set(
                links.objects.filter(to_informationasset_id__in=frontier).values_list(
                    "from_informationasset_id", flat=True
                )
            )
            - seen
        )
        if frontier & set(sources):
            return True
        seen |= frontier
    return False


# --- inheritance ----------------------------------------------------------------------------


def _inherit(asset: InformationAsset, sources: list[InformationAsset]) -> dict | None:
    """統一基準(R7) 3.1.1(3)(b): raise 機密性 to the highest source and add every source's
    restrictions. Returns what changed (for the user and the trail), or None."""
    if not sources:
        return None
    result = classification.inherit(
        [
            classification.Classification(
                asset.confidentiality, restrictions=asset.restriction_list
            ),
            *(
                classification.Classification(s.confidentiality, restrictions=s.restriction_list)
                for s in sources
            ),
        ]
    )
    before_c, before_r = asset.confidentiality, set(asset.restriction_list)
    asset.confidentiality = result.confidentiality
    asset.restrictions = [
        {"code": r.code, "detail": r.detail} if r.detail else {"code": r.code}
        for r in result.restrictions
    ]
    added = [r for r in result.restrictions if r not in before_r]
    if result.confidentiality == before_c and not added:
        return None
    vocabulary = classification.restriction_vocabulary()
    return {
        "citation": result.citation,
        "confidentiality_from": before_c,
        "confidentiality": result.confidentiality,
        "restrictions_added": [vocabulary[r.code].format(r.detail) for r in added],
        "review_citation": result.review_citation,
    }


# --- creating and editing -------------------------------------------------------------------


def _trail(action: str, actor, asset: InformationAsset, data: dict | None = None) -> None:
    record(
        action,
        actor=getattr(actor, "user", None),
        obj=asset,
        data=data,
        organization_id=asset.organization_id,
    )


def _jsonable(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list) and value and isinstance(value[0], InformationAsset):
        return sorted(a.pk for a in value)
    return value


def create(actor, **fields) -> InformationAsset:
    """Register an asset. The creator decides its 格付 unless another 決定者 is named
    (統一基準(R7) 3.1.1(2)). `asset.inherited` tells what the sources raised, or None."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(
            _("変更できない項目です: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    fields.setdefault("unit", actor.unit)
    fields.setdefault("title", "")
    fields.setdefault("confidentiality", 1)
    data = _validate(actor, fields, None)
    sources = data.pop("sources", [])
    if "decider" not in fields:
        data["decider"] = actor
    with transaction.atomic():
        asset = InformationAsset(organization_id=actor.organization_id, created_by=actor, **data)
        inherited = _inherit(asset, sources)
        asset.save()
        asset.sources.set(sources)
        snapshot = {name: _jsonable(getattr(asset, name)) for name in EDITABLE_FIELDS[:-1]}
        snapshot["sources"] = sorted(s.pk for s in sources)
        _trail("assets.asset.created", actor, asset, {"fields": snapshot, "inherited": inherited})
    asset.inherited = inherited
    return asset


def update(asset: InformationAsset, actor, **changes) -> InformationAsset:
    """Change some fields. The trail event lists each changed field, before and after."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(
            _("変更できない項目です: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        locked = (
            InformationAsset.objects.select_for_update().select_related("unit").get(pk=asset.pk)
        )
        _require_editor(actor, locked)
        if locked.state == AssetState.DISPOSED:
            raise InvalidTransition(_("廃棄済の情報資産は変更できません。"))
        data = validate(actor, changes, locked)
        before = {name: _jsonable(getattr(locked, name)) for name in EDITABLE_FIELDS[:-1]}
        before["sources"] = sorted(locked.sources.values_list("pk", flat=True))
        sources = data.pop("sources", None)
        for name, value in data.items():
            setattr(locked, name, value)
        current_sources = sources if sources is not None else list(locked.sources.all())
        inherited = _inherit(locked, current_sources)
        after = {name: _jsonable(getattr(locked, name)) for name in EDITABLE_FIELDS[:-1]}
        after["sources"] = sorted(s.pk for s in current_sources)
        changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if changed:
            locked.save()
            if sources is not None:
                locked.sources.set(sources)
            _trail(
                "assets.asset.updated", actor, locked, {"changes": changed, "inherited": inherited}
            )
    locked.inherited = inherited if changed else None
    locked.changed_fields = sorted(changed)
    return locked


# --- state changes --------------------------------------------------------------------------


def _move(asset: InformationAsset, target: str) -> None:
    if target not in TRANSITIONS[asset.state]:
        raise InvalidTransition(
            _("「%(state)s」の情報資産を「%(target)s」にはできません。")
            % {"state": AssetState(asset.state).label, "target": AssetState(target).label},
            details={"state": asset.state, "target": target},
        )


def _lock(asset: InformationAsset, actor) -> InformationAsset:
    locked = (
        InformationAsset.objects.select_for_update()
        .select_related("unit", "organization")
        .get(pk=asset.pk)
    )
    _require_editor(actor, locked)
    return locked


def _handling_decision(asset: InformationAsset, action: str) -> dict:
    organization = asset.organization
    rulebooks = [r for r in organization.rulebooks if r in ("toitsu", "mod", "mic_pii")]
    kind = organization.kind if organization.kind in classification.ORG_KINDS else "national"
    return decide(
        {
            "org_kind": kind,
            "rulebooks": rulebooks or ["toitsu"],
            "info": asset.as_info(),
            "action": action,
            "context": {"recipient": "public"},
        }
    )


def mark_published(asset: InformationAsset, actor, files=(), on: date | None = None):
    """Moved to assets.publication, which also scans the published files; this name
    stays for the callers that know it here."""
    from mamori.assets.publication import mark_published as publish

    return publish(asset, actor, files, on)


def mark_provided(
    asset: InformationAsset, actor, recipient: str, on: date | None = None
) -> InformationAsset:
    """Record that the information was provided outside its viewers (提供済)."""
    recipient = _one_line(recipient)[:200]
    if not recipient:
        raise InvalidInput(_("提供先を入力してください。"), details={"recipient": "required"})
    with transaction.atomic():
        asset = _lock(asset, actor)
        _move(asset, AssetState.PROVIDED)
        asset.state = AssetState.PROVIDED
        asset.provided_to = recipient
        asset.state_changed_on = on or timezone.localdate()
        asset.save()
        _trail(
            "assets.asset.provided",
            actor,
            asset,
            {"recipient": recipient, "on": asset.state_changed_on.isoformat()},
        )
    return asset


def dispose(
    asset: InformationAsset, actor, method: str, certificate: str = "", on: date | None = None
) -> InformationAsset:
    """Record disposal. 要機密 information is destroyed beyond recovery: electronic
    records erased so nothing can be restored (3.1.1(7)(b)), paper shredded or the
    like (3.1.1(7)(c))."""
    if not method:
        raise InvalidInput(_("廃棄方法を選んでください。"), details={"method": "required"})
    if method not in DISPOSAL_METHODS:
        raise InvalidInput(
            _("不明な廃棄方法です: %(method)s（使えるもの: %(codes)s）")
            % {"method": method, "codes": ", ".join(DISPOSAL_METHODS)},
            details={"method": method},
        )
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise InvalidInput(_("廃棄日に未来の日付は指定できません。"), details={"on": "future"})
    certificate = _one_line(certificate)[:200]
    with transaction.atomic():
        asset = _lock(asset, actor)
        _move(asset, AssetState.DISPOSED)
        _label, medium, unrecoverable = DISPOSAL_METHODS[method]
        if medium != asset.medium:
            raise InvalidInput(
                _("この廃棄方法は%(medium)sには使えません。")
                % {"medium": Medium(asset.medium).label},
                details={"method": method},
            )
        if "confidential" in asset.categories and not unrecoverable:
            clause = ERASE_CLAUSE if asset.medium == Medium.ELECTRONIC else SHRED_CLAUSE
            raise InvalidInput(
                _("要機密情報は復元できない方法で廃棄してください（%(clause)s）。")
                % {"clause": clause},
                code="disposal_recoverable",
                details={"method": method, "citation": clause},
            )
        asset.state = AssetState.DISPOSED
        asset.disposal_method = method
        asset.disposal_certificate = certificate
        asset.disposed_at = on
        asset.state_changed_on = on
        asset.save()
        _trail(
            "assets.asset.disposed",
            actor,
            asset,
            {"method": method, "certificate": certificate, "on": on.isoformat()},
        )
    return asset


def disposal_label(code: str) -> str:
    entry = DISPOSAL_METHODS.get(code)
    return str(entry[0]) if entry else code


def allowed_targets(asset: InformationAsset) -> frozenset[str]:
    return TRANSITIONS[asset.state]
