"""Organisation facts over the API: the role catalogue and who the caller is."""

from __future__ import annotations

from ninja import Router, Schema

from mamori.org import scope
from mamori.rules import roles as catalogue

router = Router(tags=["org"])


class RoleOut(Schema):
    code: str
    ja: str
    en: str
    rulebook: str
    clause: str
    scopes: list[str]


class AssignmentOut(Schema):
    role: str
    scope: str
    unit_id: int | None
    system_id: int | None
    valid_from: str
    valid_to: str | None


class MeOut(Schema):
    person_id: int
    name: str
    organization_id: int
    unit_id: int | None
    roles: list[AssignmentOut]


@router.get("/roles", response=list[RoleOut])
def list_roles(request):
    return [
        RoleOut(
            code=r.code,
            ja=r.ja,
            en=r.en,
            rulebook=r.rulebook,
            clause=r.clause,
            scopes=list(r.scopes),
        )
        for r in catalogue.catalogue().values()
    ]


@router.get("/me", response=MeOut)
def me(request):
    person = request.person
    return MeOut(
        person_id=person.pk,
        name=person.display_name,
        organization_id=person.organization_id,
        unit_id=person.unit_id,
        roles=[
            AssignmentOut(
                role=a.role,
                scope=a.scope_kind,
                unit_id=a.unit_id,
                system_id=a.system_id,
                valid_from=a.valid_from.isoformat(),
                valid_to=a.valid_to.isoformat() if a.valid_to else None,
            )
            for a in scope.active_assignments(person)
        ],
    )
