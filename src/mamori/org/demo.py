"""Build the demo organisations (「デモ省」 and 「デモ研究機構」) and describe their logins.

`build_demo()` is idempotent: every row is looked up by its natural key (organisation
and unit codes, usernames, the full scope of a role assignment) and made only when
missing; rows that already exist are left as they are, so a second run creates and
changes nothing. Sample requests are made through the approvals services, and only
for an organisation that has no request yet. Everything happens in one transaction:
a failure leaves no half-built demo.

Every demo account shares one password. It is never in the repository: it is
generated once per machine and kept in DATA_DIR/demo_password (mode 600), unless
MAMORI_DEMO_PASSWORD gives one.
"""

from __future__ import annotations

import os
import secrets
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mamori.approvals import services as approvals
from mamori.approvals.models import Request
from mamori.compliance.assessments.demo import build_assessments
from mamori.compliance.audits.demo import build_audits
from mamori.compliance.demo import build_compliance
from mamori.compliance.exceptions.demo import build_exceptions
from mamori.errors import MamoriError
from mamori.incidents.demo import build_incidents
from mamori.incidents.models import Incident
from mamori.org import demo_data as data
from mamori.org.demo_people import PEOPLE
from mamori.org.models import Organization, OrgUnit, Person, RoleAssignment
from mamori.rules import roles as role_catalogue
from mamori.sharing import demo as sharing_demo
from mamori.sharing.survey_demo import build_survey
from mamori.systems.models import InformationSystem
from mamori.trail.services import record

PASSWORD_ENV = "MAMORI_DEMO_PASSWORD"
PASSWORD_FILE = "demo_password"


class DemoError(Exception):
    """The demo cannot be built as asked; the message says why, in the user's language."""


# --- the shared password -------------------------------------------------------------------


def password_path() -> Path:
    return Path(settings.DATA_DIR) / PASSWORD_FILE


def _check_password_strength(password: str, source: str) -> None:
    try:
        password_validation.validate_password(password)
    except ValidationError as exc:
        raise DemoError(
            _("%(source)s のデモ用パスワードが要件を満たしていません: %(errors)s")
            % {"source": source, "errors": " ".join(exc.messages)}
        ) from None


def demo_password() -> str:
    """The demo password: MAMORI_DEMO_PASSWORD if set, else the one stored for this
    machine, generated (and stored with mode 600) on first use."""
    override = os.environ.get(PASSWORD_ENV, "").strip()
    if override:
        _check_password_strength(override, PASSWORD_ENV)
        return override
    path = password_path()
    if path.exists():
        stored = path.read_text(encoding="utf-8").strip()
        if stored:
            _check_password_strength(stored, str(path))
            return stored
    while True:
        password = secrets.token_urlsafe(12)  # 16 characters, ~96 bits
        try:
            password_validation.validate_password(password)
            break
        except ValidationError:  # e.g. all digits by chance: draw again
            continue
    path.parent.mkdir(parents=True, exist_ok=True)
    # Created with mode 600 from the start, so it is never readable by others.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
    path.chmod(0o600)
    return password


def password_source() -> str:
    return PASSWORD_ENV if os.environ.get(PASSWORD_ENV, "").strip() else str(password_path())


# --- building ---------------------------------------------------------------------------------


@dataclass
class BuildResult:
    created: Counter = field(default_factory=Counter)  # model name -> rows made
    first_build: bool = False
    passwords_reset: int = 0

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or self.passwords_reset)


def build_demo(password: str | None = None) -> BuildResult:
    """Create whatever part of the demo is missing. Safe to run any number of times."""
    password = password or demo_password()
    try:
        with transaction.atomic():
            return _Builder(password).run()
    except ValidationError as exc:
        # Someone changed demo rows so that the data no longer fits (a rulebook switched
        # off, a unit renamed to another's code …): say so instead of a traceback.
        raise DemoError(
            _("デモデータを作成できません: %(errors)s") % {"errors": " ".join(exc.messages)}
        ) from exc
    except MamoriError as exc:
        raise DemoError(
            _("デモの申請を作成できません: %(error)s") % {"error": exc.message}
        ) from exc


