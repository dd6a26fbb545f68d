"""CEPTOAR drills (情報疎通機能の確認, Ⅲ.3.2): NISC sends a test message to the CEPTOARs,
a CEPTOAR's acknowledgement relays it to its members, the report shows acknowledgement
times per CEPTOAR and operator, with CSV export; refusals for everyone else."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from tests.sharing.test_taxii_hub import hub  # noqa: F401

from mamori.sharing import drills
from mamori.sharing.drill_models import DrillDelivery


def ack_at(drill, org, seconds: float):
    """Acknowledge through the service, then place the acknowledgement `seconds` after
    delivery so the report's arithmetic can be checked exactly."""
    delivery = DrillDelivery.objects.get(drill=drill, recipient=org)
    DrillDelivery.objects.filter(pk=delivery.pk).update(
        acknowledged_at=delivery.delivered_at + timedelta(seconds=seconds)
    )


@pytest.fixture
def drill(hub):  # noqa: F811
    return drills.start_drill(
        hub.people["nisc"], title="令和8年度 セプター訓練", message="これは訓練です。受領確認を。"
    )


def test_nisc_starts_a_drill_to_every_ceptoar_with_a_trail_event_and_notices(hub, drill):  # noqa: F811
    from mamori.notices.models import Notification
    from mamori.trail.models import Event

    rows = DrillDelivery.objects.filter(drill=drill)
    assert {r.recipient.code for r in rows} == {"ceptoar-elec", "ceptoar-comm"}
    assert drill.number.startswith("D-")
    assert Event.objects.filter(action="sharing.drill.started").count() == 1
    assert Notification.objects.filter(recipient=hub.people["ceptoar-elec"]).exists()


def test_a_sector_drill_reaches_only_that_sectors_ceptoar(hub):  # noqa: F811
    drill = drills.start_drill(hub.people["nisc"], title="電力", message="訓練", sectors=["electricity"])  # fmt: skip
    assert [r.recipient.code for r in drill.deliveries.all()] == ["ceptoar-elec"]


def test_ceptoar_acknowledgement_relays_to_members_who_acknowledge_in_turn(hub, drill):  # noqa: F811
    from mamori.errors import InvalidTransition

    drills.acknowledge_drill(hub.people["ceptoar-elec"], drill)
    members = DrillDelivery.objects.filter(drill=drill, kind="operator")
    assert {m.recipient.code for m in members} == {"elec-a", "elec-b"}
    assert all(m.ceptoar.code == "ceptoar-elec" and m.hop == 2 for m in members)
    drills.acknowledge_drill(hub.people["elec-a"], drill)
    with pytest.raises(InvalidTransition):
        drills.acknowledge_drill(hub.people["elec-a"], drill)
    assert list(drills.pending_for(hub.people["elec-b"]).values_list("drill_id", flat=True)) == [drill.pk]  # fmt: skip
    assert not drills.pending_for(hub.people["elec-a"]).exists()


def test_the_report_gives_median_max_and_unacknowledged_per_ceptoar(hub, drill):  # noqa: F811
    drills.acknowledge_drill(hub.people["ceptoar-elec"], drill)
    ack_at(drill, hub.orgs["ceptoar-elec"], 60)
    drills.acknowledge_drill(hub.people["elec-a"], drill)
    ack_at(drill, hub.orgs["elec-a"], 30)
    result = drills.drill_report(drill)
    lines = {line.organization.code: line for line in result.ceptoars}
    elec, comm = lines["ceptoar-elec"], lines["ceptoar-comm"]
    assert elec.seconds == 60.0
    assert (elec.members, elec.operators.acknowledged, elec.operators.unacknowledged) == (2, 1, 1)
    assert (elec.operators.median, elec.operators.maximum) == (30.0, 30.0)
    # the communications CEPTOAR never acknowledged: its member was never reached
    assert comm.seconds is None and comm.not_reached == 1 and comm.operators.recipients == 0
    assert (result.ceptoar_timing.acknowledged, result.ceptoar_timing.unacknowledged) == (1, 1)
    assert result.ceptoar_timing.median == 60.0
    ack_at(drill, hub.orgs["ceptoar-comm"], 120)
    result = drills.drill_report(drill)
    assert (result.ceptoar_timing.median, result.ceptoar_timing.maximum) == (90.0, 120.0)


