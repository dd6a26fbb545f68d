"""The role catalogue: codes, Japanese and English labels, rulebook and source clause.

The data is in catalogs/roles.yaml so an agency can read it without reading code.
Codes are a contract: later modules and external tools rely on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

RULEBOOKS: dict[str, tuple[str, str]] = {
    # code: (Japanese, English)
    "toitsu": ("政府機関等の情報セキュリティ対策のための統一基準", "NISC Unified Standards"),
    "mod": ("防衛省 情報保証に関する訓令", "Ministry of Defense information-assurance directive"),
    "mic_pii": (
        "総務省 保有個人情報等の安全管理に関する訓令",
        "MIC personal-information directive",
    ),
    "cip": (
        "重要インフラの情報セキュリティ対策に係る行動計画",
        "Critical-infrastructure action plan",
    ),
}

SCOPES = ("organization", "unit", "system")


@dataclass(frozen=True)
class Role:
    code: str
    ja: str
    en: str
    rulebook: str
    clause: str
    scopes: tuple[str, ...]
    org_wide: bool = False  # sees every unit of its organisation (CISO, 統括, CSIRT …)
    assistant_of: str | None = None  # 補助者 variants name the role they assist

    def label(self, language: str) -> str:
        return self.en if language.startswith("en") else self.ja


def _load(path: Path) -> dict[str, Role]:
    roles: dict[str, Role] = {}
    for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
        role = Role(
            code=entry["code"],
            ja=entry["ja"],
            en=entry["en"],
            rulebook=entry["rulebook"],
            clause=entry["clause"],
            scopes=tuple(entry.get("scopes", ["organization", "unit"])),
            org_wide=bool(entry.get("org_wide", False)),
            assistant_of=entry.get("assistant_of"),
        )
        if role.code in roles:
            raise ValueError(f"role {role.code} is listed twice in {path.name}")
        if role.rulebook not in RULEBOOKS:
            raise ValueError(f"role {role.code}: unknown rulebook {role.rulebook}")
        if not set(role.scopes) <= set(SCOPES):
            raise ValueError(f"role {role.code}: unknown scope in {role.scopes}")
        roles[role.code] = role
    for role in roles.values():
        if role.assistant_of and role.assistant_of not in roles:
            raise ValueError(f"role {role.code} assists unknown role {role.assistant_of}")
    return roles


@cache
def catalogue() -> dict[str, Role]:
    return _load(Path(__file__).with_name("catalogs") / "roles.yaml")


def get(code: str) -> Role:
    try:
        return catalogue()[code]
    except KeyError:
        raise KeyError(f"unknown role code {code!r}") from None


def for_rulebooks(rulebooks: list[str] | tuple[str, ...]) -> list[Role]:
    """Roles an organisation following these rulebooks can assign, in catalogue order."""
    return [role for role in catalogue().values() if role.rulebook in rulebooks]
