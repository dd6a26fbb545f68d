"""`mamori demo`: a realistic ministry and institute, built once, safe to run again."""

from __future__ import annotations

import io
import stat

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from mamori.approvals.models import Request
from mamori.org import demo
from mamori.org.models import Organization, OrgUnit, Person, RoleAssignment
from mamori.rules import roles
from mamori.systems.models import InformationSystem
from mamori.trail.models import Event

PASSWORD = "demo-Password-for-tests-42"


@pytest.fixture(autouse=True)
def demo_env(settings, tmp_path, monkeypatch):
    # The production hasher is deliberately slow; these tests check dozens of logins.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_DIR = tmp_path
    monkeypatch.delenv(demo.PASSWORD_ENV, raising=False)


@pytest.fixture
def built(db):
    return demo.build_demo(PASSWORD)


def _ministry():
    return Organization.objects.get(code="demo-ministry")


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Organization,
            OrgUnit,
            InformationSystem,
            Person,
            RoleAssignment,
            get_user_model(),
            Request,
            Event,
        )
    }


@pytest.mark.django_db
def test_builds_the_ministry_and_its_institute(built):
    ministry = _ministry()
    institute = Organization.objects.get(code="demo-institute")
    assert (ministry.name, ministry.kind) == ("デモ省", "national")
    assert set(ministry.rulebooks) == {"toitsu", "mic_pii"}
    assert (institute.name, institute.kind, institute.parent) == (
        "デモ研究機構",
        "independent",
        ministry,
    )
    assert institute.rulebooks == ["toitsu"]
    assert ministry.units.filter(kind="bureau", parent=None).count() == 3
    assert 10 <= ministry.units.filter(kind="division").count() <= 14
    assert all(unit.parent.kind == "bureau" for unit in ministry.units.filter(kind="division"))
    assert institute.units.filter(kind="bureau").count() in (1, 2)
    assert institute.units.filter(kind="division").count() == 3
    assert 3 <= ministry.systems.count() <= 4
    assert built.first_build


@pytest.mark.django_db
def test_people_look_like_a_real_ministry(built):
    people = Person.objects.filter(organization=_ministry())
    assert 55 <= people.count() <= 65
    assert 8 <= Person.objects.filter(organization__code="demo-institute").count() <= 14
    employment = set(people.values_list("employment_type", flat=True))
    assert {"staff", "dispatched", "trainee", "contractor"} <= employment
    assert people.filter(employment_type="staff").count() > people.count() * 0.8
    for person in people:
        assert person.family_name_kana and person.given_name_kana and person.name_en
        assert person.email.endswith("@demo.go.jp")
        assert person.employee_number
        assert person.unit.organization_id == person.organization_id
        assert person.user.email == person.email
        assert person.user.last_name == person.family_name
    emails = list(Person.objects.values_list("email", flat=True))
    assert len(emails) == len(set(emails))
    numbers = list(people.values_list("employee_number", flat=True))
    assert len(numbers) == len(set(numbers))


@pytest.mark.django_db
def test_every_toitsu_and_pii_role_is_held_in_the_ministry(built):
    ministry = _ministry()
    held = set(
        RoleAssignment.objects.active()
        .filter(organization=ministry, person__active=True, person__organization=ministry)
        .values_list("role", flat=True)
    )
    expected = {role.code for role in roles.for_rulebooks(["toitsu", "mic_pii"])}
    assert expected - held == set()
    assert not held - expected  # nothing from a rulebook the ministry does not follow


