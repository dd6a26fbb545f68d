"""STIX 2.1 (JSON) downloads from the report and alert pages: for whoever may see the item,
404 for anyone else; the alert bundle never carries the reporter; each download is a trail
event."""

import json

from django.urls import reverse

from mamori.sharing import services_alerts
from mamori.trail.models import Event

IDENTIFYING = ("東都電力", "toto-denryoku", "山田", "太郎", "03-1234-5678", "yamada@")
WIDE = {"tlp": "green", "share_all_operators": True, "share_ceptoars": True,
        "share_ministries": True}  # fmt: skip


def _alert(hub, report, sectors=("electricity", "bank")):
    title, body = services_alerts.anonymised_text([report])
    draft = services_alerts.AlertDraft(
        title=title, body=body, tlp="green", sectors=list(sectors), report_ids=[report.pk]
    )
    return services_alerts.issue_alert(hub.nisc_person, draft)


def _get(client, person, name, pk):
    client.force_login(person.user)
    return client.get(reverse(name, args=[pk]))


def _bundle(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/stix+json;version=2.1"
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content.decode("utf-8")


def test_report_bundle_for_those_in_range(client, hub):
    report = hub.report(forward=True, **WIDE)
    for person in (hub.elec1_person, hub.meti_liaison, hub.nisc_person, hub.bank1_person):
        text = _bundle(_get(client, person, "sharing:report_stix", report.pk))
        bundle = json.loads(text)
        assert bundle["type"] == "bundle"
        types = {o["type"] for o in bundle["objects"]}
        assert {"incident", "report", "note", "identity", "marking-definition"} <= types
        assert "03-1234-5678" not in text  # the contact details are never exported
    event = Event.objects.filter(action="sharing.report.exported").latest("id")
    assert event.data["number"] == report.number


def test_report_bundle_404_outside_the_range(client, hub):
    report = hub.report(forward=True, tlp="amber", share_same_sector=True)
    for person in (hub.bank1_person, hub.vendor_person, hub.fsa_liaison, hub.elec1_norole):
        response = _get(client, person, "sharing:report_stix", report.pk)
        assert response.status_code in (403, 404), person
        assert report.number.encode() not in response.content
    assert _get(client, hub.vendor_person, "sharing:report_stix", report.pk).status_code == 404
    assert not Event.objects.filter(action="sharing.report.exported").exists()


def test_alert_bundle_never_contains_the_reporter(client, hub):
    report = hub.report(forward=True, **WIDE)
    alert = _alert(hub, report)
    for person in (hub.bank1_person, hub.elec2_person, hub.elec_poc, hub.nisc_person):
        text = _bundle(_get(client, person, "sharing:alert_stix", alert.pk))
        assert alert.number in text
        for needle in (*IDENTIFYING, report.number, hub.elec1.name):
            assert needle not in text, (person, needle)
        identities = [o for o in json.loads(text)["objects"] if o["type"] == "identity"]
        assert all(o.get("identity_class") != "organization" or "NISC" in o["name"]
                   or "内閣" in o["name"] for o in identities)  # fmt: skip
    assert Event.objects.filter(action="sharing.alert.exported").count() == 4


def test_alert_bundle_404_outside_the_range(client, hub):
    report = hub.report(forward=True, **WIDE)
    alert = _alert(hub, report, sectors=["electricity"])
    for person in (hub.bank1_person, hub.vendor_person, hub.crisis_person):
        assert _get(client, person, "sharing:alert_stix", alert.pk).status_code == 404, person
    assert _get(client, hub.elec1_norole, "sharing:alert_stix", alert.pk).status_code == 403


def test_download_links_on_the_pages(client, hub):
    report = hub.report(forward=True, **WIDE)
    alert = _alert(hub, report)
    page = _get(client, hub.bank1_person, "sharing:report_detail", report.pk).content.decode()
    assert reverse("sharing:report_stix", args=[report.pk]) in page
    assert "STIX 2.1 (JSON)" in page
    page = _get(client, hub.bank1_person, "sharing:alert_detail", alert.pk).content.decode()
    assert reverse("sharing:alert_stix", args=[alert.pk]) in page
