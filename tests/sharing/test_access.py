"""The access matrix (issue 7 acceptance): for every party kind, a report is visible
exactly to the reporter, the route parties it has reached and the parties its range
allows — in the querysets, the pages and the API."""

import pytest
from django.urls import reverse

from mamori.sharing import access

PARTIES = ("elec2", "bank1", "elec_ceptoar", "meti", "fsa", "nisc", "vendor")

# range → (report kwargs, parties that see it besides the reporter)
CASES = {
    "red_not_forwarded": ({"tlp": "red"}, {"meti"}),
    "red_forwarded": ({"tlp": "red", "forward": True}, {"meti", "nisc"}),
    "amber_same_sector": (
        {"tlp": "amber", "forward": True, "share_same_sector": True},
        {"meti", "nisc", "elec2"},
    ),
    "amber_strict_same_ceptoar": (
        {"tlp": "amber_strict", "share_same_ceptoar": True},
        {"meti", "elec2", "elec_ceptoar"},
    ),
    "green_operators_and_ceptoars": (
        {"tlp": "green", "forward": True, "share_all_operators": True, "share_ceptoars": True},
        {"meti", "nisc", "elec2", "bank1", "elec_ceptoar"},
    ),
    "amber_ministries": ({"tlp": "amber", "share_ministries": True}, {"meti", "fsa"}),
    "amber_vendors": ({"tlp": "amber", "share_vendors": True}, {"meti", "vendor"}),
    "amber_named_org": ({"tlp": "amber", "orgs": "bank1"}, {"meti", "bank1"}),
    "clear": ({"tlp": "clear"}, set(PARTIES)),
}


def _people(hub):
    return {
        "elec2": hub.elec2_person,
        "bank1": hub.bank1_person,
        "elec_ceptoar": hub.elec_poc,
        "meti": hub.meti_liaison,
        "fsa": hub.fsa_liaison,
        "nisc": hub.nisc_person,
        "vendor": hub.vendor_person,
    }


def _orgs(hub):
    return {
        "elec2": hub.elec2,
        "bank1": hub.bank1,
        "elec_ceptoar": hub.elec_ceptoar,
        "meti": hub.meti,
        "fsa": hub.fsa,
        "nisc": hub.nisc,
        "vendor": hub.vendor,
    }


@pytest.mark.parametrize("case", list(CASES))
def test_access_matrix_in_querysets_pages_and_api(hub, client, case):
    kwargs, expected = CASES[case]
    kwargs = dict(kwargs)
    if kwargs.get("orgs") == "bank1":
        kwargs["orgs"] = [hub.bank1]
    report = hub.report(**kwargs)
    people, orgs = _people(hub), _orgs(hub)
    allowed = set(access.orgs_allowed_for_report(report).values_list("pk", flat=True))
    assert hub.elec1.pk in allowed  # the reporter always
    seen = set()
    for name in PARTIES:
        person, org = people[name], orgs[name]
        by_person = access.can_see_report(person, report)
        by_org = access.can_see_report(org, report)  # what a party's API token sees
        assert by_person == by_org == (org.pk in allowed), name
        client.force_login(person.user)
        page = client.get(reverse("sharing:report_detail", args=[report.pk]))
        listing = client.get(reverse("sharing:report_list"))
        api_item = client.get(f"/api/sharing/reports/{report.pk}")
        api_list = client.get("/api/sharing/reports").json()
        in_list = report.number in listing.content.decode()
        in_api_list = report.number in [item["number"] for item in api_list["items"]]
        if by_person:
            seen.add(name)
            assert page.status_code == 200 and api_item.status_code == 200, name
            assert in_list and in_api_list, name
        else:
            assert page.status_code == 404 and api_item.status_code == 404, name
            assert not in_list and not in_api_list, name
    assert seen == expected


def test_staff_of_the_reporter_without_a_sharing_role_see_nothing(hub, client):
    report = hub.report(tlp="clear")
    assert not access.can_see_report(hub.elec1_norole, report)
    client.force_login(hub.elec1_norole.user)
    assert client.get(reverse("sharing:report_detail", args=[report.pk])).status_code == 403
    assert client.get(reverse("sharing:dashboard")).status_code == 403
    assert client.get("/api/sharing/reports").status_code == 403


def test_reporter_colleague_with_the_role_sees_the_report(hub):
    from tests.sharing.conftest import _person

    colleague = _person(hub.elec1, "cip_operator", "同僚", "花子")
    report = hub.report()
    assert access.can_see_report(colleague, report)


def test_inactive_party_loses_range_access(hub):
    from mamori.sharing.models import Party

    report = hub.report(tlp="clear")
    from mamori.org.models import Organization

    Party.objects.filter(organization=hub.vendor).update(active=False)
    assert not access.can_see_report(Organization.objects.get(pk=hub.vendor.pk), report)


def test_contact_person_only_for_the_reporter_and_the_route(hub, client):
    """別添3.2's contact means and person are for the liaison and NISC; others in the
    range see the report without them (page and API)."""
    from django.urls import reverse

    report = hub.report(forward=True, tlp="clear")
    urls = [
        reverse("sharing:report_detail", args=[report.pk]),
        f"/api/sharing/reports/{report.pk}",
        f"/api/sharing/reports/{report.pk}/versions",
        "/api/sharing/reports",
    ]
    for person, sees in [
        (hub.elec1_person, True),
        (hub.meti_liaison, True),
        (hub.nisc_person, True),
        (hub.elec2_person, False),
        (hub.bank1_person, False),
        (hub.vendor_person, False),
        (hub.fsa_liaison, False),
    ]:
        client.force_login(person.user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (person, url)
            text = response.content.decode("utf-8")
            assert report.number in text or url.endswith("versions"), (person, url)
            assert "contact_means" in text or url.startswith("/sharing/"), (person, url)
            assert ("yamada@toto-denryoku" in text) is sees, (person, url)
    report.refresh_from_db()
    assert report.current.contact_phone == "03-1234-5678"  # blanked for display only


def test_an_unrelated_organisation_with_a_sharing_role_sees_nothing(hub, client, org):
    """Someone of an organisation that takes no part in the hub (the test ministry of
    tests/conftest.py), even holding cip_* roles: no report, alert, drill or structure."""
    from tests.sharing.conftest import _person

    from mamori.sharing import services_alerts

    report = hub.report(forward=True, tlp="clear")
    title, body = services_alerts.anonymised_text([report])
    alert = services_alerts.issue_alert(
        hub.nisc_person,
        services_alerts.AlertDraft(title=title, body=body, tlp="clear", sectors=["electricity"],
                                   report_ids=[report.pk]),
    )  # fmt: skip
    stranger = _person(org, "cip_operator", "無縁", "一郎")
    stranger_nisc = _person(org, "cip_nisc", "無縁", "次郎")
    for person in (stranger, stranger_nisc):
        assert not access.can_see_report(person, report)
        assert not access.can_see_alert(person, alert)
        client.force_login(person.user)
        for url in (
            reverse("sharing:report_detail", args=[report.pk]),
            reverse("sharing:report_stix", args=[report.pk]),
            reverse("sharing:alert_detail", args=[alert.pk]),
            reverse("sharing:alert_stix", args=[alert.pk]),
            f"/api/sharing/reports/{report.pk}",
            f"/api/sharing/alerts/{alert.pk}",
        ):
            assert client.get(url).status_code == 404, (person, url)
        assert report.number not in client.get(reverse("sharing:report_list")).content.decode()
        assert client.get(reverse("sharing:structure")).status_code == 403
        assert client.get(reverse("sharing:alert_compose")).status_code == 403