def test_people_outside_the_drill_cannot_start_acknowledge_or_close(hub, drill):  # noqa: F811
    from mamori.errors import Forbidden

    with pytest.raises(Forbidden):
        drills.start_drill(hub.people["elec-a"], title="x", message="y")
    with pytest.raises(Forbidden):
        drills.start_drill(hub.people["meti"], title="x", message="y")
    with pytest.raises(Forbidden):
        drills.acknowledge_drill(hub.people["vendor"], drill)
    with pytest.raises(Forbidden):
        drills.close_drill(hub.people["ceptoar-elec"], drill)


def test_a_closed_drill_takes_no_acknowledgement(hub, drill):  # noqa: F811
    from mamori.errors import InvalidTransition

    drills.close_drill(hub.people["nisc"], drill)
    with pytest.raises(InvalidTransition):
        drills.acknowledge_drill(hub.people["ceptoar-elec"], drill)


def test_a_ceptoar_drills_its_own_members(hub):  # noqa: F811
    drill = drills.start_drill(hub.people["ceptoar-elec"], title="自主訓練", message="訓練")
    assert {r.recipient.code for r in drill.deliveries.all()} == {"elec-a", "elec-b"}
    drills.acknowledge_drill(hub.people["elec-b"], drill)
    [line] = drills.drill_report(drill).ceptoars
    assert line.organization.code == "ceptoar-elec"
    assert (line.members, line.operators.acknowledged, line.not_reached) == (2, 1, 0)
    assert drills.can_manage(hub.people["ceptoar-elec"], drill)
    assert not drills.can_manage(hub.people["ceptoar-comm"], drill)


# --- pages -------------------------------------------------------------------------------


def test_pages_start_acknowledge_and_export(client, hub):  # noqa: F811
    client.force_login(hub.people["nisc"].user)
    page = client.get("/sharing/drills/")
    assert page.status_code == 200
    assert "訓練を開始する" in page.content.decode()
    response = client.post(
        "/sharing/drills/start/", {"title": "全分野訓練", "message": "これは訓練です。"}
    )
    assert response.status_code == 302
    drill = drills.drills_visible_to(hub.people["nisc"]).get()

    client.force_login(hub.people["ceptoar-elec"].user)
    listing = client.get("/sharing/drills/").content.decode()
    assert "受領確認が必要な訓練" in listing and drill.number in listing
    assert "訓練を開始する" in listing  # a CEPTOAR may drill its members
    assert client.post(f"/sharing/drills/{drill.pk}/acknowledge/").status_code == 302
    assert "受領確認済み" in client.get(f"/sharing/drills/{drill.pk}/").content.decode()
    assert client.get(f"/sharing/drills/{drill.pk}/export.csv").status_code == 403

    client.force_login(hub.people["elec-a"].user)
    assert client.post(f"/sharing/drills/{drill.pk}/acknowledge/").status_code == 302

    client.force_login(hub.people["nisc"].user)
    detail = client.get(f"/sharing/drills/{drill.pk}/").content.decode()
    assert "セプターごとの受領確認時間" in detail and "A電力株式会社" in detail
    export = client.get(f"/sharing/drills/{drill.pk}/export.csv")
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:2] == ["種別", "受信者"]
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["電力セプター"][5] != ""  # acknowledged: seconds filled
    assert by_name["情報通信セプター"][5] == ""  # not acknowledged
    assert by_name["A電力株式会社"][2] == "電力セプター"
    assert by_name["B電力株式会社"][4] == ""


def test_pages_refuse_outsiders(client, hub, drill, person_with):  # noqa: F811
    client.force_login(hub.people["vendor"].user)
    assert client.get(f"/sharing/drills/{drill.pk}/").status_code == 404
    assert client.post("/sharing/drills/start/", {"title": "x", "message": "y"}).status_code == 403
    client.force_login(person_with().user)  # no sharing role at all
    assert client.get("/sharing/drills/").status_code == 403


def test_drill_list_queries_do_not_grow_with_drills(client, hub):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(hub.people["nisc"].user)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/sharing/drills/").status_code == 200
        return len(captured)

    drills.start_drill(hub.people["nisc"], title="1", message="訓練")
    few = count()
    for n in range(5):
        drills.start_drill(hub.people["nisc"], title=f"{n}", message="訓練")
    assert count() == few


def test_dashboard_lists_the_drills_waiting_for_acknowledgement(client, hub):  # noqa: F811
    drill = drills.start_drill(hub.people["nisc"], title="年次訓練", message="訓練")
    client.force_login(hub.people["ceptoar-elec"].user)
    page = client.get("/sharing/").content.decode()
    assert drill.number in page and f"/sharing/drills/{drill.pk}/acknowledge/" in page
    drills.acknowledge_drill(hub.people["ceptoar-elec"], drill)
    assert drill.number not in client.get("/sharing/").content.decode()