def _parse_role(spec: str) -> tuple[str, str | None, str | None]:
    """ "code" -> (code, None, None); "code@unit" -> (code, unit, None); "code#system"."""
    if "#" in spec:
        code, system = spec.split("#", 1)
        return code, None, system
    if "@" in spec:
        code, unit = spec.split("@", 1)
        return code, unit, None
    return spec, None, None


class _Builder:
    def __init__(self, password: str) -> None:
        self.password = password
        self.result = BuildResult()
        self._hash: str | None = None
        self.users: list = []

    @property
    def password_hash(self) -> str:
        # One hash for every demo account: hashing is deliberately slow, and the
        # accounts share the password anyway.
        if self._hash is None:
            self._hash = make_password(self.password)
        return self._hash

    def count(self, what: str, made: int) -> None:
        """Add a module's rows to the result; nothing made leaves no zero entry behind."""
        if made:
            self.result.created[what] += made

    def ensure(self, model, lookup: dict, defaults: dict | None = None):
        """The row matching `lookup`, made (validated by full_clean) if missing."""
        found = model.objects.filter(**lookup).first()
        if found is not None:
            return found, False
        obj = model(**lookup, **(defaults or {}))
        obj.full_clean()
        obj.save()
        self.result.created[model._meta.model_name] += 1
        return obj, True

    def run(self) -> BuildResult:
        orgs: dict[str, Organization] = {}
        for spec in data.ORGANIZATIONS:
            org, created = self.ensure(
                Organization,
                {"code": spec.code},
                {
                    "name": spec.name,
                    "name_en": spec.name_en,
                    "kind": spec.kind,
                    "rulebooks": list(spec.rulebooks),
                    "parent": orgs[spec.parent] if spec.parent else None,
                },
            )
            if spec is data.MINISTRY:
                self.result.first_build = created
            orgs[spec.code] = org
            units = self.build_units(org, data.UNITS[spec.code])
            systems = self.build_systems(org, units, data.SYSTEMS[spec.code])
            people = self.build_people(spec, org, units, systems)
            if not Request.objects.filter(organization=org).exists():
                self.build_requests(people, data.REQUESTS[spec.code])
            if not Incident.objects.filter(organization=org).exists():
                self.result.created["incident"] += build_incidents(
                    people, data.INCIDENTS.get(spec.code, ())
                )
            # Each module's sample adds nothing to an organisation that already has its data.
            self.count("policy", build_compliance(org, people))
            self.count("exception", build_exceptions(org, people))
            self.count("audit", build_audits(org, people))
            self.count("checklist", build_assessments(org, people))
        # The critical-infrastructure sharing hub: NISC, ministries, CEPTOARs, operators.
        self.count("sharing", sharing_demo.build_sharing(self.password_hash))
        self.count("survey", build_survey())
        self.users.extend(get_user_model().objects.filter(username__in=_sharing_usernames()))
        self.sync_passwords()
        if self.result.first_build:
            ministry = orgs[data.MINISTRY.code]
            record(
                "org.demo.loaded",
                actor=None,
                obj=ministry,
                organization_id=ministry.pk,
                data={
                    "organizations": sorted(orgs),
                    "created": dict(sorted(self.result.created.items())),
                },
            )
        return self.result

    def build_units(self, org, specs) -> dict[str, OrgUnit]:
        units: dict[str, OrgUnit] = {}
        for spec in specs:
            units[spec.code], _created = self.ensure(
                OrgUnit,
                {"organization": org, "code": spec.code},
                {
                    "name": spec.name,
                    "name_en": spec.name_en,
                    "kind": spec.kind,
                    "parent": units[spec.parent] if spec.parent else None,
                },
            )
        return units

    def build_systems(self, org, units, specs) -> dict[str, InformationSystem]:
        systems: dict[str, InformationSystem] = {}
        for spec in specs:
            systems[spec.code], _created = self.ensure(
                InformationSystem,
                {"organization": org, "code": spec.code},
                {"name": spec.name, "name_en": spec.name_en, "owner_unit": units[spec.owner_unit]},
            )
        return systems

    def build_people(self, org_spec, org, units, systems) -> dict[str, Person]:
        user_model = get_user_model()
        people: dict[str, Person] = {}
        for number, row in enumerate(PEOPLE[org_spec.code], start=1):
            username, family, given, family_kana, given_kana, romaji, unit, employment, roles = row
            if isinstance(roles, str):  # ("code") without its comma is a string, not a tuple
                raise TypeError(f"demo_data: roles of {username} must be a tuple")
            family_en, given_en = romaji.split(" ", 1)
            email = f"{given_en.lower()}.{family_en.lower()}@{org_spec.email_domain}"
            user = user_model.objects.filter(username=username).first()
            made_user = user is None
            if made_user:
                user, _created = self.ensure(
                    user_model,
                    {"username": username},
                    {
                        "first_name": given,
                        "last_name": family,
                        "email": email,
                        "password": self.password_hash,
                    },
                )
            person = Person.objects.filter(user=user).first()
            if person is None and not made_user:
                # Someone else's account (an administrator's, say): never take it over.
                raise DemoError(
                    _(
                        "ユーザー名「%(username)s」は既にデモ以外のアカウントで使われています。"
                        "そのアカウントの名前を変更してから実行してください。"
                    )
                    % {"username": username}
                )
            if person is not None and person.organization_id != org.pk:
                raise DemoError(
                    _("ユーザー名「%(username)s」は既に他の組織の職員等に使われています。")
                    % {"username": username}
                )
            if person is None:
                person, _created = self.ensure(
                    Person,
                    {"user": user},
                    {
                        "organization": org,
                        "unit": units[unit],
                        "employee_number": f"{org_spec.employee_prefix}{number:05d}",
                        "family_name": family,
                        "given_name": given,
                        "family_name_kana": family_kana,
                        "given_name_kana": given_kana,
                        "name_en": romaji,
                        "email": email,
                        "employment_type": employment,
                    },
                )
            self.users.append(user)
            people[username] = person
            for spec in roles:
                code, unit_code, system_code = _parse_role(spec)
                self.ensure(
                    RoleAssignment,
                    {
                        "person": person,
                        "role": code,
                        "organization": org,
                        "unit": units[unit_code] if unit_code else None,
                        "system": systems[system_code] if system_code else None,
                    },
                )
        return people

    def build_requests(self, people, specs) -> None:
        today = timezone.localdate()
        for spec in specs:
            applicant = people[spec.applicant]
            start = today + timedelta(days=spec.start_in_days)
            request = approvals.create(
                applicant,
                kind=spec.kind,
                title=spec.title,
                description=spec.description,
                period_start=start,
                period_end=start + timedelta(days=spec.length_days - 1),
                conditions=spec.conditions,
            )
            self.result.created["request"] += 1
            if spec.outcome == "draft":
                continue
            request = approvals.submit(request, applicant)
            if spec.outcome == "approved":
                approvals.decide(request, request.approver, "approve", spec.reason)
            elif spec.outcome == "returned":
                approvals.decide(request, request.approver, "return", spec.reason)

    def sync_passwords(self) -> None:
        """Give accounts whose password is not the current demo password the current one
        (for example after MAMORI_DEMO_PASSWORD changed). Each distinct stored hash is
        checked once, so this costs one slow hash check, not one per account."""
        by_hash: dict[str, list[int]] = {}
        for user in self.users:
            by_hash.setdefault(user.password, []).append(user.pk)
        stale = [
            pk
            for stored, pks in by_hash.items()
            if not check_password(self.password, stored)
            for pk in pks
        ]
        if stale:
            get_user_model().objects.filter(pk__in=stale).update(password=self.password_hash)
            self.result.passwords_reset = len(stale)


