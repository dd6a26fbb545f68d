"""情報提供: anonymised alerts, the range check, fan-out with delivery records, early
warnings only with a handling agreement, the large-scale mode, acknowledgements."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mamori.errors import Forbidden, InvalidInput, InvalidTransition
from mamori.sharing import access, services, services_alerts
from mamori.sharing.models import Alert, Delivery, DeliveryVia
from mamori.trail.models import Event

# Everything that would identify the reporter of hub.report().
IDENTIFYING = ("東都電力", "toto-denryoku", "山田", "太郎", "03-1234-5678", "yamada@")
WIDE = {"tlp": "green", "share_all_operators": True, "share_ceptoars": True,
        "share_ministries": True}  # fmt: skip


def _draft(hub, reports, **kw):
    title, body = services_alerts.anonymised_text(reports)
    defaults = {
        "title": title,
        "body": body,
        "tlp": "green",
        "sectors": ["electricity", "bank"],
        "report_ids": [r.pk for r in reports],
    }
    defaults.update(kw)
    return services_alerts.AlertDraft(**defaults)


def test_anonymised_draft_has_no_identifying_details(hub):
    report = hub.report(forward=True, **WIDE)
    title, body = services_alerts.anonymised_text([report])
    for needle in IDENTIFYING:
        assert needle not in title + body, needle
    assert "電力分野" in body and "サービス維持レベルを超える" in body


def test_fan_out_nisc_liaisons_ceptoars_members(hub):
    report = hub.report(forward=True, **WIDE)
    alert = services_alerts.issue_alert(hub.nisc_person, _draft(hub, [report]))
    rows = {
        d.recipient.code: (d.via, d.relay.code if d.relay else None, d.hop)
        for d in alert.deliveries.select_related("recipient", "relay")
    }
    assert rows == {
        "meti": (DeliveryVia.LIAISON, None, 1),
        "fsa": (DeliveryVia.LIAISON, None, 1),
        "elec-ceptoar": (DeliveryVia.LIAISON, "meti", 2),
        "bank-ceptoar": (DeliveryVia.LIAISON, "fsa", 2),
        "toto-denryoku": (DeliveryVia.CEPTOAR, "elec-ceptoar", 3),
        "nishi-denryoku": (DeliveryVia.CEPTOAR, "elec-ceptoar", 3),
        "sakura-bank": (DeliveryVia.CEPTOAR, "bank-ceptoar", 3),
    }
    assert alert.number.startswith("A-") and alert.mode == "normal"
    assert list(alert.source_reports.all()) == [report]
    event = Event.objects.get(action="sharing.alert.issued")
    assert event.data["recipients"] == 7
    # the CEPTOAR's point of contact and the liaisons are told
    assert hub.elec_poc.notifications.filter(params__number=alert.number).exists()
    assert hub.meti_liaison.notifications.filter(params__number=alert.number).exists()


def test_refused_beyond_the_reporters_range(hub):
    report = hub.report(forward=True, tlp="amber", share_same_sector=True)
    with pytest.raises(InvalidInput) as error:
        services_alerts.issue_alert(
            hub.nisc_person, _draft(hub, [report], tlp="amber", sectors=["electricity"])
        )
    assert "別添2.1" in str(error.value)
    assert "電力CEPTOAR" in str(error.value)  # the CEPTOAR is outside "same-sector operators"
    assert report.number in error.value.details["outside_range"]
    assert not Alert.objects.exists() and not Delivery.objects.exists()


def test_every_source_reports_range_must_allow_every_recipient(hub):
    wide = hub.report(forward=True, **WIDE)
    narrow = hub.report(forward=True, tlp="green", share_all_operators=True)  # no ministries
    check = services_alerts.check_alert(_draft(hub, [wide, narrow]))
    assert set(check.outside_range) == {narrow.number}
    assert not check.ok


def test_refused_when_the_text_names_the_reporter(hub):
    report = hub.report(forward=True, **WIDE)
    draft = _draft(hub, [report], body="東都電力株式会社で停止。山田 太郎 03-1234-5678")
    with pytest.raises(InvalidInput) as error:
        services_alerts.issue_alert(hub.nisc_person, draft)
    assert "別添2.2" in str(error.value)
    assert set(error.value.details["identifying"]) >= {"東都電力株式会社", "03-1234-5678"}


def test_refused_with_a_looser_tlp_than_the_source(hub):
    report = hub.report(forward=True, **{**WIDE, "tlp": "amber"})
    with pytest.raises(InvalidInput):
        services_alerts.issue_alert(hub.nisc_person, _draft(hub, [report], tlp="clear"))


def test_only_nisc_issues(hub):
    report = hub.report(forward=True, **WIDE)
    for person in (hub.meti_liaison, hub.elec_poc, hub.elec1_person):
        with pytest.raises(Forbidden):
            services_alerts.issue_alert(person, _draft(hub, [report]))


def test_early_warning_only_with_a_handling_agreement(hub):
    draft = services_alerts.AlertDraft(
        title="攻撃予告", body="制御システムを狙う攻撃予告あり", tlp="amber",
        early_warning=True, direct_org_ids=[hub.elec1.pk, hub.elec2.pk],
    )  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        services_alerts.issue_alert(hub.nisc_person, draft)
    assert "別添2.3④" in str(error.value) and "西日本電力株式会社" in str(error.value)
    assert error.value.details["without_agreement"] == ["西日本電力株式会社"]
    assert not Alert.objects.exists()
    draft.direct_org_ids = [hub.elec1.pk, hub.elec_ceptoar.pk]
    alert = services_alerts.issue_alert(hub.nisc_person, draft)
    rows = {d.recipient.code: d.via for d in alert.deliveries.select_related("recipient")}
    assert rows == {
        "toto-denryoku": DeliveryVia.DIRECT,
        "elec-ceptoar": DeliveryVia.DIRECT,
        "meti": DeliveryVia.COPY,  # 同報 to the sector's liaison
    }
    assert alert.early_warning and alert.category == "early_warning"


def test_early_warning_page_shows_the_refusal(hub, client):
    client.force_login(hub.nisc_person.user)
    response = client.post(
        reverse("sharing:alert_compose"),
        {
            "action": "issue", "title": "攻撃予告", "body": "攻撃予告あり", "importance": "high",
            "category": "early_warning", "tlp": "amber", "early_warning": "on",
            "direct": [hub.elec2.pk],
        },
        follow=True,
    )  # fmt: skip
    text = response.content.decode()
    assert "取決めが合意されている提供先にのみ" in text and "西日本電力株式会社" in text
    assert not Alert.objects.exists()


def test_large_scale_mode_adds_crisis_disaster_and_incident_ministries(hub):
    draft = services_alerts.AlertDraft(
        title="広域障害", body="広域でのＩＴ障害に関する復旧手法", tlp="green",
        sectors=["electricity"], category="recovery",
    )  # fmt: skip
    normal = services_alerts.issue_alert(hub.nisc_person, draft)
    assert not normal.deliveries.filter(recipient__code__in=["cas-crisis", "npa"]).exists()
    services.switch_mode(hub.nisc_person, "large_scale")
    large = services_alerts.issue_alert(hub.nisc_person, draft)
    added = set(
        large.deliveries.filter(via=DeliveryVia.DIRECT).values_list("recipient__code", flat=True)
    )
    assert added == {"cas-crisis", "cao-disaster", "npa"}
    assert large.mode == "large_scale"
    assert access.can_see_alert(hub.crisis_person, large)
    assert not access.can_see_alert(hub.crisis_person, normal)


def test_acknowledgement_per_recipient(hub):
    report = hub.report(forward=True, **WIDE)
    alert = services_alerts.issue_alert(hub.nisc_person, _draft(hub, [report]))
    delivery = services_alerts.delivery_for(hub.bank1_person, alert)
    with pytest.raises(Forbidden):
        services_alerts.acknowledge(hub.elec2_person, delivery)
    services_alerts.acknowledge(hub.bank1_person, delivery)
    delivery.refresh_from_db()
    assert delivery.acknowledged_by == hub.bank1_person and delivery.acknowledged_at
    with pytest.raises(InvalidTransition):
        services_alerts.acknowledge(hub.bank1_person, delivery)
    assert Event.objects.filter(action="sharing.alert.acknowledged").count() == 1
    assert alert.deliveries.filter(acknowledged_at__isnull=True).count() == 6


def test_alert_visibility(hub):
    report = hub.report(forward=True, **WIDE)
    alert = services_alerts.issue_alert(
        hub.nisc_person, _draft(hub, [report], sectors=["electricity"])
    )
    assert access.can_see_alert(hub.elec2_person, alert)
    assert access.can_see_alert(hub.nisc_person, alert)
    assert not access.can_see_alert(hub.bank1_person, alert)  # bank sector not addressed
    assert not access.can_see_alert(hub.vendor_person, alert)
    assert not access.can_see_alert(hub.elec1_norole, alert)


def test_alert_page_and_json_never_carry_the_reporter(hub, client):
    report = hub.report(forward=True, **WIDE)
    alert = services_alerts.issue_alert(hub.nisc_person, _draft(hub, [report]))
    for person in (hub.bank1_person, hub.elec2_person, hub.elec_poc):
        client.force_login(person.user)
        pages = [
            client.get(reverse("sharing:alert_detail", args=[alert.pk])).content.decode(),
            client.get(reverse("sharing:alert_list")).content.decode(),
            client.get(reverse("sharing:alert_export")).getvalue().decode(),
            client.get(f"/api/sharing/alerts/{alert.pk}").content.decode("unicode_escape"),
            client.get("/api/sharing/alerts").content.decode("unicode_escape"),
        ]
        assert alert.number in pages[0] and alert.number in pages[3]
        for text in pages:
            for needle in IDENTIFYING:
                assert needle not in text, (person, needle)


def test_fan_out_is_set_based(hub):
    from tests.sharing.conftest import _org

    from mamori.sharing.models import Party

    ceptoar = Party.objects.get(organization=hub.elec_ceptoar)
    draft = services_alerts.AlertDraft(title="t", body="b", tlp="clear", sectors=["electricity"])
    services_alerts.issue_alert(hub.nisc_person, draft)  # warm the per-person caches
    with CaptureQueriesContext(connection) as few:
        services_alerts.issue_alert(hub.nisc_person, draft)
    for n in range(30):
        _org(f"op-{n}", f"電力事業者{n}", "ci_operator", "operator", sector="electricity",
             ceptoar=ceptoar)  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        alert = services_alerts.issue_alert(hub.nisc_person, draft)
    assert alert.deliveries.count() == 4 + 30
    assert len(many.captured_queries) == len(few.captured_queries)


def test_compose_page_ignores_a_malformed_report_parameter(hub, client):
    client.force_login(hub.nisc_person.user)
    assert client.get(reverse("sharing:alert_compose") + "?reports=abc").status_code == 200
    outside = hub.report(tlp="amber", share_ministries=True)  # still at the liaison
    page = client.get(reverse("sharing:alert_compose") + f"?reports={outside.pk}").content.decode()
    assert outside.number not in page
    draft = _draft(hub, [outside])
    with pytest.raises(InvalidInput, match="元になる情報連絡が見つかりません"):
        services_alerts.issue_alert(hub.nisc_person, draft)
