"""Handling checks, permission requests and measure confirmations as service calls."""

import pytest

from mamori.approvals.models import Request
from mamori.assets import handling_services as services
from mamori.assets.models import InformationAsset
from mamori.errors import Forbidden, InvalidInput
from mamori.rules import handling
from mamori.trail.models import Event

C3 = {"confidentiality": 3, "medium": "electronic"}
C2 = {"confidentiality": 2, "medium": "electronic"}


@pytest.fixture
def asset(org, units, staff):
    return InformationAsset.objects.create(
        organization=org,
        unit=units["d1"],
        title="人事評価記録",
        confidentiality=3,
        restrictions=[{"code": "copy_prohibited", "detail": ""}],
        created_by=staff,
    )


def events(action):
    return list(Event.objects.filter(action=action).order_by("seq"))


def test_check_uses_the_organisation_and_records_the_decision(staff):
    decision = services.check(staff, info=C3, action="process_outside_area")
    assert decision["verdict"] == "needs_permission"
    assert decision["permission_from"] == ["section_isec_officer"]
    assert "統一基準(R7) 3.1.1(4)(b)" in decision["citations"]
    (event,) = events("assets.handling.checked")
    assert event.actor_id == staff.user_id
    assert event.data["decision"]["verdict"] == "needs_permission"
    assert event.data["action"] == "process_outside_area"


def test_the_request_carries_the_organisations_kind_rulebooks_and_roles(staff, org, person_with):
    request = services.engine_request(staff, info=C2, action="copy")
    assert request["org_kind"] == "national"
    assert request["rulebooks"] == ["toitsu", "mic_pii"]
    assert "actor_roles" not in request["context"]
    handler = person_with("mynumber_handler")
    forged = services.engine_request(
        staff, info=C2, action="copy", context={"actor_roles": ["mynumber_handler"]}
    )
    assert "actor_roles" not in forged["context"]  # the roster decides, not the caller
    assert services.engine_request(handler, info=C2, action="copy")["context"]["actor_roles"] == [
        "mynumber_handler"
    ]


def test_the_same_answer_as_the_engine(staff):
    request = services.engine_request(staff, info=C2, action="publish")
    assert services.check(staff, info=C2, action="publish") == handling.decide(request)


def test_an_incorporated_agency_is_judged_by_its_own_kind(staff, org):
    org.kind = "independent"
    org.save()
    staff.organization.refresh_from_db()
    decision = services.check(
        staff, info=C3, action="provide", context={"recipient": "outside_viewers"}
    )
    assert "section_isec_officer" in decision["permission_from"]  # 3.1.1(5)(c)


def test_bad_input_names_the_field_and_records_nothing(staff):
    with pytest.raises(InvalidInput) as caught:
        services.check(staff, info=C2, action="send", context={"channel": "pigeon"})
    fields = [e["field"] for e in caught.value.details["errors"]]
    assert "context.channel" in fields
    assert caught.value.code == "invalid_request"
    assert not events("assets.handling.checked")


def test_an_asset_outside_the_persons_view_is_refused(asset, outsider):
    with pytest.raises(Forbidden):
        services.check(outsider, asset=asset, action="print")


def test_an_asset_is_checked_with_its_register_classification(asset, staff):
    decision = services.check(staff, asset=asset, action="copy")
    assert decision["verdict"] == "deny"  # 複製禁止
    (event,) = events("assets.handling.checked")
    assert event.object_id == str(asset.pk) and event.data["asset_id"] == asset.pk


def test_permission_request_goes_to_the_named_role_of_the_assets_unit(
    asset, staff, section_officer, person_with
):
    person_with("section_isec_officer", unit="d2", scope="d2")  # another division's officer
    (filed,) = services.request_permission(
        staff,
        asset=asset,
        action="process_outside_area",
        reason_text="出張先で評価結果を確認するため",
    )
    assert filed.state == "submitted"
    assert filed.kind == "assets.handling"
    assert filed.approver == section_officer
    assert filed.approver_role == "section_isec_officer"
    assert filed.unit_id == asset.unit_id
    assert filed.title == "取扱いの許可申請: 人事評価記録 — 要管理対策区域の外で情報処理をする"
    assert filed.details["approver_roles"] == ["section_isec_officer"]
    assert filed.details["decision"]["verdict"] == "needs_permission"
    assert filed.details["engine_request"]["action"] == "process_outside_area"
    assert filed.details["asset_id"] == asset.pk
    assert "安全確保の措置" in filed.conditions
    assert "3.1.1(4)(b)" in filed.description
    assert [e.object_id for e in events("assets.handling.requested")] == [str(asset.pk)]
    assert events("assets.handling.requested")[0].data["request_ids"] == [filed.pk]