# --- the logins table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    username: str
    name: str
    roles: tuple[str, ...]  # Japanese labels with their scope
    mfa: str  # "required" (set up TOTP at first login), "registered" or ""
    employment: str


def _sharing_usernames() -> list[str]:
    return [row[0] for row in sharing_demo.PEOPLE]


def logins() -> list[tuple[str, list[Login]]]:
    """The demo accounts that exist, per organisation, in the order of the demo data, then
    the accounts of the critical-infrastructure sharing hub (each in its own body)."""
    groups = []
    for org_spec in data.ORGANIZATIONS:
        org = Organization.objects.filter(code=org_spec.code).first()
        if org is None:
            continue
        usernames = [row[0] for row in PEOPLE[org_spec.code]]
        groups.append((org.name, _login_rows(usernames, org=org)))
    sharing = _login_rows(_sharing_usernames(), with_org=True)
    if sharing:
        groups.append((_("重要インフラ情報共有（NISC・所管省庁・セプター・事業者）"), sharing))
    return groups


def _login_rows(usernames: list[str], *, org=None, with_org: bool = False) -> list[Login]:
    from allauth.mfa.models import Authenticator

    found = get_user_model().objects.filter(username__in=usernames, person__isnull=False)
    if org is not None:
        found = found.filter(person__organization=org)
    users = {user.username: user for user in found.select_related("person__organization")}
    with_totp = set(
        Authenticator.objects.filter(
            user__in=users.values(), type=Authenticator.Type.TOTP
        ).values_list("user_id", flat=True)
    )
    rows = []
    for username in usernames:
        user = users.get(username)
        if user is None:
            continue
        person = user.person
        assignments = list(
            RoleAssignment.objects.active()
            .filter(person=person)
            .select_related("unit", "system")
            .order_by("id")
        )
        codes = {a.role for a in assignments}
        required = settings.MFA_REQUIRED_FOR_ALL or bool(codes & set(settings.MFA_REQUIRED_ROLES))
        mfa = ("registered" if user.pk in with_totp else "required") if required else ""
        roles = tuple(_role_label(a) for a in assignments)
        if with_org:
            roles = tuple(f"{role}（{person.organization.name}）" for role in roles)
        rows.append(
            Login(
                username=username,
                name=f"{person.family_name} {person.given_name}",
                roles=roles,
                mfa=mfa,
                employment=person.get_employment_type_display()
                if person.employment_type != "staff"
                else "",
            )
        )
    return rows


