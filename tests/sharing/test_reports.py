"""情報連絡: filing, versions, the route operator → liaison → NISC, notes, the mode."""

import pytest

from mamori.errors import Forbidden, InvalidInput, InvalidTransition
from mamori.sharing import services, structure
from mamori.sharing.models import ReportStatus, RouteStep
from mamori.trail.models import Event


def test_report_is_stored_as_version_1_and_sent_to_the_sector_liaison(hub):
    report = hub.report()
    assert report.number.startswith("R-")
    assert report.sector == "electricity"
    assert report.status == ReportStatus.SUBMITTED
    assert report.handled_as_voluntary is True  # 別添3.4 default
    v = report.current
    assert v.number == 1
    assert v.exceeds_level is True  # 120,000 kW for 15 minutes > 10万kW / 10分
    assert v.level_citation == "行動計画 別紙2"
    assert [r["met"] for r in v.level_reasons] == [True, True]
    step = RouteStep.objects.get(report=report)
    assert (step.sender_org, step.recipient_org, step.version) == (hub.elec1, hub.meti, 1)
    event = Event.objects.get(action="sharing.report.submitted")
    assert event.data["to"] == "meti" and event.data["exceeds_level"] is True
    # the liaison hears about it
    assert hub.meti_liaison.notifications.filter(params__number=report.number).exists()


def test_figures_below_the_level_and_missing_figures(hub):
    below = hub.report(figures={"supply_loss_kw": 99999, "duration_minutes": 60})
    assert below.current.exceeds_level is False
    unknown = hub.report(figures={"supply_loss_kw": 150000})
    assert unknown.current.exceeds_level is None


def test_contact_means_and_person_are_mandatory(hub):
    content = services.ReportContent(
        title="t", summary="s", event_type="leak", cause_type="intentional",
        contact_means="", contact_person="",
    )  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        services.submit_report(hub.elec1_person, content, services.SharingRange(tlp="red"))
    assert set(error.value.details) == {"contact_means", "contact_person"}


def test_service_of_another_sector_and_bad_cause_example_are_refused(hub):
    content = services.ReportContent(
        title="t", summary="s", event_type="leak", cause_type="intentional",
        cause_detail="equipment_failure", service="gas_supply",
        contact_means="電話", contact_person="担当",
    )  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        services.submit_report(hub.elec1_person, content, services.SharingRange(tlp="red"))
    assert set(error.value.details) == {"service", "cause_detail"}


@pytest.mark.parametrize(
    ("tlp", "flags"), [("red", {"share_all_operators": True}), ("amber", {}), ("green", {})]
)
def test_inconsistent_ranges_are_refused(hub, tlp, flags):
    with pytest.raises(InvalidInput):
        hub.report(tlp=tlp, **flags)


def test_only_operator_contacts_may_report(hub):
    for person in (hub.elec1_norole, hub.meti_liaison, hub.elec_poc, hub.nisc_person):
        with pytest.raises(Forbidden):
            hub.report(person)


def test_liaison_forwards_to_nisc_with_a_note(hub):
    report = hub.report(share_same_sector=True)
    assert services.can_forward(hub.meti_liaison, report)
    assert not services.can_forward(hub.fsa_liaison, report)
    with pytest.raises(Forbidden):
        services.forward_report(hub.fsa_liaison, report)
    step = services.forward_report(hub.meti_liaison, report, note="経産省で確認")
    report.refresh_from_db()
    assert report.status == ReportStatus.FORWARDED
    assert (step.sender_org, step.recipient_org, step.note) == (hub.meti, hub.nisc, "経産省で確認")
    with pytest.raises(InvalidTransition):
        services.forward_report(hub.meti_liaison, report)
    assert Event.objects.filter(action="sharing.report.forwarded").count() == 1


def test_updates_are_kept_as_versions_and_go_through_the_liaison_again(hub):
    report = hub.report(forward=True, figures={"supply_loss_kw": 120000})
    assert report.current.exceeds_level is None
    content = services.ReportContent(
        title="制御システムの停止（続報）", summary="15分で復旧", event_type="unavailability",
        cause_type="accidental", service="electricity_supply",
        figures={"supply_loss_kw": 120000, "duration_minutes": 15},
        contact_means="電話", contact_person="山田 太郎",
    )  # fmt: skip
    version = services.add_version(hub.elec1_person, report, content, change_note="継続時間判明")
    report.refresh_from_db()
    assert version.number == 2 and version.exceeds_level is True
    assert report.current == version and report.versions.count() == 2
    assert report.versions.get(number=1).exceeds_level is None  # the first is kept as it was
    assert report.status == ReportStatus.SUBMITTED  # back to the liaison
    assert list(report.route.values_list("recipient_org__code", "version")) == [
        ("meti", 1), ("nisc", 1), ("meti", 2)
    ]  # fmt: skip
    services.forward_report(hub.meti_liaison, report)
    with pytest.raises(Forbidden):
        services.add_version(hub.elec2_person, report, content)


def test_notes_by_route_parties_only(hub):
    report = hub.report(forward=True, share_all_operators=True)
    services.add_note(hub.meti_liaison, report, "追加確認中")
    services.add_note(hub.nisc_person, report, "分析中")
    assert report.notes.count() == 2
    with pytest.raises(Forbidden):
        services.add_note(hub.fsa_liaison, report, "x")
    with pytest.raises(Forbidden):
        services.add_note(hub.bank1_person, report, "x")


def test_nisc_closes_a_forwarded_report(hub):
    report = hub.report(forward=True)
    with pytest.raises(Forbidden):
        services.close_report(hub.meti_liaison, report)
    services.close_report(hub.nisc_person, report)
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED
    with pytest.raises(InvalidTransition):
        services.add_version(hub.elec1_person, report, services.ReportContent(
            title="t", summary="s", event_type="leak", cause_type="other",
            contact_means="電話", contact_person="担当",
        ))  # fmt: skip


def test_mode_switch_is_nisc_only_and_a_trail_event(hub):
    assert structure.current_mode() == "normal"
    with pytest.raises(Forbidden):
        services.switch_mode(hub.meti_liaison, "large_scale")
    services.switch_mode(hub.nisc_person, "large_scale", reason="大規模障害")
    assert structure.current_mode() == "large_scale"
    with pytest.raises(InvalidTransition):
        services.switch_mode(hub.nisc_person, "large_scale")
    event = Event.objects.get(action="sharing.mode.switched")
    assert event.data["mode"] == "large_scale" and event.data["citation"] == "行動計画 別紙4-2"
    services.switch_mode(hub.nisc_person, "normal")
    assert structure.current_mode() == "normal"
