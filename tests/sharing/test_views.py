"""The hub's pages: report form with the computed level verdict, detail with versions and
route, liaison inbox, NISC compose page, alert list with acknowledgement, mode banner,
roster, CSV, constant queries on lists."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mamori.sharing import services_alerts
from mamori.sharing.models import Alert, Report

FORM = {
    "title": "制御システムの停止",
    "summary": "制御システムが停止",
    "event_type": "unavailability",
    "cause_type": "accidental",
    "cause_detail": "equipment_failure",
    "impact_a": "on",
    "service": "electricity_supply",
    "supply_loss_kw": "120000",
    "duration_minutes": "15",
    "contact_means": "電話",
    "contact_person": "山田 太郎",
    "tlp": "green",
    "share_all_operators": "on",
    "share_ceptoars": "on",
    "share_ministries": "on",
    "voluntary": "on",
}


def test_report_form_marks_the_level_without_saving_on_recompute(hub, client):
    client.force_login(hub.elec1_person.user)
    url = reverse("sharing:report_create")
    assert client.get(url).status_code == 200
    response = client.post(url, {**FORM, "action": "recompute"})
    assert "サービス維持レベルを超えています" in response.content.decode()
    assert not Report.objects.exists()
    below = client.post(url, {**FORM, "supply_loss_kw": "90000", "action": "recompute"})
    assert "サービス維持レベルの範囲内です" in below.content.decode()
    # htmx fragment
    fragment = client.post(
        reverse("sharing:level_check"), {"service": "gas_supply", "households": "30"}
    )
    assert "サービス維持レベルを超えています" in fragment.content.decode()
    qualitative = client.post(reverse("sharing:level_check"), {"service": "bank_deposit"})
    assert "定性的なレベルのため自動判定できません" in qualitative.content.decode()


def test_report_form_submits_and_shows_detail_with_route(hub, client):
    client.force_login(hub.elec1_person.user)
    response = client.post(reverse("sharing:report_create"), {**FORM, "action": "submit"})
    report = Report.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("sharing:report_detail", args=[report.pk])
    assert report.current.exceeds_level is True and report.handled_as_voluntary
    page = client.get(response.url).content.decode()
    assert "経済産業省" in page and "サービス維持レベルを超えています" in page
    assert "任意提供情報" in page


def test_report_form_errors_are_shown(hub, client):
    client.force_login(hub.elec1_person.user)
    response = client.post(
        reverse("sharing:report_create"), {**FORM, "contact_means": "", "action": "submit"}
    )
    assert response.status_code == 200 and not Report.objects.exists()
    assert "利用可能な連絡手段" in response.content.decode()


def test_report_form_is_for_operators_only(hub, client):
    for person in (hub.meti_liaison, hub.nisc_person, hub.elec1_norole):
        client.force_login(person.user)
        assert client.get(reverse("sharing:report_create")).status_code == 403


def test_update_creates_a_version_shown_in_history(hub, client):
    report = hub.report(forward=True, figures={"supply_loss_kw": 120000})
    client.force_login(hub.elec1_person.user)
    url = reverse("sharing:report_update", args=[report.pk])
    assert client.get(url).status_code == 200
    client.post(url, {**FORM, "change_note": "継続時間が判明", "action": "submit"})
    report.refresh_from_db()
    assert report.versions.count() == 2 and report.current.exceeds_level is True
    page = client.get(reverse("sharing:report_detail", args=[report.pk])).content.decode()
    assert "継続時間が判明" in page and "第2版" in page
    client.force_login(hub.elec2_person.user)
    assert client.get(url).status_code in (403, 404)


def test_liaison_inbox_forward_and_note(hub, client):
    report = hub.report(tlp="red")
    client.force_login(hub.meti_liaison.user)
    inbox = client.get(reverse("sharing:liaison_inbox")).content.decode()
    assert report.number in inbox
    dash = client.get(reverse("sharing:dashboard")).content.decode()
    assert "内閣官房への連絡を待っている情報連絡" in dash and report.number in dash
    client.post(reverse("sharing:report_forward", args=[report.pk]), {"note": "確認済"})
    client.post(reverse("sharing:report_note", args=[report.pk]), {"text": "続報待ち"})
    report.refresh_from_db()
    assert report.status == "forwarded" and report.notes.count() == 1
    client.force_login(hub.fsa_liaison.user)
    assert report.number not in client.get(reverse("sharing:liaison_inbox")).content.decode()
    client.force_login(hub.elec1_person.user)
    assert client.get(reverse("sharing:liaison_inbox")).status_code == 403


def test_compose_page_drafts_anonymised_text_and_issues(hub, client):
    report = hub.report(forward=True, tlp="green", share_all_operators=True,
                        share_ceptoars=True, share_ministries=True)  # fmt: skip
    client.force_login(hub.elec1_person.user)
    assert client.get(reverse("sharing:alert_compose")).status_code == 403
    client.force_login(hub.nisc_person.user)
    url = reverse("sharing:alert_compose")
    assert client.get(f"{url}?reports={report.pk}").status_code == 200
    base = {"reports": [report.pk], "importance": "high", "category": "failure", "tlp": "green"}
    draft = client.post(url, {**base, "action": "draft"})
    form = draft.context["form"]
    assert "東都電力" not in form.data["body"] and "電力分野" in form.data["body"]
    assert form.data.getlist("sectors") == ["electricity"]
    assert "全ての確認を通過しました" in draft.content.decode()
    issued = client.post(
        url,
        {**base, "title": form.data["title"], "body": form.data["body"],
         "sectors": ["electricity"], "action": "issue"},
    )  # fmt: skip
    alert = Alert.objects.get()
    assert issued.url == reverse("sharing:alert_detail", args=[alert.pk])
    page = client.get(issued.url).content.decode()
    assert "重要度：高" in page and "TLP:GREEN" in page and "配信記録" in page


def test_alert_list_acknowledge_button(hub, client):
    alert = services_alerts.issue_alert(
        hub.nisc_person,
        services_alerts.AlertDraft(title="注意喚起", body="内容", tlp="clear", sectors=["bank"]),
    )
    client.force_login(hub.bank1_person.user)
    listing = client.get(reverse("sharing:alert_list")).content.decode()
    assert "注意喚起" in listing and "受領確認" in listing
    pending = client.get(reverse("sharing:alert_list") + "?pending=on").content.decode()
    assert alert.number in pending
    client.post(reverse("sharing:alert_acknowledge", args=[alert.pk]))
    assert alert.deliveries.get(recipient=hub.bank1).acknowledged_by == hub.bank1_person
    pending = client.get(reverse("sharing:alert_list") + "?pending=on").content.decode()
    assert alert.number not in pending
    client.force_login(hub.elec2_person.user)  # not a recipient
    assert client.get(reverse("sharing:alert_detail", args=[alert.pk])).status_code == 404
    assert client.post(reverse("sharing:alert_acknowledge", args=[alert.pk])).status_code == 404


def test_mode_switch_and_banner_on_every_page(hub, client):
    client.force_login(hub.elec1_person.user)
    assert "現在の体制: 平時" in client.get(reverse("sharing:dashboard")).content.decode()
    client.post(reverse("sharing:switch_mode"), {"mode": "large_scale"})
    assert "現在の体制: 平時" in client.get(reverse("sharing:roster")).content.decode()
    client.force_login(hub.nisc_person.user)
    client.post(reverse("sharing:switch_mode"), {"mode": "large_scale", "reason": "広域障害"})
    client.force_login(hub.elec1_person.user)
    for name in ("dashboard", "roster", "report_list", "alert_list", "report_create"):
        text = client.get(reverse(f"sharing:{name}")).content.decode()
        assert "現在の体制: 大規模ＩＴ障害対応時" in text, name


def test_roster_shows_parties_agreements_and_liaisons(hub, client):
    client.force_login(hub.bank1_person.user)
    text = client.get(reverse("sharing:roster")).content.decode()
    for needle in ("電力CEPTOAR", "構成員限りで共有する。", "経済産業省", "経産 一郎",
                   "合意済み", "サイバー空間関連事業者", "T-CEPTOAR"):  # fmt: skip
        assert needle in text, needle


def test_report_list_filters_sorts_and_exports(hub, client):
    hub.report(tlp="clear")
    hub.report(tlp="clear", figures={"supply_loss_kw": 10})
    client.force_login(hub.bank1_person.user)
    url = reverse("sharing:report_list")
    assert client.get(url).context["page_obj"].paginator.count == 2
    assert client.get(url + "?exceeds=yes").context["page_obj"].paginator.count == 1
    assert client.get(url + "?exceeds=no&sort=number").context["page_obj"].paginator.count == 1
    csv = client.get(reverse("sharing:report_export") + "?exceeds=yes").getvalue().decode()
    assert csv.count("\n") == 2 and "逸脱" in csv


def test_lists_use_a_constant_number_of_queries(hub, client):
    hub.report(tlp="clear")
    services_alerts.issue_alert(
        hub.nisc_person,
        services_alerts.AlertDraft(title="a", body="b", tlp="clear", sectors=["bank"]),
    )
    client.force_login(hub.bank1_person.user)
    urls = [reverse("sharing:report_list"), reverse("sharing:alert_list")]
    client.get(urls[0])
    with CaptureQueriesContext(connection) as few:
        for url in urls:
            client.get(url)
    for n in range(6):
        hub.report(tlp="clear")
        services_alerts.issue_alert(
            hub.nisc_person,
            services_alerts.AlertDraft(title=f"a{n}", body="b", tlp="clear", sectors=["bank"]),
        )
    with CaptureQueriesContext(connection) as many:
        for url in urls:
            client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_api_create_version_and_acknowledge(hub, client):
    client.force_login(hub.elec1_person.user)
    body = {
        "content": {
            "title": "停止", "summary": "s", "event_type": "unavailability",
            "cause_type": "accidental", "service": "electricity_supply",
            "figures": {"supply_loss_kw": 120000, "duration_minutes": 15},
            "contact_means": "電話", "contact_person": "担当",
        },
        "range": {"tlp": "clear"},
    }  # fmt: skip
    created = client.post("/api/sharing/reports", body, content_type="application/json")
    assert created.status_code == 201
    data = created.json()
    assert data["current"]["exceeds_level"] is True and data["handled_as_voluntary"] is True
    body["content"]["figures"] = {"supply_loss_kw": 50000}
    version = client.post(
        f"/api/sharing/reports/{data['id']}/versions",
        {"content": body["content"], "change_note": "訂正"},
        content_type="application/json",
    )
    assert version.status_code == 201 and version.json()["exceeds_level"] is False
    versions = client.get(f"/api/sharing/reports/{data['id']}/versions").json()
    assert [v["number"] for v in versions] == [1, 2]
    bad = client.post(
        "/api/sharing/reports", {**body, "range": {"tlp": "amber"}}, content_type="application/json"
    )
    assert bad.status_code == 400
    alert = services_alerts.issue_alert(
        hub.nisc_person,
        services_alerts.AlertDraft(title="a", body="b", tlp="clear", sectors=["electricity"]),
    )
    ack = client.post(f"/api/sharing/alerts/{alert.pk}/acknowledge")
    assert ack.status_code == 200 and ack.json()["alert"] == alert.pk
    assert client.post(f"/api/sharing/alerts/{alert.pk}/acknowledge").status_code == 409
    listed = client.get("/api/sharing/alerts").json()
    assert listed["items"][0]["acknowledged_at"]
    client.force_login(hub.bank1_person.user)
    assert client.post(f"/api/sharing/alerts/{alert.pk}/acknowledge").status_code == 404