def _role_label(assignment: RoleAssignment) -> str:
    label = role_catalogue.get(assignment.role).ja
    if assignment.system_id:
        return f"{label}（{assignment.system.name}）"
    if assignment.unit_id:
        return f"{label}（{assignment.unit.name}）"
    return label


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "FW" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def format_logins(groups, *, url: str, password: str, source: str) -> str:
    """The table `mamori demo` prints: where to sign in, the password, one line per account."""
    mfa_marks = {"required": _("要"), "registered": _("登録済"), "": ""}
    header = (_("ユーザー名"), _("氏名"), _("TOTP"), _("役割"))
    lines = [
        _("デモ環境へのログイン"),
        "  " + _("URL: %(url)s") % {"url": url},
        "  " + _("パスワード（全アカウント共通）: %(password)s") % {"password": password},
        "  " + _("パスワードの保存場所: %(path)s") % {"path": source},
    ]
    if not groups:
        lines.append("")
        lines.append(_("デモデータはまだ作成されていません。「mamori demo」を実行してください。"))
        return "\n".join(lines) + "\n"
    all_rows = [row for _name, rows in groups for row in rows]
    widths = [
        max([_width(header[0])] + [_width(r.username) for r in all_rows]),
        max([_width(header[1])] + [_width(r.name) for r in all_rows]),
        max([_width(header[2])] + [_width(mark) for mark in mfa_marks.values()]),
    ]
    for org_name, rows in groups:
        lines.append("")
        lines.append(f"【{org_name}】")
        lines.append(
            "  "
            + "  ".join(_pad(h, w) for h, w in zip(header[:3], widths, strict=True))
            + "  "
            + header[3]
        )
        for row in rows:
            roles = "、".join(row.roles) or _("（役割なし）")
            if row.employment:
                roles = f"{roles} [{row.employment}]"
            cells = (row.username, row.name, mfa_marks[row.mfa])
            lines.append(
                "  "
                + "  ".join(_pad(c, w) for c, w in zip(cells, widths, strict=True))
                + "  "
                + roles
            )
    lines.append("")
    lines.append(
        _(
            "TOTP「要」: この役割では二要素認証が必須です。"
            "初回ログイン時に認証アプリ（TOTP）を登録してください。"
        )
    )
    return "\n".join(lines) + "\n"
