"""Importing the official catalog through the pages: a bad row changes nothing and every
error is listed; a clean file is previewed, applied by a confirmation POST from the stored
entries, and then `effective_catalog` returns the full texts. The catalog browser."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mamori.compliance import catalogs
from mamori.compliance.models import CatalogImport, ImportState
from mamori.trail.models import Event

GOOD_YAML = """\
rulebook: toitsu
entries:
- {id: 2.2.4(2)(b), edition: FY2018, text: 職員等は、情報セキュリティインシデントの報告を受けた場合は、指示に従うこと。, roles: [all_staff]}
- {id: 2.2.4(2)(z), edition: R7, text: 追加の遵守事項。, roles: [ciso]}
"""
BAD_YAML = """\
rulebook: toitsu
entries:
- {id: 2.2.4(2)(b), edition: FY2018, text: 職員等は、報告すること。, roles: [all_staff]}
- {id: 2.2.4(2)(c), edition: FY2018, text: 確認すること。, roles: [ghost]}
- {id: 2.2.4(2)(d), edition: R9, text: 記録すること。, roles: [all_staff]}
"""


@pytest.fixture(autouse=True)
def _fresh_cache():
    catalogs.clear_cache()
    yield
    catalogs.clear_cache()


@pytest.fixture
def chief(person_with):
    from tests.conftest import with_totp

    person = person_with("chief_isec_officer", unit="b1", username="chief")
    with_totp(person)
    return person


def xlsx(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "統一基準"
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, name: str, data: bytes, rulebook: str = "toitsu"):
    return client.post(
        reverse("compliance:catalog_import"),
        {"rulebook": rulebook, "file": SimpleUploadedFile(name, data)},
    )


def test_a_yaml_file_with_bad_rows_changes_nothing_and_lists_every_error(client, login, chief):
    login(chief)
    response = upload(client, "official.yaml", BAD_YAML.encode())
    page = response.content.decode()
    assert response.status_code == 200
    assert 'official.yaml:4: 2.2.4(2)(c): unknown role code "ghost"' in page.replace("&quot;", '"')
    assert "official.yaml:5: 2.2.4(2)(d): edition must be one of R7, FY2018" in page
    assert "何も変更していません（2件）" in page
    assert CatalogImport.objects.count() == 0
    assert catalogs.effective_catalog("toitsu").get("2.2.4(2)(b)").abbreviated


def test_an_excel_file_with_bad_rows_lists_sheet_and_row(client, login, chief):
    login(chief)
    data = xlsx(
        [
            ["id", "text", "roles", "edition"],
            ["2.2.4(2)(b)", "職員等は、報告すること。", "all_staff", "FY2018"],
            ["2.2.4(2)(c)", "職員等は、確認すること。", "all_staff, ghost", "R7"],
            ["2.2.4(2)(d)", "職員等は、記録すること。", "all_staff", "R9"],
        ]
    )
    page = upload(client, "official.xlsx", data).content.decode().replace("&quot;", '"')
    assert '統一基準!3: 2.2.4(2)(c): unknown role code "ghost"' in page
    assert "統一基準!4: 2.2.4(2)(d): edition must be one of R7, FY2018" in page
    assert CatalogImport.objects.count() == 0


def test_a_clean_import_is_previewed_then_applied_and_fills_the_abbreviated_text(
    client, login, chief
):
    login(chief)
    assert catalogs.effective_catalog("toitsu").get("2.2.4(2)(b)").abbreviated
    response = upload(client, "official.yaml", GOOD_YAML.encode())
    pending = CatalogImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("compliance:catalog_import_preview", args=[pending.pk])
    assert (pending.state, pending.filled, pending.added, pending.conflicts) == (
        ImportState.PENDING,
        1,
        1,
        0,
    )
    # Not applied yet: the effective catalog is still the committed one.
    assert catalogs.effective_catalog("toitsu").get("2.2.4(2)(b)").abbreviated
    preview = client.get(response["Location"]).content.decode()
    assert "指示に従うこと。" in preview and "2.2.4(2)(z)" in preview
    # The confirmation applies the stored entries; posted data is ignored.
    response = client.post(
        reverse("compliance:catalog_import_apply", args=[pending.pk]),
        {"entries": "[]", "text": "forged"},
    )
    assert response.status_code == 302
    catalog = catalogs.effective_catalog("toitsu")
    clause = catalog.get("2.2.4(2)(b)")
    assert not clause.abbreviated and clause.text.endswith("指示に従うこと。")
    assert clause.checkable and "2.2.4(2)(z)" in catalog
    assert catalogs.effective_catalogs()["toitsu"].get("2.2.4(2)(b)").text == clause.text
    assert set(Event.objects.values_list("action", flat=True)) >= {
        "compliance.catalog_import.uploaded",
        "compliance.catalog_import.applied",
    }
    # Applying twice is refused.
    client.post(reverse("compliance:catalog_import_apply", args=[pending.pk]))
    assert Event.objects.filter(action="compliance.catalog_import.applied").count() == 1
    # The browser shows the imported text.
    page = client.get(reverse("compliance:catalog"), {"q": "指示に従うこと"}).content.decode()
    assert "2.2.4(2)(b)" in page


def test_a_discarded_import_changes_nothing(client, login, chief):
    login(chief)
    upload(client, "official.yaml", GOOD_YAML.encode())
    pending = CatalogImport.objects.get()
    client.post(reverse("compliance:catalog_import_discard", args=[pending.pk]))
    pending.refresh_from_db()
    assert pending.state == ImportState.DISCARDED and pending.entries == []
    assert catalogs.effective_catalog("toitsu").get("2.2.4(2)(b)").abbreviated


def test_effective_catalog_costs_one_query_once_cached(chief, django_assert_num_queries):
    from mamori.compliance import services_catalog

    pending = services_catalog.upload_catalog(chief, "toitsu", "a.yaml", GOOD_YAML.encode())
    services_catalog.apply_import(chief, pending)
    catalogs.effective_catalog("toitsu")
    with django_assert_num_queries(1):
        assert not catalogs.effective_catalog("toitsu").get("2.2.4(2)(b)").abbreviated
    with django_assert_num_queries(1):
        assert catalogs.effective_catalog("mod") is catalogs.load_all()["mod"]


def test_staff_and_officers_without_the_role_may_not_import(
    client, login, staff, isec_officer, person_with
):
    login(staff)
    assert client.get(reverse("compliance:catalog_import")).status_code == 403
    assert upload(client, "official.yaml", GOOD_YAML.encode()).status_code == 403
    assert client.get(reverse("compliance:catalog")).status_code == 403
    login(isec_officer)
    assert client.get(reverse("compliance:catalog")).status_code == 200
    assert client.get(reverse("compliance:catalog_import")).status_code == 403
    # the 総括保護管理者 imports the 総務省 directive only
    from tests.conftest import with_totp

    pii_chief = person_with("pii_chief", unit="b1", username="pii-chief")
    with_totp(pii_chief)
    login(pii_chief)
    page = client.get(reverse("compliance:catalog_import")).content.decode()
    assert 'value="mic_pii"' in page and 'value="toitsu"' not in page
    assert upload(client, "official.yaml", GOOD_YAML.encode()).status_code == 200
    assert CatalogImport.objects.count() == 0


def test_the_upload_limit_comes_from_settings(client, login, chief, settings):
    settings.UPLOAD_MAX_BYTES = 100
    login(chief)
    page = upload(client, "official.yaml", GOOD_YAML.encode()).content.decode()
    assert "ファイルが大きすぎます" in page
    assert CatalogImport.objects.count() == 0


def test_the_browser_filters_by_section_role_and_text_and_exports_csv(client, login, isec_officer):
    login(isec_officer)
    url = reverse("compliance:catalog")
    page = client.get(url, {"rulebook": "toitsu", "section": "2.2.1"}).content.decode()
    assert "2.2.1(2)(a)" in page and "3.1.1(6)(b)" not in page
    assert "情報セキュリティ関係規程の運用" in page  # hierarchy: the 款 heading
    page = client.get(url, {"rulebook": "toitsu", "role": "chief_isec_officer"}).content.decode()
    assert "2.2.1(1)(e)" in page and "2.2.1(2)(a)" not in page
    assert "統括情報セキュリティ責任者" in page
    page = client.get(url, {"rulebook": "toitsu", "q": "重大な違反"}).content.decode()
    assert "2.2.1(2)(a)" in page and "2.2.1(1)(e)" not in page
    response = client.get(
        reverse("compliance:catalog_csv"), {"rulebook": "toitsu", "section": "2.2.1"}
    )
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeff番号,出典")
    assert "統一基準(R7) 2.2.1(2)(a)" in body and "3.1.1(6)(b)" not in body
    page = client.get(url, {"rulebook": "mod"}).content.decode()
    assert "防衛省" in page