def test_one_request_per_permitting_role(staff, section_officer, person_with, org):
    org.kind = "independent"
    org.save()
    staff.organization.refresh_from_db()
    person_with("decider", unit="d1", scope="d1")
    context = {"recipient": "outside_viewers"}
    decision = services.check(staff, info=C3, action="provide", context=context)
    assert len(decision["permission_from"]) == 2
    filed = services.request_permission(
        staff, info=C3, action="provide", context=context, reason_text="共同研究先へ"
    )
    assert sorted(r.approver_role for r in filed) == sorted(decision["permission_from"])
    assert all(r.state == "submitted" for r in filed)


def test_no_approver_files_nothing(staff):
    with pytest.raises(InvalidInput) as caught:
        services.request_permission(
            staff, info=C3, action="process_outside_area", reason_text="出張"
        )
    assert caught.value.code == "no_approver"
    assert not Request.objects.exists()
    assert not events("assets.handling.requested")


@pytest.mark.parametrize(
    "info,action", [(C2, "publish"), (C2, "copy"), ({"confidentiality": 1}, "print")]
)
def test_only_needs_permission_is_filed(staff, section_officer, info, action):
    with pytest.raises(InvalidInput) as caught:
        services.request_permission(staff, info=info, action=action, reason_text="理由")
    assert caught.value.code == "no_permission_needed"
    assert not Request.objects.exists()


def test_a_posted_decision_is_never_trusted(staff, section_officer):
    forged = {"verdict": "needs_permission", "permission_from": ["ciso"]}
    with pytest.raises(InvalidInput) as caught:
        services.request_permission(
            staff, info=C3, action="process_outside_area", decision=forged, reason_text="理由"
        )
    assert caught.value.code == "decision_changed"
    with pytest.raises(InvalidInput):  # publishing 機密性2 is denied whatever is posted
        services.request_permission(
            staff, info=C2, action="publish", decision=forged, reason_text="理由"
        )
    assert not Request.objects.exists()


def test_a_reason_is_required(staff, section_officer):
    with pytest.raises(InvalidInput) as caught:
        services.request_permission(staff, info=C3, action="process_outside_area")
    assert caught.value.details == {"reason_text": "required"}


def test_every_measure_must_be_confirmed(staff):
    decision = services.check(staff, info=C2, action="carry_outside")
    assert decision["verdict"] == "allow_with_measures" and len(decision["measures"]) >= 2
    with pytest.raises(InvalidInput) as caught:
        services.confirm_measures(
            staff, info=C2, action="carry_outside", measures_ticked=decision["measures"][:1]
        )
    assert caught.value.details["measures"] == decision["measures"][1:]
    assert not events("assets.handling.confirmed")
    services.confirm_measures(
        staff, info=C2, action="carry_outside", measures_ticked=decision["measures"]
    )
    (event,) = events("assets.handling.confirmed")
    assert event.data["measures_confirmed"] == decision["measures"]
    assert event.data["decision"]["verdict"] == "allow_with_measures"


def test_nothing_to_confirm_for_other_verdicts(staff):
    with pytest.raises(InvalidInput) as caught:
        services.confirm_measures(staff, info=C2, action="publish", measures_ticked=[])
    assert caught.value.code == "nothing_to_confirm"


def test_an_organisation_outside_the_unified_standards_cannot_check(staff, org):
    org.kind = "ci_operator"
    org.save()
    staff.organization.refresh_from_db()
    with pytest.raises(InvalidInput) as caught:
        services.check(staff, info=C2, action="print")
    assert caught.value.code == "org_kind_not_covered"
