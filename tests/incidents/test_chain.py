"""Reporting chains become tracked items with due times, each citing its clause."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mamori.errors import Forbidden
from mamori.incidents import chain, services
from mamori.incidents.models import ChainItem, TimelineEntry
from mamori.notices.models import Notification, Outbox

pytestmark = pytest.mark.django_db


def _items(incident, **filters):
    return {
        i.step_key: i for i in incident.chain_items.filter(cancelled_at__isnull=True, **filters)
    }


def test_a_national_malware_case_reaches_nisc(make_org):
    org, _unit, person = make_org("kuni", "national", ["toitsu"])
    reporter, desk = person(), person("csirt")
    incident = services.file_report(reporter, kind="malware", summary="感染したかもしれない。")
    items = _items(incident)
    first = items["toitsu.staff_to_desk"]
    assert first.recipient_person == desk
    assert first.sent_at is not None and first.snapshot["number"] == incident.number
    nisc = items["toitsu.csirt_to_nisc"]
    assert (nisc.sender, nisc.recipient, nisc.internal) == ("csirt", "nisc", False)
    assert nisc.citation.startswith("統一基準")
    assert nisc.due_at == incident.reported_at + timedelta(hours=24)  # 速やかに
    assert "toitsu.csirt_to_ministry" not in items
    assert Notification.objects.filter(recipient=desk).exists()


def test_promptly_follows_the_setting(make_org, settings):
    settings.INCIDENT_PROMPTLY_HOURS = 4
    _org, _unit, person = make_org("kuni", "national", ["toitsu"])
    incident = services.file_report(person(), kind="malware", summary="x")
    nisc = _items(incident)["toitsu.csirt_to_nisc"]
    assert nisc.due_at == incident.reported_at + timedelta(hours=4)


def test_an_independent_body_reports_through_its_ministry(make_org):
    ministry, _u, _p = make_org("shokan", "national", ["toitsu"])
    _org, _unit, person = make_org("kikou", "independent", ["toitsu"], parent=ministry)
    incident = services.file_report(person(), kind="unauthorized_access", summary="不正ログイン")
    items = _items(incident)
    via = items["toitsu.csirt_to_ministry"]
    assert via.recipient == "supervising_ministry" and "shokan" in via.title_ja
    onward = items["toitsu.ministry_to_nisc"]
    assert onward.sender == "supervising_ministry" and onward.recipient == "nisc"
    assert via.order < onward.order
    assert "toitsu.csirt_to_nisc" not in items


def test_a_mod_defacement_runs_the_four_step_chain_and_tells_other_bodies(make_org):
    from mamori.systems.models import InformationSystem

    org, unit, person = make_org("boei", "national", ["mod"])
    web = InformationSystem.objects.create(organization=org, code="web", name="広報サイト")
    reporter = person()
    sys_officer = person("sys_ia_officer", system=web)
    incident_officer, incident_chief = person("incident_officer"), person("incident_chief")
    incident = services.file_report(
        reporter, kind="defacement", summary="トップページが改ざんされた"
    )
    services.update_analysis(
        incident,
        incident_officer,
        cause_analysis="",
        recurrence_prevention="",
        affected_people="",
        systems=[web],
    )
    services.triage(incident, incident_officer, damage_types=["d2"], importance="alert")
    items = _items(incident)
    chain_keys = [
        "mod.staff_to_sys_ia_officer",
        "mod.sys_ia_to_incident_officer",
        "mod.incident_officer_to_chief",
    ]
    people = [items[k].recipient_person for k in chain_keys]
    assert people == [sys_officer, incident_officer, incident_chief]
    assert [items[k].order for k in chain_keys] == [1, 2, 3]
    assert all(items[k].citation.startswith("防衛省通達 第11") for k in chain_keys)
    other = items["mod.incident_officer_to_other_bodies"]
    assert other.recipient == "other_body_incident_officer" and not other.internal
    assert other.due_at is not None
    from mamori.incidents.models import Incident

    assert incident in Incident.objects.visible_to(sys_officer)  # their system's case
    # the 情報システム情報保証責任者 acknowledges the staff report, then passes it on
    services.acknowledge_item(items["mod.staff_to_sys_ia_officer"], sys_officer)
    services.send_item(items["mod.sys_ia_to_incident_officer"], sys_officer)
    assert Notification.objects.filter(recipient=incident_officer).exists()


def test_a_personal_information_leak_goes_up_to_the_minister_and_the_commission(
    staff, pii_manager, pii_chief, csirt, file_report
):
    incident = file_report(
        staff, kind="pii_leak", summary="名簿を誤って公開した", personal_info=True
    )
    items = _items(incident)
    steps = ["mic.staff_to_pii_manager", "mic.manager_to_chief", "mic.chief_to_minister"]
    assert [items[k].recipient for k in steps] == ["pii_manager", "pii_chief", "minister"]
    assert items[steps[0]].recipient_person == pii_manager
    assert items[steps[0]].due_at == incident.reported_at  # 直ちに
    assert items[steps[1]].recipient_person == pii_chief
    assert all(items[k].citation.startswith("総務省訓令 第39条") for k in steps[:2])
    assert "mic.ppc_preliminary" not in items
    services.triage(incident, csirt, facts={"ppc_report_required": True, "my_number": True})
    items = _items(incident)
    assert {
        "mic.ppc_preliminary",
        "mic.ppc_final",
        "mic.notify_persons",
        "mic.mynumber_report",
    } <= set(items)
    assert items["mic.ppc_preliminary"].recipient == "ppc"
    assert items["mic.mynumber_report"].recipient == "ppc_secretariat"
    assert items["mic.ppc_final"].due_at > items["mic.ppc_preliminary"].due_at


def test_retriage_keeps_sent_items_adds_new_and_cancels_unneeded(
    staff, pii_manager, csirt, file_report
):
    incident = file_report(staff, kind="malware", summary="x", personal_info=True)
    before = _items(incident)
    assert "mic.staff_to_pii_manager" in before and before["mic.staff_to_pii_manager"].sent_at
    services.triage(incident, csirt, facts={"personal_info": False, "cyber_attack_suspected": True})
    after = _items(incident)
    assert "toitsu.csirt_to_police" in after
    assert "mic.manager_to_chief" not in after
    cancelled = ChainItem.objects.get(incident=incident, step_key="mic.manager_to_chief")
    assert cancelled.cancelled_at is not None
    sent = ChainItem.objects.get(incident=incident, step_key="mic.staff_to_pii_manager")
    assert sent.cancelled_at is None  # already sent: kept
    kinds = set(TimelineEntry.objects.filter(incident=incident).values_list("kind", flat=True))
    assert {"chain_added", "chain_cancelled"} <= kinds


def test_sending_an_internal_item_notifies_and_snapshots(
    staff, pii_manager, pii_chief, file_report
):
    incident = file_report(staff, kind="pii_leak", summary="USBメモリ紛失", personal_info=True)
    item = _items(incident)["mic.manager_to_chief"]
    services.send_item(item, pii_manager)
    item.refresh_from_db()
    assert item.sent_by == pii_manager and item.snapshot["description"] == "USBメモリ紛失"
    assert Notification.objects.filter(recipient=pii_chief).exists()
    assert Outbox.objects.filter(to=pii_chief.email).exists()
    onward = _items(incident)["mic.chief_to_minister"]
    assert onward.due_at == item.sent_at + timedelta(hours=24)


def test_acknowledgement_belongs_to_the_recipient(
    staff, other_staff, pii_manager, file_report, person_with
):
    incident = file_report(staff, kind="pii_leak", summary="x", personal_info=True)
    item = _items(incident)["mic.staff_to_pii_manager"]
    with pytest.raises(Forbidden):
        services.acknowledge_item(item, other_staff)
    with pytest.raises(Forbidden):
        services.acknowledge_item(item, staff)
    services.acknowledge_item(item, pii_manager)
    item.refresh_from_db()
    assert item.acknowledged_by == pii_manager


def test_a_reporter_holding_the_recipient_role_cannot_receive_their_own_report(
    person_with, file_report
):
    manager = person_with("pii_manager", unit="d1", scope="b1")
    upper = person_with("pii_manager", unit="b1", scope="b1")
    incident = file_report(manager, kind="pii_leak", summary="x", personal_info=True)
    item = _items(incident)["mic.staff_to_pii_manager"]
    assert item.recipient_person == upper
    with pytest.raises(Forbidden):
        services.acknowledge_item(item, manager)


def test_overdue_items_show_on_the_case_and_the_board(client, login, staff, csirt, file_report):
    incident = file_report(staff, kind="malware", summary="x")
    past = timezone.now() - timedelta(hours=3)
    ChainItem.objects.filter(incident=incident, step_key="toitsu.csirt_to_nisc").update(due_at=past)
    chain.refresh_next_due(incident)
    login(csirt)
    page = client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert 'id="incident-overdue"' in page
    row = page.split('data-step="toitsu.csirt_to_nisc"')[1].split("</tr>")[0]
    assert "期限超過" in row
    board = client.get(reverse("incidents:board") + "?overdue=on").content.decode()
    assert incident.number in board and "期限超過" in board
    api = client.get(f"/api/incidents/{incident.pk}").json()
    assert api["is_overdue"] is True
    assert any(i["is_overdue"] for i in api["chain"] if i["step_key"] == "toitsu.csirt_to_nisc")
    # once sent, it is no longer overdue
    item = ChainItem.objects.get(incident=incident, step_key="toitsu.csirt_to_nisc")
    services.send_item(item, csirt)
    incident.refresh_from_db()
    assert not incident.is_overdue or incident.chain_next_due_at > timezone.now()


def test_acknowledge_through_the_page_and_the_api(client, login, staff, pii_manager, file_report):
    incident = file_report(staff, kind="lost_device", summary="ノートPC紛失", personal_info=True)
    item = _items(incident)["mic.staff_to_pii_manager"]
    login(staff)
    assert (
        client.post(f"/api/incidents/{incident.pk}/chain/{item.pk}/acknowledge").status_code == 403
    )
    login(pii_manager)
    page = client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert reverse("incidents:acknowledge", args=[incident.pk, item.pk]) in page
    response = client.post(f"/api/incidents/{incident.pk}/chain/{item.pk}/acknowledge")
    assert response.status_code == 200 and response.json()["acknowledged_at"]
    again = client.post(reverse("incidents:acknowledge", args=[incident.pk, item.pk]), follow=True)
    assert "既に受領確認済み" in again.content.decode()


def test_api_files_a_minimal_report(client, login, staff):
    login(staff)
    response = client.post(
        "/api/incidents",
        {"kind": "suspicious_email", "summary": "怪しいメールが来た"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["number"] and body["status"] == "reported"
    assert any(i["step_key"] == "toitsu.staff_to_desk" for i in body["chain"])
    bad = client.post(
        "/api/incidents", {"kind": "nope", "summary": "x"}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_input"


def test_a_mod_internet_leak_shows_the_playbook(client, login, make_org):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    _org, _unit, person = make_org("boei2", "national", ["mod"])
    reporter, officer = person(), person("incident_officer")
    incident = services.file_report(
        reporter, kind="internet_leak", summary="掲示板に資料が出ている"
    )
    items = _items(incident)
    assert (
        "mod.leak_report_minister" in items
        and items["mod.leak_report_minister"].recipient == "minister"
    )
    TOTP.activate(officer.user, generate_totp_secret())
    client.force_login(officer.user)
    page = client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert 'id="playbook"' in page, page[page.find("<main") :][:3000]
    assert "防衛省通達 別紙" in page


def test_what_waits_for_whom(staff, pii_manager, csirt, file_report):
    from mamori.incidents import queries

    incident = file_report(staff, kind="pii_leak", summary="x", personal_info=True)
    waiting = list(queries.awaiting_acknowledgement(pii_manager))
    assert [i.step_key for i in waiting] == ["mic.staff_to_pii_manager"]
    assert not queries.overdue_cases(csirt).exists()
    ChainItem.objects.filter(incident=incident).update(due_at=timezone.now() - timedelta(minutes=1))
    chain.refresh_next_due(incident)
    assert list(queries.overdue_cases(csirt)) == [incident]
    assert not queries.overdue_cases(staff).exists()
