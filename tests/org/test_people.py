from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def test_roster_needs_an_officer_role(client, login, staff):
    login(staff)
    assert client.get(reverse("org:people")).status_code == 403


def test_section_officer_sees_only_their_division(client, login, section_officer, staff, outsider):
    login(section_officer)
    page = client.get(reverse("org:people")).content.decode()
    assert staff.display_name in page and outsider.display_name not in page


def test_ciso_sees_everyone_and_can_filter_by_role(client, login, ciso, staff, section_officer):
    login(ciso)
    page = client.get(reverse("org:people"), {"role": "section_isec_officer"}).content.decode()
    assert section_officer.display_name in page and staff.display_name not in page


def test_roster_export_is_csv_with_roles(client, login, ciso, section_officer):
    login(ciso)
    response = client.get(reverse("org:people_export"))
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeff") and "課室情報セキュリティ責任者" in body


def test_roster_runs_a_constant_number_of_queries(client, login, ciso, person_with):
    login(ciso)
    client.get(reverse("org:people"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("org:people"))
    for _ in range(12):
        person_with("section_isec_officer", unit="d2", scope="d2")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("org:people"))
    assert len(many) == len(few)


def test_moving_a_unit_carries_its_subtree(units):
    d1, b2 = units["d1"], units["b2"]
    from mamori.org.models import OrgUnit

    team = OrgUnit.objects.create(
        organization=d1.organization, code="t1", name="係", kind="office", parent=d1
    )
    d1.parent = b2
    d1.save()
    team.refresh_from_db()
    assert team.path == f"/{b2.pk}/{d1.pk}/{team.pk}/"
    assert team.ancestor_ids == [team.pk, d1.pk, b2.pk]
