"""NISC keeps the sharing structure: CEPTOAR members, handling agreements (別添2.3④) and
sector liaisons (別添2.3①). Service rules, trail events, pages, and refusals for everyone
who is not NISC's information-sharing officer."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.sharing.conftest import _org, _person

from mamori.errors import Forbidden, InvalidInput, InvalidTransition
from mamori.sharing import services_alerts, services_structure
from mamori.sharing.models import Party, SectorLiaison
from mamori.trail.models import Event


def _party(org):
    return Party.objects.get(organization=org)


@pytest.fixture
def loose(hub):
    """An electricity operator in no CEPTOAR yet."""
    return _party(_org("kita-denryoku", "北電力株式会社", "ci_operator", "operator",
                       sector="electricity"))  # fmt: skip


def outsiders(hub):
    """Sharing people who are not NISC, a plain user, and a cip_nisc holder elsewhere."""
    return [
        hub.meti_liaison,
        hub.elec_poc,
        hub.elec1_person,
        hub.vendor_person,
        hub.crisis_person,
        hub.elec1_norole,
        _person(hub.meti, "cip_nisc", "経産", "偽NISC"),
    ]


def test_add_and_remove_a_member_with_trail_events(hub, loose):
    ceptoar = _party(hub.elec_ceptoar)
    services_structure.add_member(hub.nisc_person, ceptoar, loose)
    loose.refresh_from_db()
    assert loose.ceptoar_id == ceptoar.pk
    event = Event.objects.get(action="sharing.member.added")
    assert event.data == {"ceptoar": "elec-ceptoar", "operator": "kita-denryoku"}
    assert event.actor_id == hub.nisc_person.user_id
    services_structure.remove_member(hub.nisc_person, ceptoar, loose)
    loose.refresh_from_db()
    assert loose.ceptoar_id is None
    assert Event.objects.filter(action="sharing.member.removed").count() == 1


def test_member_rules(hub, loose):
    elec, bank = _party(hub.elec_ceptoar), _party(hub.bank_ceptoar)
    with pytest.raises(InvalidInput):  # another sector
        services_structure.add_member(hub.nisc_person, bank, loose)
    with pytest.raises(InvalidTransition):  # already in this CEPTOAR
        services_structure.add_member(hub.nisc_person, elec, _party(hub.elec1))
    with pytest.raises(InvalidTransition):  # in another CEPTOAR
        services_structure.add_member(hub.nisc_person, bank, _party(hub.elec1))
    with pytest.raises(InvalidInput):  # not an operator
        services_structure.add_member(hub.nisc_person, elec, _party(hub.vendor))
    with pytest.raises(InvalidTransition):  # not a member
        services_structure.remove_member(hub.nisc_person, elec, _party(hub.bank1))
    assert not Event.objects.filter(action__startswith="sharing.member.").exists()


def test_handling_agreement_decides_early_warnings(hub):
    bank1 = _party(hub.bank1)
    draft = services_alerts.AlertDraft(
        title="早期警戒",
        body="脆弱性",
        tlp="amber",
        early_warning=True,
        direct_org_ids=[hub.bank1.pk],
    )
    with pytest.raises(InvalidInput):
        services_alerts.issue_alert(hub.nisc_person, draft)
    services_structure.set_handling_agreement(hub.nisc_person, bank1, date(2026, 10, 1))
    alert = services_alerts.issue_alert(hub.nisc_person, draft)
    assert alert.deliveries.filter(recipient=hub.bank1).exists()
    services_structure.set_handling_agreement(hub.nisc_person, bank1, None)
    assert [e.action for e in Event.objects.filter(action__startswith="sharing.agreement.")] == [
        "sharing.agreement.recorded",
        "sharing.agreement.withdrawn",
    ]
    with pytest.raises(InvalidTransition):  # nothing to change
        services_structure.set_handling_agreement(hub.nisc_person, bank1, None)
    with pytest.raises(InvalidInput):  # a ministry holds no such agreement
        services_structure.set_handling_agreement(hub.nisc_person, _party(hub.meti), date.today())


def test_set_liaison_rules(hub):
    fsa_liaison2 = _person(hub.fsa, "cip_liaison", "金融", "三郎")
    liaison = services_structure.set_liaison(hub.nisc_person, "securities", hub.fsa, [fsa_liaison2])
    assert list(liaison.people.all()) == [fsa_liaison2]
    assert Event.objects.get(action="sharing.liaison.set").data["sector"] == "securities"
    with pytest.raises(InvalidInput):  # a METI person cannot be an FSA liaison
        services_structure.set_liaison(hub.nisc_person, "securities", hub.fsa, [hub.meti_liaison])
    with pytest.raises(InvalidInput):  # a person without the liaison role
        services_structure.set_liaison(
            hub.nisc_person, "securities", hub.fsa, [_person(hub.fsa, None, "金融", "無役")]
        )
    with pytest.raises(InvalidInput):  # not a CI ministry
        services_structure.set_liaison(hub.nisc_person, "securities", hub.vendor, [])
    with pytest.raises(InvalidInput):
        services_structure.set_liaison(hub.nisc_person, "no-such-sector", hub.fsa, [])
    hub.report()  # waits at METI's electricity liaison
    with pytest.raises(InvalidTransition):
        services_structure.set_liaison(hub.nisc_person, "electricity", hub.fsa, [])
    assert SectorLiaison.objects.get(sector="electricity").ministry == hub.meti
    assert Event.objects.filter(action="sharing.liaison.set").count() == 1


def test_only_nisc_changes_the_structure(hub, loose):
    ceptoar = _party(hub.elec_ceptoar)
    for person in outsiders(hub):
        with pytest.raises(Forbidden):
            services_structure.add_member(person, ceptoar, loose)
        with pytest.raises(Forbidden):
            services_structure.remove_member(person, ceptoar, _party(hub.elec1))
        with pytest.raises(Forbidden):
            services_structure.set_handling_agreement(person, loose, date.today())
        with pytest.raises(Forbidden):
            services_structure.set_liaison(person, "gas", hub.meti, [])
    assert not Event.objects.filter(action__regex=r"^sharing\.(member|agreement|liaison)").exists()


def test_pages_refuse_everyone_but_nisc(client, hub, loose):
    ceptoar = _party(hub.elec_ceptoar)
    gets = [
        reverse("sharing:structure"),
        reverse("sharing:ceptoar_manage", args=[ceptoar.pk]),
        reverse("sharing:liaison_edit", args=["gas"]),
    ]
    posts = [
        (reverse("sharing:member_add", args=[ceptoar.pk]), {"operator": loose.pk}),
        (reverse("sharing:member_remove", args=[ceptoar.pk, _party(hub.elec1).pk]), {}),
        (reverse("sharing:agreement_set", args=[loose.pk]), {"agreed_on": "2026-10-01"}),
        (reverse("sharing:liaison_edit", args=["gas"]), {"ministry": hub.fsa.pk}),
    ]
    for person in outsiders(hub):
        client.force_login(person.user)
        for url in gets:
            assert client.get(url).status_code == 403, (person, url)
        for url, data in posts:
            assert client.post(url, data).status_code == 403, (person, url)
    loose.refresh_from_db()
    assert loose.ceptoar_id is None and loose.handling_agreement_on is None
    assert SectorLiaison.objects.get(sector="gas").ministry == hub.meti
    assert client.get(reverse("sharing:structure")).status_code == 403
    client.logout()
    assert client.get(reverse("sharing:structure")).status_code == 302  # to sign-in


def test_nisc_manages_members_and_agreements_on_the_pages(client, hub, loose):
    ceptoar = _party(hub.elec_ceptoar)
    client.force_login(hub.nisc_person.user)
    page = client.get(reverse("sharing:ceptoar_manage", args=[ceptoar.pk])).content.decode()
    assert "東都電力株式会社" in page and "北電力株式会社" in page  # member, candidate
    assert "さくら銀行" not in page  # another sector is no candidate
    response = client.post(reverse("sharing:member_add", args=[ceptoar.pk]), {"operator": loose.pk})
    assert response.status_code == 302
    loose.refresh_from_db()
    assert loose.ceptoar_id == ceptoar.pk
    url = reverse("sharing:agreement_set", args=[loose.pk])
    response = client.post(url, {"agreed_on": "2026-10-01"}, follow=True)
    assert "北電力株式会社 の取決めの登録を更新しました。" in response.content.decode()
    loose.refresh_from_db()
    assert loose.handling_agreement_on == date(2026, 10, 1)
    response = client.post(url, {"agreed_on": "2026-10-01"}, follow=True)
    assert "取決めの登録内容に変更がありません。" in response.content.decode()
    client.post(reverse("sharing:member_remove", args=[ceptoar.pk, loose.pk]))
    loose.refresh_from_db()
    assert loose.ceptoar_id is None


def test_nisc_sets_a_liaison_on_the_page(client, hub):
    fsa2 = _person(hub.fsa, "cip_liaison", "金融", "三郎")
    client.force_login(hub.nisc_person.user)
    url = reverse("sharing:liaison_edit", args=["securities"])
    page = client.get(url).content.decode()
    assert "金融 三郎" in page and "経産 一郎" in page
    response = client.post(url, {"ministry": hub.fsa.pk, "people": [hub.meti_liaison.pk]})
    assert response.status_code == 200
    assert "経産 一郎 はその省庁の職員ではありません。" in response.content.decode()
    response = client.post(url, {"ministry": hub.fsa.pk, "people": [fsa2.pk]})
    assert response.status_code == 302
    liaison = SectorLiaison.objects.get(sector="securities")
    assert liaison.ministry == hub.fsa and list(liaison.people.all()) == [fsa2]
    index = client.get(reverse("sharing:structure")).content.decode()
    assert "金融 三郎" in index
    assert client.get(reverse("sharing:liaison_edit", args=["nothing"])).status_code == 404


def test_posts_need_the_csrf_token(hub, loose):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(hub.nisc_person.user)
    url = reverse("sharing:agreement_set", args=[loose.pk])
    assert strict.post(url, {"agreed_on": "2026-10-01"}).status_code == 403
    loose.refresh_from_db()
    assert loose.handling_agreement_on is None


def test_structure_pages_do_not_grow_in_queries(client, hub):
    client.force_login(hub.nisc_person.user)
    ceptoar = _party(hub.elec_ceptoar)
    urls = [reverse("sharing:structure"), reverse("sharing:ceptoar_manage", args=[ceptoar.pk])]

    def count(url) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    _org("u-first", "未所属", "ci_operator", "operator", sector="gas")
    few = [count(url) for url in urls]
    for n in range(8):
        _org(f"m-{n}", f"電力{n}", "ci_operator", "operator", sector="electricity", ceptoar=ceptoar)
        _org(f"u-{n}", f"未所属{n}", "ci_operator", "operator", sector="gas")
        _org(f"c-{n}", f"セプター{n}", "ceptoar", "ceptoar", sector="gas")
    assert [count(url) for url in urls] == few