@pytest.mark.django_db
def test_roles_are_scoped_as_the_rules_place_them(built):
    ministry = _ministry()
    active = RoleAssignment.objects.active().filter(organization=ministry)
    for assignment in active:
        assert assignment.scope_kind in assignment.role_info.scopes, assignment
        if assignment.role_info.org_wide:
            assert assignment.unit_id is None and assignment.system_id is None, assignment
    for division in ministry.units.filter(kind="division"):
        assert active.filter(role="section_isec_officer", unit=division).count() == 1, division
    for bureau in ministry.units.filter(kind="bureau"):
        assert active.filter(role="isec_officer", unit=bureau).count() == 1, bureau
    for system in ministry.systems.all():
        assert active.filter(role="system_sec_officer", system=system).exists(), system
    assert active.filter(role="pii_manager", unit__kind="division").count() >= 2
    institute = Organization.objects.get(code="demo-institute")
    inst_active = RoleAssignment.objects.active().filter(organization=institute)
    assert inst_active.filter(role="ciso", unit=None).count() == 1
    for division in institute.units.filter(kind="division"):
        assert inst_active.filter(role="section_isec_officer", unit=division).exists(), division


@pytest.mark.django_db
def test_second_run_creates_and_changes_nothing(built):
    before = _counts()
    hashes = dict(get_user_model().objects.values_list("username", "password"))
    states = dict(Request.objects.values_list("pk", "state"))
    again = demo.build_demo(PASSWORD)
    assert _counts() == before
    assert dict(get_user_model().objects.values_list("username", "password")) == hashes
    assert dict(Request.objects.values_list("pk", "state")) == states
    assert not again.changed and not again.first_build
    assert Event.objects.filter(action="org.demo.loaded").count() == 1


@pytest.mark.django_db
def test_a_missing_piece_is_filled_in_without_duplicating_the_rest(built):
    ciso = RoleAssignment.objects.get(organization=_ministry(), role="ciso")
    ciso.delete()
    before = _counts()
    result = demo.build_demo(PASSWORD)
    assert result.created == {"roleassignment": 1}
    assert _counts() == {**before, "RoleAssignment": before["RoleAssignment"] + 1}
    assert RoleAssignment.objects.filter(organization=_ministry(), role="ciso").count() == 1


@pytest.mark.django_db
def test_every_demo_user_can_sign_in_with_the_demo_password(built):
    # The ministry, the institute and the critical-infrastructure sharing hub's parties.
    users = get_user_model().objects.filter(person__isnull=False)
    assert users.count() == Person.objects.count()
    assert users.filter(username="cip-nisc").exists()
    for user in users:
        assert authenticate(username=user.username, password=PASSWORD) == user, user.username
    assert authenticate(username="ciso", password=PASSWORD + "x") is None


@pytest.mark.django_db
def test_a_new_demo_password_is_applied_to_existing_accounts(built):
    result = demo.build_demo("another-Demo-password-7")
    assert result.passwords_reset == get_user_model().objects.count()
    assert authenticate(username="staff01", password="another-Demo-password-7") is not None
    assert authenticate(username="staff01", password=PASSWORD) is None


@pytest.mark.django_db
def test_sample_requests_cover_the_states_on_the_task_pages(built):
    ministry = _ministry()
    requests = Request.objects.filter(organization=ministry)
    assert {"draft", "submitted", "approved", "returned"} <= set(
        requests.values_list("state", flat=True)
    )
    assert {"general.permission", "compliance.exception"} <= set(
        requests.values_list("kind", flat=True)
    )
    for request in requests.exclude(state="draft"):
        assert request.approver_id and request.approver_id != request.applicant_id
    # A division officer's own request goes up to the bureau officer (兼務禁止).
    own = requests.get(applicant__user__username="sec-somu")
    assert (own.state, own.approver.user.username) == ("submitted", "isec-kanbo")
    assert Request.objects.filter(organization__code="demo-institute", state="submitted").exists()
    # Every submitted request left its trail event, the institute's and the samples of
    # the 例外措置 module included.
    submitted = Request.objects.exclude(state="draft")
    assert Event.objects.filter(action="approvals.request.submitted").count() == submitted.count()


@pytest.mark.django_db
def test_requests_are_not_added_again_when_some_exist(built):
    Request.objects.filter(state="draft").delete()
    before = Request.objects.count()
    demo.build_demo(PASSWORD)
    assert Request.objects.count() == before


