"""Checking a request field by field, so a caller (CLI, API, UI) can say exactly what is
wrong: each error names the field (a dotted path), the values it may take, and why, in
Japanese and English.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mamori.rules import roles
from mamori.rules.classification import (
    ORG_KINDS,
    RestrictionKind,
)
from mamori.rules.handling_rules.base import (
    ACTION_SPECS,
    ACTIONS,
    KNOWN_RULEBOOKS,
    LOCATIONS,
    MEDIUMS,
    TERMINALS,
    TYPES,
)
from mamori.rules.handling_rules.intake import CONTEXT_ENUMS, CONTEXT_KEYS, INFO_KEYS, TOP_KEYS


@dataclass(frozen=True)
class FieldError:
    """One problem with a request: the field (dotted path), what it may be, and why."""

    field: str
    allowed: tuple[Any, ...]
    ja: str
    en: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "allowed": list(self.allowed),
            "message": {"ja": self.ja, "en": self.en},
        }

    def __str__(self) -> str:
        return self.en


class InvalidRequest(ValueError):
    def __init__(self, errors: Sequence[FieldError], index: int | None = None) -> None:
        self.errors = list(errors)
        self.index = index
        where = "" if index is None else f"request {index}: "
        super().__init__(where + "; ".join(str(error) for error in self.errors))


def _error(errors: list[FieldError], field: str, allowed: Iterable[Any], ja: str, en: str) -> None:
    """Each message names its field, so it reads alone in a log or an error line."""
    errors.append(
        FieldError(
            field,
            tuple(allowed),
            ja if field in ja else f"{field}: {ja}",
            en if field in en else f"{field}: {en}",
        )
    )


def _check_enum(
    errors: list[FieldError],
    where: str,
    value: Any,
    allowed: Sequence[Any],
    *,
    optional: bool = True,
) -> None:
    if value is None and optional:
        return
    if value.__class__ is not str or value not in allowed:
        _error(
            errors,
            where,
            allowed,
            f"{where} は次のいずれかです: {', '.join(map(str, allowed))}",
            f"{where} must be one of: {', '.join(map(str, allowed))} (got {value!r})",
        )


def _check_keys(
    errors: list[FieldError], where: str, given: Iterable[Any], known: frozenset[str]
) -> None:
    for key in given:
        if key not in known:
            _error(
                errors,
                f"{where}{key}",
                sorted(known),
                f"{where}{key} という項目はありません",
                f"unknown field {where}{key}; known fields: {', '.join(sorted(known))}",
            )


def validate(request: Any, vocabulary: Mapping[str, RestrictionKind]) -> list[FieldError]:
    """Every problem with a request, each naming the field and the allowed values. An
    empty list means decide() will answer."""
    errors: list[FieldError] = []
    if not isinstance(request, dict):
        _error(
            errors,
            "(request)",
            ("object",),
            "要求はJSONオブジェクトです",
            "a request is a JSON object",
        )
        return errors
    _check_keys(errors, "", request, TOP_KEYS)
    _check_enum(errors, "org_kind", request.get("org_kind"), tuple(ORG_KINDS), optional=False)
    books = request.get("rulebooks")
    if books is not None:
        if not isinstance(books, list) or not books:
            _error(
                errors,
                "rulebooks",
                KNOWN_RULEBOOKS,
                "rulebooks は1つ以上の規程のリストです",
                "rulebooks is a non-empty list of rulebook codes",
            )
        else:
            for n, code in enumerate(books):
                _check_enum(errors, f"rulebooks[{n}]", code, KNOWN_RULEBOOKS, optional=False)
    _check_enum(errors, "action", request.get("action"), tuple(ACTIONS), optional=False)
    info = request.get("info")
    if not isinstance(info, dict):
        _error(
            errors,
            "info",
            ("object",),
            "info（情報の格付等）が必要です",
            "info (the information's classification) is required and is an object",
        )
    else:
        _validate_info(errors, info, vocabulary)
    context = request.get("context")
    if context is not None and not isinstance(context, dict):
        _error(
            errors,
            "context",
            ("object", None),
            "context はオブジェクトです",
            "context is an object",
        )
    elif isinstance(request.get("action"), str) and request["action"] in ACTIONS:
        _validate_context(errors, context or {}, request["action"])
    return errors


def _validate_info(
    errors: list[FieldError], info: dict[str, Any], vocabulary: Mapping[str, RestrictionKind]
) -> None:
    _check_keys(errors, "info.", info, INFO_KEYS)
    c = info.get("confidentiality")
    if c.__class__ is not int or c not in (1, 2, 3):
        _error(
            errors,
            "info.confidentiality",
            (1, 2, 3),
            "機密性の格付は 1, 2, 3 のいずれかです",
            f"info.confidentiality must be 1, 2 or 3 (got {c!r})",
        )
    medium = info.get("medium", "electronic")
    _check_enum(errors, "info.medium", medium, MEDIUMS, optional=False)
    for name, label in (("integrity", "完全性"), ("availability", "可用性")):
        value = info.get(name)
        if medium == "paper" and value is not None:
            _error(
                errors,
                f"info.{name}",
                (None,),
                f"書面には{label}の格付はありません（null にしてください）",
                f"paper has no {name} classification: leave info.{name} null",
            )
        elif value is not None and (value.__class__ is not int or value not in (1, 2)):
            _error(
                errors,
                f"info.{name}",
                (1, 2, None),
                f"{label}の格付は 1, 2 又は null です",
                f"info.{name} must be 1, 2 or null (got {value!r})",
            )
    listed = info.get("restrictions")
    if listed is not None and not isinstance(listed, list):
        _error(
            errors,
            "info.restrictions",
            tuple(vocabulary),
            "restrictions はリストです",
            "info.restrictions is a list",
        )
    for n, entry in enumerate(listed if isinstance(listed, list) else []):
        where = f"info.restrictions[{n}]"
        code = entry.get("code") if isinstance(entry, dict) else entry
        if isinstance(entry, dict):
            _check_keys(errors, where + ".", entry, frozenset({"code", "detail"}))
        _check_enum(errors, where, code, tuple(vocabulary), optional=False)
        detail = entry.get("detail") if isinstance(entry, dict) else None
        if (
            detail is not None
            and isinstance(code, str)
            and code in vocabulary
            and (not isinstance(detail, str) or not detail or not vocabulary[code].takes_detail)
        ):
            _error(
                errors,
                where + ".detail",
                tuple(k for k, kind in vocabulary.items() if kind.takes_detail),
                "detail（〇〇限りの相手など）は、それを取る取扱制限にだけ文字列で付けます",
                "detail (with whom, for 〇〇限り) is a non-empty string, only for restrictions that take one",
            )
    types = info.get("types")
    if types is not None and not isinstance(types, list):
        _error(errors, "info.types", tuple(TYPES), "types はリストです", "info.types is a list")
    for n, code in enumerate(types if isinstance(types, list) else []):
        _check_enum(errors, f"info.types[{n}]", code, tuple(TYPES), optional=False)


def _validate_context(errors: list[FieldError], context: dict[str, Any], action: str) -> None:
    _check_keys(errors, "context.", context, CONTEXT_KEYS)
    spec = ACTION_SPECS[action]
    for name, allowed in CONTEXT_ENUMS.items():
        _check_enum(errors, f"context.{name}", context.get(name), allowed)
    location = context.get("location")
    if location in LOCATIONS and location not in spec.locations:
        _error(
            errors,
            "context.location",
            spec.locations,
            f"{action} の location は {', '.join(spec.locations)} のいずれかです",
            f"for {action}, context.location must be one of: {', '.join(spec.locations)}",
        )
    terminal = context.get("terminal")
    if spec.terminal is not None and terminal in TERMINALS and terminal != spec.terminal:
        _error(
            errors,
            "context.terminal",
            (spec.terminal, None),
            f"{action} は terminal={spec.terminal} を前提とします",
            f"{action} implies context.terminal {spec.terminal}",
        )
    for name in spec.requires:
        if context.get(name) is None:
            _error(
                errors,
                f"context.{name}",
                CONTEXT_ENUMS[name],
                f"{action} には context.{name} が必要です",
                f"{action} needs context.{name}: one of {', '.join(CONTEXT_ENUMS[name])}",
            )
    for name in ("treat_c3_as_national", "outsourced"):
        if name in context and not isinstance(context[name], bool):
            _error(
                errors,
                f"context.{name}",
                (True, False),
                f"context.{name} は true か false です",
                f"context.{name} must be true or false",
            )
    actor_roles = context.get("actor_roles")
    if actor_roles is not None and not isinstance(actor_roles, list):
        _error(
            errors,
            "context.actor_roles",
            ("list of role codes",),
            "actor_roles はリストです",
            "context.actor_roles is a list of role codes",
        )
    for n, code in enumerate(actor_roles if isinstance(actor_roles, list) else []):
        _check_enum(
            errors, f"context.actor_roles[{n}]", code, tuple(roles.catalogue()), optional=False
        )
