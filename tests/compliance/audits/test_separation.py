"""An auditor never audits their own unit, nor one containing or contained by it
(統一基準(H30) 2.1.1(8)(a)(イ), 防衛省通達 第12の2(2))."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mamori.errors import Forbidden


@pytest.mark.parametrize("home", ["d1", "b1"])
def test_auditor_from_the_audited_unit_or_its_parent_is_refused(make_audit, person_with, home):
    insider = person_with("isec_auditor", unit=home)
    with pytest.raises(Forbidden) as refused:
        make_audit(auditors=[insider])
    assert "2.1.1(8)(a)(イ)" in str(refused.value.message)
    assert "第12の2(2)" not in str(refused.value.message)  # no 防衛省 rules in this org
    from mamori.compliance.audits.models import Audit

    assert not Audit.objects.exists()  # nothing half-written


def test_under_the_mod_rules_the_refusal_also_cites_the_third_party_rule(
    make_audit, person_with, org
):
    org.rulebooks = ["toitsu", "mod"]
    org.save()
    insider = person_with("isec_auditor", unit="d1")
    with pytest.raises(Forbidden) as refused:
        make_audit(auditors=[insider])
    assert "2.1.1(8)(a)(イ)、防衛省通達 第12の2(2)" in str(refused.value.message)


def test_auditor_auditing_a_bureau_cannot_come_from_one_of_its_divisions(make_audit, person_with):
    from_division = person_with(unit="d2")
    with pytest.raises(Forbidden):
        make_audit(unit="b1", auditors=[from_division])


def test_auditor_from_a_sibling_unit_may_audit(make_audit, person_with):
    sibling = person_with(unit="d2")
    audit = make_audit(auditors=[sibling])
    assert set(audit.auditors.all()) == {audit.lead, sibling}


def test_a_role_scoped_to_the_audited_unit_counts_as_belonging(make_audit, person_with):
    officer_of_d1 = person_with("section_isec_officer", unit="d3", scope="d1")
    with pytest.raises(Forbidden):
        make_audit(auditors=[officer_of_d1])


def test_assigning_an_insider_on_the_page_is_refused_with_the_clause(
    client, login, make_audit, auditor, person_with
):
    audit = make_audit()
    insider = person_with(unit="d1")
    login(auditor)
    response = client.post(
        reverse("audits:assign", args=[audit.pk]), {"auditor": insider.pk}, follow=True
    )
    assert "2.1.1(8)(a)(イ)" in response.content.decode()
    assert not audit.auditors.filter(pk=insider.pk).exists()


def test_an_auditor_who_moved_into_the_audited_unit_cannot_record_a_finding(
    running_audit, person_with, units
):
    from mamori.compliance.audits import services

    member = person_with(unit="d3")
    services.assign_auditor(running_audit, running_audit.planner, member)
    member.unit = units["d1"]
    member.save()
    with pytest.raises(Forbidden) as refused:
        services.record_finding(
            running_audit, member, severity="minor", clause="x", description="y", unit=units["d1"]
        )
    assert "2.1.1(8)(a)(イ)" in str(refused.value.message)
    assert not running_audit.findings.exists()


def test_a_finding_outside_the_audited_units_is_refused(running_audit, person_with, units):
    from mamori.compliance.audits import services
    from mamori.errors import InvalidInput

    with pytest.raises(InvalidInput):
        services.record_finding(
            running_audit,
            running_audit.lead,
            severity="minor",
            clause="x",
            description="y",
            unit=units["d3"],
        )


def test_only_audit_roles_may_plan(make_audit, staff, isec_officer):
    for person in (staff, isec_officer):
        with pytest.raises(Forbidden):
            make_audit(planner=person)


def test_special_audits_need_the_mod_chief_auditor(make_audit, org, person_with):
    from mamori.errors import InvalidInput

    with pytest.raises(InvalidInput):  # 特別監査 exists only under the 防衛省 rules
        make_audit(kind="special")
    org.rulebooks = ["toitsu", "mod"]
    org.save()
    with pytest.raises(Forbidden) as refused:
        make_audit(kind="special")
    assert "第12の4" in str(refused.value.message)
    chief_auditor = person_with("ia_audit_chief", unit="d3")
    audit = make_audit(kind="special", planner=chief_auditor, rulebooks=["mod"], sections=())
    assert audit.get_kind_display() == "特別監査"
