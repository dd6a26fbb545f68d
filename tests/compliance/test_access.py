"""Who reaches what in the compliance pages: officers of another organisation get nothing
of this one (documents, imports, violation reports), plain staff and the reporter cannot
act on a report, changes are POST only, and a refused change leaves nothing behind."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.compliance.test_catalogs_import import GOOD_YAML
from tests.conftest import with_totp

from mamori.compliance import catalogs, imports, services_catalog, services_policy
from mamori.compliance import services_violations as violations
from mamori.compliance.models import (
    ImportState,
    PolicyItem,
    PolicyState,
    ViolationReport,
    ViolationStatus,
)
from mamori.errors import Forbidden, InvalidInput, InvalidTransition
from mamori.org.models import Organization, OrgUnit, Person, RoleAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    catalogs.clear_cache()
    yield
    catalogs.clear_cache()


@pytest.fixture
def elsewhere(db):
    """A second organisation whose CISO, 統括 and 情報セキュリティ責任者 hold every role
    this app knows, for the whole of their own organisation."""
    other = Organization.objects.create(
        code="other-agency", name="別の庁", kind="national", rulebooks=["toitsu"]
    )
    unit = OrgUnit.objects.create(organization=other, code="x1", name="別の課", kind="division")
    user = get_user_model().objects.create_user(username="other-ciso", password="x")
    person = Person.objects.create(
        user=user, organization=other, unit=unit, family_name="別", given_name="庁"
    )
    for role in ("ciso", "chief_isec_officer", "isec_officer", "deputy_ciso"):
        RoleAssignment.objects.create(person=person, role=role, organization=other)
    with_totp(person)
    return person


@pytest.fixture
def chief(person_with):
    person = person_with("chief_isec_officer", unit="b1", username="chief")
    with_totp(person)
    return person


@pytest.fixture
def document(ciso):
    doc = services_policy.create_document(ciso, title="テスト省対策基準", version="1")
    services_policy.save_item(
        ciso, doc, number="1", title="", text="職員等は、報告すること。", strength="equivalent"
    )
    return doc


def test_another_organisations_officer_gets_404_on_every_policy_page(
    client, login, elsewhere, document
):
    login(elsewhere)
    item = document.items.get()
    reads = [
        reverse("compliance:policy_document", args=[document.pk]),
        reverse("compliance:policy_document_edit", args=[document.pk]),
        reverse("compliance:policy_item_new", args=[document.pk]),
        reverse("compliance:policy_item_edit", args=[document.pk, item.pk]),
        reverse("compliance:policy_item_import", args=[document.pk]),
        reverse("compliance:policy_items_csv", args=[document.pk]),
        reverse("compliance:policy_coverage", args=[document.pk]),
        reverse("compliance:policy_oscal", args=[document.pk]) + "?rulebook=toitsu",
    ]
    for url in reads:
        assert client.get(url).status_code == 404, url
    writes = [
        (reverse("compliance:policy_document_state", args=[document.pk]), {"state": "in_force"}),
        (reverse("compliance:policy_item_delete", args=[document.pk, item.pk]), {}),
        (reverse("compliance:policy_document_edit", args=[document.pk]), {"title": "乗っ取り"}),
    ]
    for url, data in writes:
        assert client.post(url, data).status_code == 404, url
    api = client.get(f"/api/compliance/policies/{document.pk}/coverage")
    assert api.status_code == 404
    document.refresh_from_db()
    assert (document.state, document.title) == (PolicyState.DRAFT, "テスト省対策基準")
    assert PolicyItem.objects.filter(pk=item.pk).exists()
    assert "テスト省対策基準" not in client.get(reverse("compliance:policy")).content.decode()
    with pytest.raises(Forbidden):
        services_policy.set_document_state(elsewhere, document, PolicyState.IN_FORCE)


def test_changes_are_post_only(client, login, ciso, document):
    login(ciso)
    item = document.items.get()
    for url in (
        reverse("compliance:policy_document_state", args=[document.pk]),
        reverse("compliance:policy_item_delete", args=[document.pk, item.pk]),
        reverse("compliance:violation_acknowledge", args=[1]),
        reverse("compliance:violation_escalate", args=[1]),
        reverse("compliance:violation_close", args=[1]),
        reverse("compliance:catalog_import_apply", args=[1]),
        reverse("compliance:catalog_import_discard", args=[1]),
    ):
        assert client.get(url).status_code == 405, url


def test_a_retired_documents_items_no_longer_change(client, login, ciso, document):
    services_policy.set_document_state(ciso, document, PolicyState.RETIRED)
    login(ciso)
    page = client.get(reverse("compliance:policy_document", args=[document.pk])).content.decode()
    assert reverse("compliance:policy_item_new", args=[document.pk]) not in page
    response = client.post(
        reverse("compliance:policy_item_new", args=[document.pk]),
        {"number": "2", "text": "職員等は、記録すること。", "strength": "equivalent"},
    )
    assert "廃止した対策基準の項目は変更できません" in response.content.decode()
    assert document.items.count() == 1
    item = document.items.get()
    client.post(reverse("compliance:policy_item_delete", args=[document.pk, item.pk]))
    assert document.items.count() == 1
    with pytest.raises(InvalidTransition):
        services_policy.save_item(
            ciso, document, item=item, number="1", title="", text="変更", strength="equivalent"
        )


def test_a_pending_import_belongs_to_the_organisation_that_uploaded_it(
    client, login, chief, elsewhere
):
    pending = services_catalog.upload_catalog(chief, "toitsu", "official.yaml", GOOD_YAML.encode())
    login(elsewhere)
    page = client.get(reverse("compliance:catalog_import")).content.decode()
    assert "official.yaml" not in page and str(chief) not in page
    assert (
        client.get(reverse("compliance:catalog_import_preview", args=[pending.pk])).status_code
        == 404
    )
    for name in ("catalog_import_apply", "catalog_import_discard"):
        assert client.post(reverse(f"compliance:{name}", args=[pending.pk])).status_code == 404
    with pytest.raises(Forbidden):
        services_catalog.apply_import(elsewhere, pending)
    pending.refresh_from_db()
    assert pending.state == ImportState.PENDING and pending.entries
    # Once applied by its own organisation, the shared catalog names that organisation to
    # others, not the person who imported it.
    services_catalog.apply_import(chief, pending)
    page = client.get(reverse("compliance:catalog")).content.decode()
    assert "テスト省" in page and str(chief) not in page
    login(chief)
    assert str(chief) in client.get(reverse("compliance:catalog")).content.decode()


def test_an_oversized_upload_is_refused_before_it_is_read(settings):
    settings.UPLOAD_MAX_BYTES = 10

    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("read before the size was checked")

    with pytest.raises(InvalidInput) as refused:
        imports.read_upload(Unreadable("a.yaml", b"x" * 11), ("yaml",))
    assert "ファイルが大きすぎます" in str(refused.value.message)
    with pytest.raises(InvalidInput) as refused:
        imports.read_upload(Unreadable("a.exe", b"x"), ("yaml", "xlsx"))
    assert ".yaml、.xlsx" in str(refused.value.message)
    assert imports.read_upload(SimpleUploadedFile("C:\\tmp\\a.yaml", b"ok"), ("yaml",)) == (
        "a.yaml",
        b"ok",
    )


def test_nobody_outside_the_chain_acts_on_a_violation_report(
    client, login, staff, other_staff, isec_officer, person_with, elsewhere
):
    report = violations.report_violation(staff, title="私物USB", description="複製していた。")
    detail = reverse("compliance:violation_detail", args=[report.pk])
    actions = [
        reverse(f"compliance:{name}", args=[report.pk])
        for name in ("violation_acknowledge", "violation_escalate", "violation_close")
    ]
    other_unit_officer = person_with("isec_officer", unit="b2", scope="b2")
    for person in (other_staff, other_unit_officer, elsewhere):
        login(person)
        assert client.get(detail).status_code == 404
        for url in actions:
            assert client.post(url, {"note": "x"}).status_code == 404
        assert "私物USB" not in client.get("/api/compliance/violations").content.decode()
    with pytest.raises(Forbidden):
        violations.acknowledge(elsewhere, report)
    # The reporter sees the report but cannot move it along.
    login(staff)
    assert client.get(detail).status_code == 200
    for url in actions:
        client.post(url, {"note": "自分で進める"})
    report.refresh_from_db()
    (step,) = report.steps.all()
    assert report.status == ViolationStatus.REPORTED and step.acknowledged_at is None
    assert ViolationReport.objects.count() == 1


def test_my_reports_run_a_constant_number_of_queries(client, login, staff, isec_officer, chief):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("compliance:violation_mine"))
        assert response.status_code == 200
        return len(queries), response.content.decode()

    violations.report_violation(staff, title="一件目", description="内容")
    login(staff)
    few, _page = count()
    for n in range(5):
        report = violations.report_violation(staff, title=f"件{n}", description="内容")
        if n % 2:
            violations.escalate(isec_officer, report)
    many, page = count()
    assert "件4" in page and "一件目" in page
    assert many == few


def test_a_reporter_who_holds_a_role_in_the_chain_never_handles_their_own_report(
    person_with, isec_officer, chief
):
    """The 統括 reporting a violation as a member of staff: the report goes up the chain to
    another 統括, and the reporter cannot acknowledge or move it themselves."""
    report = violations.report_violation(chief, title="自分の報告", description="内容")
    violations.acknowledge(isec_officer, report)
    with pytest.raises(InvalidInput):  # the only 統括 is the reporter: nobody to report to
        violations.escalate(isec_officer, report)
    report.refresh_from_db()
    assert report.status == ViolationStatus.REPORTED and report.steps.count() == 1
    second = person_with("chief_isec_officer", unit="b2", username="second-chief")
    violations.escalate(isec_officer, report)
    step = report.steps.get(order=2)
    assert step.recipient == second
    for action in (violations.acknowledge, violations.escalate):
        with pytest.raises(Forbidden):
            action(chief, report)
    step.refresh_from_db()
    assert step.acknowledged_at is None
