"""Reporting chains: each route of the seeds, with the clause it cites."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mamori.rules.routes import CaseFacts, Due, Step, due_at, playbook, route

JST = ZoneInfo("Asia/Tokyo")
TOITSU = frozenset({"toitsu"})
MOD = frozenset({"mod"})
MIC = frozenset({"mic_pii"})


def by_key(steps: list[Step]) -> dict[str, Step]:
    return {step.key: step for step in steps}


def chain(steps: list[Step], first: str) -> list[str]:
    """Follow `after` links forward from `first`, taking the first follower each time."""
    keys = [first]
    while True:
        followers = [s.key for s in steps if s.after == keys[-1]]
        if not followers:
            return keys
        keys.append(followers[0])


# --- 統一基準 ---------------------------------------------------------------------------


def test_national_agency_malware_case_reaches_nisc_through_the_desk_and_csirt():
    steps = route(CaseFacts("national", TOITSU, "malware"))
    s = by_key(steps)
    desk = s["toitsu.staff_to_desk"]
    assert (desk.sender, desk.recipient, desk.due) == ("reporter", "csirt", Due("immediate"))
    assert desk.citation == "統一基準(R7) 2.2.4(2)(a)"
    nisc = s["toitsu.csirt_to_nisc"]
    assert (nisc.sender, nisc.recipient, nisc.internal) == ("csirt", "nisc", False)
    assert nisc.after == "toitsu.staff_to_desk"
    assert nisc.due == Due("promptly")  # 速やかに
    assert nisc.citation == "統一基準(H30) 2.2.4(2)(g)"
    assert s["toitsu.csirt_to_lead"].recipient == "csirt_lead"
    assert "toitsu.csirt_to_ministry" not in s


@pytest.mark.parametrize("org_kind", ["independent", "designated_listed", "designated_other"])
def test_independent_and_designated_bodies_go_through_the_supervising_ministry(org_kind):
    steps = route(CaseFacts(org_kind, TOITSU, "malware", supervising_ministry="総務省"))
    s = by_key(steps)
    to_ministry = s["toitsu.csirt_to_ministry"]
    assert (to_ministry.sender, to_ministry.recipient) == ("csirt", "supervising_ministry")
    assert "総務省" in to_ministry.title_ja and "総務省" in to_ministry.title_en
    to_nisc = [step for step in steps if step.recipient == "nisc"]
    # NISC hears of it only from the ministry, after the corporation told the ministry
    assert [(step.sender, step.after) for step in to_nisc] == [
        ("supervising_ministry", "toitsu.csirt_to_ministry")
    ]
    assert to_nisc[0].order > to_ministry.order
    assert to_nisc[0].citation == "統一基準(H30) 2.2.4(2)(g)"


def test_police_are_told_only_when_a_cyber_attack_is_suspected():
    quiet = by_key(route(CaseFacts("national", TOITSU, "malware")))
    attack = by_key(route(CaseFacts("national", TOITSU, "malware", cyber_attack_suspected=True)))
    assert not [s for s in quiet.values() if s.recipient == "police"]
    police = attack["toitsu.csirt_to_police"]
    assert (police.sender, police.recipient) == ("csirt", "police")
    assert police.citation == "統一基準(H30) 2.2.4(2)(h)"


def test_large_scale_attack_adds_the_initial_response_reporting_and_the_police():
    normal = by_key(route(CaseFacts("national", TOITSU, "dos")))
    large = by_key(route(CaseFacts("national", TOITSU, "dos", large_scale_attack=True)))
    added = set(large) - set(normal)
    assert added == {"toitsu.large_scale_report", "toitsu.csirt_to_police"}
    report = large["toitsu.large_scale_report"]
    assert report.citation == "統一基準(H30) 2.2.4(2)(i)"
    assert report.recipient == "crisis_contact" and report.due == Due("immediate")
    assert large["toitsu.csirt_to_nisc"].citation.endswith("2.2.4(2)(g)")


def test_large_scale_attack_at_an_independent_body_is_reported_by_the_ministry():
    steps = by_key(route(CaseFacts("independent", TOITSU, "dos", large_scale_attack=True)))
    report = steps["toitsu.ministry_large_scale_report"]
    assert report.sender == "supervising_ministry"
    assert report.after == "toitsu.csirt_to_ministry"
    assert "toitsu.large_scale_report" not in steps


def test_serious_rule_violation_goes_to_the_information_security_officer_not_nisc():
    steps = route(CaseFacts("national", TOITSU, "rule_violation"))
    assert [(s.key, s.recipient, s.citation) for s in steps] == [
        ("toitsu.violation_to_isec_officer", "isec_officer", "統一基準(R7) 2.2.1(2)(a)")
    ]


# --- 防衛省 ---------------------------------------------------------------------------


def test_mod_defacement_produces_the_four_step_chain():
    steps = route(CaseFacts("national", MOD, "defacement"))
    keys = chain(steps, "mod.staff_to_sys_ia_officer")
    s = by_key(steps)
    people = [s[keys[0]].sender] + [s[key].recipient for key in keys[:3]]
    assert people == ["reporter", "sys_ia_officer", "incident_officer", "incident_chief"]
    assert [s[key].citation for key in keys[:3]] == [
        "防衛省通達 第11の3(1)",
        "防衛省通達 第11の3(2)",
        "防衛省通達 第11の3(3)",
    ]
    assert [s[key].order for key in keys[:3]] == [1, 2, 3]
    assert all(s[key].internal for key in keys[:3])
    # no damage recorded and none may spread: other bodies are not told
    assert "mod.incident_officer_to_other_bodies" not in s


@pytest.mark.parametrize(
    ("damage", "spread", "told"),
    [
        ({"d2"}, False, True),  # ② ホームページの改ざん occurred
        ({"d5"}, False, True),
        ({"d6"}, False, False),  # ⑥ is not among ①–⑤
        (set(), True, True),  # may affect other bodies' systems
    ],
)
def test_mod_other_bodies_incident_officers_when_damage_one_to_five_or_spread(damage, spread, told):
    facts = CaseFacts("national", MOD, "defacement", frozenset(damage), damage_may_spread=spread)
    s = by_key(route(facts))
    assert ("mod.incident_officer_to_other_bodies" in s) is told
    if told:
        notice = s["mod.incident_officer_to_other_bodies"]
        assert notice.recipient == "other_body_incident_officer" and not notice.internal
        assert notice.citation == "防衛省通達 第11の3(4)"
        assert notice.sender == "incident_officer"


def test_mod_information_assurance_reports_and_notices_carry_the_importance_label():
    facts = CaseFacts("national", MOD, "unauthorized_access", frozenset({"d1"}), importance="alert")
    s = by_key(route(facts))
    report = s["mod.ia_officer_to_ia_chief"]
    assert (report.sender, report.recipient, report.citation) == (
        "ia_officer",
        "ia_chief",
        "防衛省通達 第11の2(4)",
    )
    for key in ("mod.ia_chief_to_other_ia_officers", "mod.ia_chief_to_incident_chief"):
        assert s[key].importance == "alert"
        assert "警報" in s[key].condition_ja and "Alert" in s[key].condition_en
        assert s[key].citation == "防衛省通達 第11の2(5)(6)"
        assert s[key].after == "mod.ia_officer_to_ia_chief"
    assert s["mod.ia_chief_to_other_ia_officers"].recipient == "other_body_ia_officer"


def test_mod_unknown_importance_is_refused():
    with pytest.raises(ValueError):
        route(CaseFacts("national", MOD, "dos", frozenset({"d3"}), importance="urgent"))


def test_mod_serious_damage_adds_the_recurrence_report():
    s = by_key(route(CaseFacts("national", MOD, "dos", serious_damage=True)))
    report = s["mod.recurrence_report"]
    assert (report.sender, report.recipient) == ("sys_ia_officer", "ia_officer")
    assert report.citation == "防衛省通達 第11の3(5)"
    assert due_at(report.due, datetime(2026, 11, 20, tzinfo=UTC), promptly_hours=24) is None
    assert s["mod.recurrence_to_ia_chief"].after == "mod.recurrence_report"
    assert "mod.recurrence_report" not in by_key(route(CaseFacts("national", MOD, "dos")))


def test_mod_lost_device_is_a_staff_report_to_the_information_assurance_officer():
    s = by_key(route(CaseFacts("national", MOD, "lost_device")))
    assert "mod.staff_to_sys_ia_officer" not in s  # not a サイバー攻撃等
    assert s["mod.staff_to_ia_officer"].recipient == "ia_officer"
    notice = s["mod.ia_officer_to_ia_chief_report"]
    assert notice.recipient == "ia_chief" and "第12の5(1)" in notice.citation


def test_mod_internet_leak_notifications_follow_the_annex():
    s = by_key(route(CaseFacts("national", MOD, "internet_leak")))
    assert s["mod.leak_staff_to_ict"].recipient == "ict_division"
    assert s["mod.leak_staff_to_secrets"].recipient == "secrets_division"
    assert s["mod.leak_staff_to_ict"].citation == "防衛省通達 別紙 3(1)"
    assert s["mod.leak_report_minister"].recipient == "minister"
    assert s["mod.leak_detail_report"].recipient == "cyber_division"
    secret = by_key(route(CaseFacts("national", MOD, "internet_leak", secret_leak=True)))
    assert secret["mod.leak_detail_report_secret"].recipient == "research_division"
    assert secret["mod.leak_final_minister_secret"].sender == "research_division"
    assert "mod.leak_detail_report" not in secret


# --- 総務省 個人情報 ---------------------------------------------------------------------


def test_personal_information_leak_goes_manager_then_chief_then_minister():
    steps = route(CaseFacts("national", MIC, "pii_leak", personal_info=True))
    s = by_key(steps)
    first = s["mic.staff_to_pii_manager"]
    assert (first.sender, first.recipient, first.due) == (
        "reporter",
        "pii_manager",
        Due("immediate"),
    )
    assert first.citation == "総務省訓令 第39条第1項"
    assert s["mic.manager_to_chief"].recipient == "pii_chief"
    assert s["mic.manager_to_chief"].after == first.key
    assert s["mic.manager_to_chief"].due == Due("promptly")
    minister = s["mic.chief_to_minister"]
    assert (minister.sender, minister.recipient, minister.internal) == (
        "pii_chief",
        "minister",
        False,
    )
    assert minister.citation == "総務省訓令 第39条第4項"
    assert s["mic.publication_decision"].citation == "総務省訓令 第40条"
    # the law does not require a report here: no 委員会 items
    assert not [
        step for step in steps if step.recipient in {"ppc", "persons_concerned", "ppc_secretariat"}
    ]


def test_serious_personal_information_case_reaches_the_chief_at_once():
    s = by_key(route(CaseFacts("national", MIC, "pii_leak", personal_info=True, pii_serious=True)))
    assert s["mic.manager_to_chief"].due == Due("immediate")
    assert "直ちに" in s["mic.manager_to_chief"].title_ja


def test_commission_report_and_notice_to_persons_when_the_law_requires_them():
    facts = CaseFacts("national", MIC, "pii_leak", personal_info=True, ppc_report_required=True)
    s = by_key(route(facts))
    preliminary, final = s["mic.ppc_preliminary"], s["mic.ppc_final"]
    assert preliminary.recipient == final.recipient == "ppc"
    assert preliminary.citation == final.citation == "総務省訓令 第39条の2"
    assert preliminary.due == Due("days", 3)
    assert final.due == Due("days", 30) and final.due_from_report
    assert final.after == preliminary.key
    # in parallel with the internal chain (「前条で定める事項と並行して」)
    assert preliminary.after == "mic.staff_to_pii_manager"
    assert s["mic.notify_persons"].recipient == "persons_concerned"
    unlawful = by_key(route(replace(facts, pii_unlawful_purpose=True)))
    assert unlawful["mic.ppc_final"].due == Due("days", 60)


def test_my_number_case_adds_the_report_to_the_commission_secretariat():
    plain = by_key(route(CaseFacts("national", MIC, "pii_leak", personal_info=True)))
    my_number = by_key(
        route(CaseFacts("national", MIC, "my_number", personal_info=True, my_number=True))
    )
    assert "mic.mynumber_report" not in plain
    report = my_number["mic.mynumber_report"]
    assert report.recipient == "ppc_secretariat"
    assert report.citation == "総務省訓令 第45条第1項"


def test_a_published_case_is_passed_to_the_commission_secretariat():
    facts = CaseFacts("national", MIC, "mis_sent", personal_info=True)
    assert "mic.publication_to_secretariat" not in by_key(route(facts))
    s = by_key(route(replace(facts, publication_decided=True)))
    assert s["mic.publication_to_secretariat"].recipient == "ppc_secretariat"
    assert s["mic.publication_to_secretariat"].after == "mic.publication_decision"


def test_personal_information_rules_stay_out_when_no_personal_information_is_involved():
    assert route(CaseFacts("national", MIC, "malware")) == []
    lost = route(CaseFacts("national", MIC, "lost_device", personal_info=True))
    assert lost[0].key == "mic.staff_to_pii_manager"


# --- rulebooks, structure -------------------------------------------------------------

ALL_FLAGS = dict(
    damage_types=frozenset({"d1", "d2", "d3", "d4", "d5", "d6"}),
    damage_may_spread=True,
    cyber_attack_suspected=True,
    large_scale_attack=True,
    personal_info=True,
    pii_serious=True,
    ppc_report_required=True,
    my_number=True,
    internet_leak=True,
    serious_damage=True,
    secret_leak=True,
    publication_decided=True,
)
KINDS = [
    "suspicious_email",
    "malware",
    "lost_device",
    "mis_sent",
    "internet_leak",
    "unauthorized_access",
    "defacement",
    "dos",
    "rule_violation",
    "pii_leak",
    "my_number",
]


@pytest.mark.parametrize("kind", KINDS)
def test_a_national_agency_with_only_the_unified_standards_gets_no_other_rulebook(kind):
    steps = route(CaseFacts("national", TOITSU, kind, **ALL_FLAGS))
    assert steps
    assert {step.rulebook for step in steps} == {"toitsu"}
    assert all(step.citation.startswith("統一基準") for step in steps)


DOCUMENT_OF = {"toitsu": "統一基準(", "mod": "防衛省通達 ", "mic_pii": "総務省訓令 "}


@pytest.mark.parametrize("org_kind", ["national", "independent", "designated_other"])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "flags", [{}, ALL_FLAGS, {"personal_info": True, "damage_may_spread": True}]
)
def test_every_route_is_well_formed(org_kind, kind, flags):
    from mamori.rules import incident_kinds, roles

    facts = CaseFacts(org_kind, frozenset({"toitsu", "mod", "mic_pii"}), kind, **flags)
    steps = route(facts)
    keys = [step.key for step in steps]
    assert len(keys) == len(set(keys))
    known = {step.key: step for step in steps}
    parties = {term.code for term in incident_kinds.PARTIES}
    for step in steps:
        assert step.citation.startswith(DOCUMENT_OF[step.rulebook]), step.key
        assert step.key.split(".")[0] in step.rulebook
        assert step.title_ja and step.title_en and step.order >= 1
        if step.after is not None:
            assert known[step.after].order < step.order
        else:
            assert step.order <= 2
        assert step.internal == (step.recipient in roles.catalogue())
        assert step.internal or step.recipient in parties
        assert (
            step.sender == "reporter" or step.sender in roles.catalogue() or step.sender in parties
        )
    assert [step.order for step in steps] == sorted(step.order for step in steps)


def test_unknown_kind_rulebook_or_damage_is_refused():
    with pytest.raises(KeyError):
        route(CaseFacts("national", TOITSU, "alien_invasion"))
    with pytest.raises(ValueError):
        route(CaseFacts("national", frozenset({"gdpr"}), "malware"))
    with pytest.raises(ValueError):
        route(CaseFacts("national", MOD, "malware", frozenset({"d9"})))


# --- due times ------------------------------------------------------------------------


def test_immediate_promptly_and_hours():
    start = datetime(2026, 11, 20, 10, 0, tzinfo=JST)
    assert due_at(Due("immediate"), start, promptly_hours=24) == start
    assert due_at(Due("promptly"), start, promptly_hours=4) == start + timedelta(hours=4)
    assert due_at(Due("promptly"), start, promptly_hours=24) == start + timedelta(hours=24)
    assert due_at(Due("hours", 72), start, promptly_hours=4) == start + timedelta(hours=72)
    assert due_at(Due("none"), start, promptly_hours=4) is None
    with pytest.raises(ValueError):
        due_at(Due("promptly"), start, promptly_hours=0)
    with pytest.raises(ValueError):
        due_at(Due("fortnight"), start, promptly_hours=4)


def test_business_days_skip_the_weekend_and_a_holiday():
    # Friday 20 Nov 2026; Monday 23rd is 勤労感謝の日 → end of Tuesday 24th.
    due = due_at(
        Due("business_days", 1), datetime(2026, 11, 20, 10, 0, tzinfo=JST), promptly_hours=4
    )
    assert due == datetime(2026, 11, 24, 23, 59, 59, tzinfo=JST)


def test_business_days_skip_the_year_end_holidays():
    # Monday 28 Dec 2026 + 1 working day: 12/29–1/3 are 行政機関の休日 → Monday 4 Jan 2027.
    due = due_at(
        Due("business_days", 1), datetime(2026, 12, 28, 9, 0, tzinfo=JST), promptly_hours=4
    )
    assert due == datetime(2027, 1, 4, 23, 59, 59, tzinfo=JST)


def test_business_days_count_from_the_japanese_date_of_an_aware_utc_time():
    # 2026-11-19 15:30 UTC is already Friday 20th in Tokyo: +1 working day → Tue 24th,
    # not Fri 20th as the UTC date (Thursday) would give.
    start = datetime(2026, 11, 19, 15, 30, tzinfo=UTC)
    due = due_at(Due("business_days", 1), start, promptly_hours=4)
    assert due == datetime(2026, 11, 24, 23, 59, 59, tzinfo=JST)


def test_calendar_days_end_at_the_end_of_the_japanese_day():
    start = datetime(2026, 12, 28, 9, 0, tzinfo=JST)
    assert due_at(Due("days", 30), start, promptly_hours=4) == datetime(
        2027, 1, 27, 23, 59, 59, tzinfo=JST
    )


# --- the 防衛省 internet-leak playbook ----------------------------------------------------


def test_internet_leak_playbook_covers_the_annex_in_order():
    steps = playbook(CaseFacts("national", MOD, "internet_leak", internet_leak=True))
    keys = [step.key for step in steps]
    for key in (
        "mod_leak.contacts",
        "mod_leak.report",
        "mod_leak.isolate_source",
        "mod_leak.secret_determination",
        "mod_leak.report_minister",
        "mod_leak.detailed_analysis",
        "mod_leak.recurrence_prevention",
    ):
        assert key in keys
    assert [step.order for step in steps] == list(range(1, len(steps) + 1))
    assert keys.index("mod_leak.isolate_source") < keys.index("mod_leak.report_minister")
    assert [step.phase for step in steps][0] == "contacts" and steps[-1].phase == "prevention"
    s = {step.key: step for step in steps}
    assert s["mod_leak.isolate_source"].actor == "ict_division"
    assert s["mod_leak.isolate_source"].citation == "防衛省通達 別紙 3(5)"
    assert "minister" in s["mod_leak.report_minister"].parties
    assert s["mod_leak.detailed_analysis"].actor == "ict_division"
    assert all(step.citation.startswith("防衛省通達 別紙") for step in steps)


def test_when_secrets_leaked_the_secrets_side_takes_over_the_analysis():
    s = {
        step.key: step
        for step in playbook(CaseFacts("national", MOD, "internet_leak", secret_leak=True))
    }
    assert s["mod_leak.detailed_analysis"].actor == "secrets_division"
    assert s["mod_leak.detailed_analysis"].parties == ("research_division",)
    assert s["mod_leak.final_report_minister"].actor == "research_division"


def test_no_playbook_without_the_mod_rulebook_or_an_internet_leak():
    assert playbook(CaseFacts("national", TOITSU, "internet_leak", internet_leak=True)) == []
    assert playbook(CaseFacts("national", MOD, "malware")) == []