@pytest.mark.django_db
def test_an_existing_account_with_a_demo_username_is_never_taken_over():
    get_user_model().objects.create_user(username="auditor", password="someone-elses-password")
    with pytest.raises(demo.DemoError, match="auditor"):
        demo.build_demo(PASSWORD)
    assert not Organization.objects.exists()  # all or nothing
    assert get_user_model().objects.get(username="auditor").check_password("someone-elses-password")


def test_password_is_generated_once_and_kept_private(settings):
    first = demo.demo_password()
    path = settings.DATA_DIR / "demo_password"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) >= 12
    assert demo.demo_password() == first
    assert path.read_text().strip() == first


def test_password_from_environment_wins_and_must_be_strong(monkeypatch, settings):
    monkeypatch.setenv(demo.PASSWORD_ENV, "an-operator-Chosen-pass")
    assert demo.demo_password() == "an-operator-Chosen-pass"
    assert not (settings.DATA_DIR / "demo_password").exists()
    monkeypatch.setenv(demo.PASSWORD_ENV, "short1")
    with pytest.raises(demo.DemoError, match=demo.PASSWORD_ENV):
        demo.demo_password()


@pytest.mark.django_db
def test_command_builds_and_prints_the_logins_table(monkeypatch, settings):
    monkeypatch.setenv(demo.PASSWORD_ENV, PASSWORD)
    out = io.StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert settings.SITE_URL in text and PASSWORD in text
    ciso_line = next(line for line in text.splitlines() if line.split()[:1] == ["ciso"])
    assert "高橋 健一" in ciso_line and "最高情報セキュリティ責任者" in ciso_line
    assert " 要 " in ciso_line  # CISO must set up TOTP
    staff_line = next(line for line in text.splitlines() if line.split()[:1] == ["staff01"])
    assert " 要 " not in staff_line
    for username in ("csirt-lead", "sec-somu", "pii-chief", "inst-ciso"):
        assert any(line.split()[:1] == [username] for line in text.splitlines()), username


@pytest.mark.django_db
def test_logins_option_prints_without_building(monkeypatch):
    monkeypatch.setenv(demo.PASSWORD_ENV, PASSWORD)
    out = io.StringIO()
    call_command("demo", "--logins", stdout=out)
    assert not Organization.objects.exists()
    assert "mamori demo" in out.getvalue()
    demo.build_demo(PASSWORD)
    before = _counts()
    out = io.StringIO()
    call_command("demo", "--logins", stdout=out)
    assert _counts() == before
    assert any(line.split()[:1] == ["ciso"] for line in out.getvalue().splitlines())


@pytest.mark.django_db
def test_quiet_option_prints_nothing_but_builds(monkeypatch):
    monkeypatch.setenv(demo.PASSWORD_ENV, PASSWORD)
    out = io.StringIO()
    call_command("demo", "--quiet", stdout=out)
    assert out.getvalue() == ""
    assert Organization.objects.filter(code="demo-ministry").exists()


@pytest.mark.django_db
def test_command_reports_a_weak_password_as_an_error(monkeypatch):
    monkeypatch.setenv(demo.PASSWORD_ENV, "12345678901234")
    with pytest.raises(CommandError):
        call_command("demo", "--quiet")
    assert not Organization.objects.exists()


@pytest.mark.django_db
def test_data_that_no_longer_fits_is_a_clear_error_and_changes_nothing(built):
    ministry = _ministry()
    RoleAssignment.objects.filter(organization=ministry, role="pii_chief").delete()
    Organization.objects.filter(pk=ministry.pk).update(rulebooks=["toitsu"])
    before = _counts()
    with pytest.raises(demo.DemoError):
        demo.build_demo(PASSWORD)
    assert _counts() == before


@pytest.mark.django_db
def test_unit_officers_see_only_their_units(built):
    from mamori.org import scope

    officers = Person.objects.filter(
        organization=_ministry(), user__username__regex=r"^(isec|sec)-"
    )
    assert officers.count() == 3 + 12
    for person in officers:
        assert not scope.has_org_wide_role(person), person.user.username
    assert scope.has_org_wide_role(Person.objects.get(user__username="ciso"))
