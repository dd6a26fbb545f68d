"""The sharing structure as data (行動計画 別紙1–3, 別紙4) and its pure functions."""

import pytest

from mamori.rules import cip


def test_sectors_follow_attachment_1_with_finance_split():
    codes = set(cip.sectors())
    assert codes == {
        "info_comm", "bank", "life_insurance", "nonlife_insurance", "securities",
        "aviation", "railway", "electricity", "gas", "government", "medical", "water",
        "logistics",
    }  # fmt: skip
    finance = [s for s in cip.sectors().values() if s.group_ja == "金融"]
    assert {s.code for s in finance} == {
        "bank",
        "life_insurance",
        "nonlife_insurance",
        "securities",
    }
    assert cip.sector("electricity").ministry == "meti"
    assert cip.sector("electricity").citation == "行動計画 別紙1"
    assert {m.ja for m in cip.ministries().values()} == {
        "金融庁", "総務省", "厚生労働省", "経済産業省", "国土交通省"
    }  # fmt: skip
    assert all(s.ceptoars for s in cip.sectors().values())  # 別紙5 names one or more each
    with pytest.raises(ValueError):
        cip.sector("space")


def test_every_sector_has_a_service_and_levels_cite_attachment_2():
    for code in cip.sectors():
        assert cip.services_for(code), code
    assert all(s.citation == "行動計画 別紙2" for s in cip.services().values())
    quantitative = {s.code for s in cip.services().values() if s.quantitative}
    assert quantitative == {
        "telecom", "broadcast", "broadcast_relay", "electricity_supply", "gas_supply"
    }  # fmt: skip


@pytest.mark.parametrize(
    ("users", "minutes", "expected"),
    [
        (30000, 120, True),
        (29999, 120, False),
        (30000, 119, False),
        (100000, 600, True),
        (None, 120, None),
        (30000, None, None),
        (10, None, False),  # one figure already below: cannot exceed whatever the other
    ],
)
def test_telecom_30000_users_for_two_hours(users, minutes, expected):
    verdict = cip.exceeds_level("telecom", {"affected_users": users, "duration_minutes": minutes})
    assert verdict.exceeds is expected
    assert verdict.citation == "行動計画 別紙2"


@pytest.mark.parametrize(("minutes", "expected"), [(15, True), (14, False), (14.9, False)])
def test_broadcast_15_minutes(minutes, expected):
    assert cip.exceeds_level("broadcast", {"duration_minutes": minutes}).exceeds is expected


@pytest.mark.parametrize(("minutes", "expected"), [(120, True), (119, False), (15, False)])
def test_broadcast_relay_station_two_hours(minutes, expected):
    assert cip.exceeds_level("broadcast_relay", {"duration_minutes": minutes}).exceeds is expected


@pytest.mark.parametrize(
    ("kw", "minutes", "expected"),
    [
        (100000, 10, True),
        (120000, 15, True),
        (99999, 60, False),
        (100000, 9, False),
        ("１２０，０００", "15", True),  # full-width digits as typed on a Japanese keyboard
        (120000, None, None),
    ],
)
def test_electricity_100000_kw_for_10_minutes(kw, minutes, expected):
    verdict = cip.exceeds_level(
        "electricity_supply", {"supply_loss_kw": kw, "duration_minutes": minutes}
    )
    assert verdict.exceeds is expected
    if expected is None:
        assert verdict.missing == ("duration_minutes",)


@pytest.mark.parametrize(("households", "expected"), [(30, True), (29, False), (0, False)])
def test_gas_30_households(households, expected):
    assert cip.exceeds_level("gas_supply", {"households": households}).exceeds is expected


def test_qualitative_levels_cannot_tell():
    verdict = cip.exceeds_level("bank_deposit", {"duration_minutes": 600})
    assert verdict.exceeds is None and verdict.qualitative
    assert "預金の払戻し" in cip.service("bank_deposit").level_ja


@pytest.mark.parametrize("bad", [-1, "abc", float("nan"), True])
def test_unusable_figures_count_as_missing(bad):
    verdict = cip.exceeds_level("gas_supply", {"households": bad})
    assert verdict.exceeds is None


def test_unknown_service_is_an_error():
    with pytest.raises(ValueError):
        cip.exceeds_level("teleportation", {})


def test_events_and_causes_of_attachment_3():
    assert set(cip.events()) == {
        "near_miss", "leak", "destruction", "unavailability", "malware_infection",
        "malicious_code", "intrusion", "other",
    }  # fmt: skip
    assert cip.events()["leak"].impact == "c"
    assert cip.events()["unavailability"].impact == "a"
    assert set(cip.causes()) == {"intentional", "accidental", "environmental", "other"}
    assert cip.cause_examples()["knock_on"][0] == "accidental"
    assert cip.EVENTS_CITATION == "行動計画 別紙3"


def test_large_scale_mode_adds_crisis_disaster_and_incident_parties():
    assert cip.mode_route("normal").added_roles == ()
    route = cip.mode_route("large_scale")
    assert set(route.added_roles) == {"cabinet_crisis", "disaster_ministry", "incident_ministry"}
    assert route.citation == "行動計画 別紙4-2"
    with pytest.raises(ValueError):
        cip.mode_route("panic")


@pytest.mark.parametrize(
    ("tlp", "parties", "problem"),
    [
        ("red", False, None),
        ("red", True, "red_with_parties"),
        ("amber", False, "no_parties"),
        ("green", True, None),
        ("clear", False, None),
        ("purple", True, "unknown_tlp"),
    ],
)
def test_range_problems(tlp, parties, problem):
    assert cip.range_problem(tlp, parties) == problem


def test_anonymise_removes_names_contacts_and_numbers():
    text = "東都電力株式会社の山田 太郎（TEL 03-1234-5678、yamada@toto.example.jp）より"
    out = cip.anonymise(text, ["東都電力株式会社", "東都電力", "山田 太郎"])
    assert "東都電力" not in out and "山田" not in out
    assert "03-1234-5678" not in out and "@" not in out
    assert out.count(cip.REDACTED) == 4
    assert cip.identifying_details(out, ["東都電力", "山田 太郎"]) == ()
    assert cip.identifying_details(text, ["東都電力"]) == (
        "東都電力", "yamada@toto.example.jp", "03-1234-5678"
    )  # fmt: skip


def test_anonymise_keeps_figures():
    out = cip.anonymise("供給支障電力120000kW、15分継続", ["東都電力"])
    assert "120000kW" in out and "15分" in out
