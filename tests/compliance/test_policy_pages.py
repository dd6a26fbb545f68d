"""The 対策基準 pages: who may read and edit, items with their mapped requirements, the
Excel import (all or nothing), the coverage view and a constant number of queries."""

from __future__ import annotations

import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mamori.compliance import catalogs, services_policy
from mamori.compliance.models import PolicyDocument, PolicyItem, Strength
from mamori.trail.models import Event

STRICT = "最高情報セキュリティ責任者は、当省の情報セキュリティ対策推進体制の責任者を定めること。"
SOFT = "教育実施計画に基づき、職員に対して教育を受けさせるよう努める。"


@pytest.fixture(autouse=True)
def _fresh_cache():
    catalogs.clear_cache()


@pytest.fixture
def document(ciso):
    return services_policy.create_document(
        ciso, title="テスト省情報セキュリティ対策基準", version="令和7年度版"
    )


def xlsx(rows, sheet="対策基準") -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_staff_get_403_and_isec_officers_read_only(client, login, staff, isec_officer, document):
    login(staff)
    assert client.get(reverse("compliance:policy")).status_code == 403
    assert client.get(reverse("compliance:policy_document", args=[document.pk])).status_code == 403
    new_item = reverse("compliance:policy_item_new", args=[document.pk])
    assert (
        client.post(new_item, {"number": "1", "text": "x", "strength": "equivalent"}).status_code
        == 403
    )
    login(isec_officer)
    assert client.get(reverse("compliance:policy_document", args=[document.pk])).status_code == 200
    assert client.get(new_item).status_code == 403
    assert (
        client.post(reverse("compliance:policy"), {"title": "x", "version": "1"}).status_code == 403
    )
    assert (
        client.post(
            reverse("compliance:policy_item_import", args=[document.pk]),
            {"file": SimpleUploadedFile("a.xlsx", xlsx([["項番", "本文"], ["1", "x"]]))},
        ).status_code
        == 403
    )
    assert PolicyItem.objects.count() == 0 and PolicyDocument.objects.count() == 1


def test_the_ciso_creates_a_document_and_items_with_their_requirements(client, login, ciso):
    login(ciso)
    response = client.post(
        reverse("compliance:policy"),
        {"title": "対策基準", "version": "第1版", "review_date": "2027-03-01"},
    )
    document = PolicyDocument.objects.get()
    assert response.status_code == 302 and document.review_date == datetime.date(2027, 3, 1)
    url = reverse("compliance:policy_item_new", args=[document.pk])
    response = client.post(
        url,
        {
            "number": "2.1",
            "title": "体制",
            "text": STRICT,
            "requirements": "2.1.1(6)(b), mic_pii:第2条",
            "strength": "equivalent",
        },
    )
    assert response.status_code == 302
    item = PolicyItem.objects.get()
    assert sorted(m.key for m in item.mappings.all()) == ["mic_pii:第2条", "toitsu:2.1.1(6)(b)"]
    assert Event.objects.filter(action="compliance.policy_item.created").exists()
    # Refusals: unknown clause, a heading, a weaker item without its reason, a duplicate number.
    page = client.post(
        url,
        {
            "number": "2.1",
            "text": "x",
            "requirements": "9.9.9(9)(z), 2.1.1",
            "strength": "weaker",
        },
    ).content.decode()
    assert "「9.9.9(9)(z)」" in page and "見出しではなく遵守事項" in page
    assert (
        "緩和する場合は理由を記入してください。" in page and "項番「2.1」は既にあります。" in page
    )
    assert PolicyItem.objects.count() == 1
    # In force, then its list shows the item and exports CSV.
    client.post(
        reverse("compliance:policy_document_state", args=[document.pk]), {"state": "in_force"}
    )
    document.refresh_from_db()
    assert document.state == "in_force"
    page = client.get(reverse("compliance:policy_document", args=[document.pk])).content.decode()
    assert "2.1.1(6)(b), mic_pii:第2条" in page
    body = b"".join(
        client.get(reverse("compliance:policy_items_csv", args=[document.pk])).streaming_content
    ).decode()
    assert body.startswith("\ufeff項番,見出し") and "2.1.1(6)(b)" in body


def test_an_excel_import_with_bad_rows_changes_nothing_and_lists_every_error(
    client, login, ciso, document
):
    login(ciso)
    data = xlsx(
        [
            ["項番", "見出し", "本文", "対応する遵守事項", "遵守事項との関係", "緩和の理由"],
            ["1", "体制", STRICT, "2.1.1(6)(b)", "同等", None],
            ["2", None, None, "2.1.1(6)(a)", None, None],
            ["3", None, SOFT, "9.9.9(9)(z)", "緩和", None],
            ["1", None, STRICT, "2.1.1(6)(a)", "すごく厳格", None],
        ]
    )
    response = client.post(
        reverse("compliance:policy_item_import", args=[document.pk]),
        {"file": SimpleUploadedFile("policy.xlsx", data)},
    )
    page = response.content.decode()
    assert "対策基準!3: 本文を入力してください。" in page
    assert "対策基準!4: 緩和する場合は理由を記入してください。" in page
    assert "対策基準!4: 「9.9.9(9)(z)」" in page
    assert "対策基準!5: 遵守事項との関係が不明です。" in page
    assert "対策基準!5: 項番「1」が重複しています（対策基準!2）。" in page
    assert PolicyItem.objects.count() == 0
    # the clean file imports every row
    data = xlsx(
        [
            ["項番", "見出し", "本文", "対応する遵守事項", "遵守事項との関係", "緩和の理由"],
            ["1", "体制", STRICT, "2.1.1(6)(b)", "同等", None],
            ["2", "教育", SOFT, "2.2.3(2)(a)", "緩和", "予算の都合"],
        ]
    )
    response = client.post(
        reverse("compliance:policy_item_import", args=[document.pk]),
        {"file": SimpleUploadedFile("policy.xlsx", data)},
    )
    assert response.status_code == 302
    assert list(PolicyItem.objects.values_list("number", "strength")) == [
        ("1", Strength.EQUIVALENT),
        ("2", Strength.WEAKER),
    ]


def test_coverage_lists_unmapped_requirements_and_weaker_items(client, login, ciso, document):
    services_policy.save_item(
        ciso,
        document,
        number="1",
        title="",
        text=STRICT,
        strength="equivalent",
        requirements="2.1.1(6)(b)",
    )
    services_policy.save_item(
        ciso,
        document,
        number="2",
        title="",
        text=SOFT,
        strength="equivalent",
        requirements="2.2.3(2)(a)",
    )
    services_policy.save_item(
        ciso,
        document,
        number="3",
        title="",
        strength="weaker",
        weaker_reason="小規模な組織のため",
        text="統括情報セキュリティ責任者は、教育すべき事項を見直すこと。",
        requirements="2.2.3(1)(b)",
    )
    login(ciso)
    page = client.get(reverse("compliance:policy_coverage", args=[document.pk])).content.decode()
    toitsu = catalogs.effective_catalog("toitsu")
    required = [e for e in toitsu.entries if e.checkable and "national" in e.org_kinds]
    assert f"対応あり 3 / {len(required)} 件" in page
    unmapped = page.split('id="unmapped-toitsu"')[1].split("</table>")[0]
    assert "統一基準(R7) 2.2.1(2)(a)" in unmapped and "2.1.1(6)(b)" not in unmapped
    assert "?rulebook=toitsu&amp;section=2.2.1%282%29%28a%29" in unmapped
    weaker = page.split('id="weaker-toitsu"')[1].split("</table>")[0]
    assert "義務を「努める」に弱めている" in weaker
    assert "義務を負う「課室情報セキュリティ責任者」が書かれていない" in weaker
    assert "緩和と申告: 小規模な組織のため" in weaker
    assert STRICT not in weaker
    # the organisation follows the 総務省 directive too: its own section
    assert 'id="unmapped-mic_pii"' in page and 'id="unmapped-mod"' not in page


def test_the_item_list_runs_a_constant_number_of_queries(client, login, ciso, document):
    login(ciso)
    url = reverse("compliance:policy_document", args=[document.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    services_policy.save_item(
        ciso,
        document,
        number="0",
        title="",
        text=STRICT,
        strength="equivalent",
        requirements="2.1.1(6)(b)",
    )
    few = count()
    for n in range(1, 8):
        services_policy.save_item(
            ciso,
            document,
            number=str(n),
            title="",
            text=STRICT,
            strength="stricter",
            requirements="2.1.1(6)(b), 2.1.1(6)(a)",
        )
    assert count() == few


def test_the_review_date_appears_in_the_calendar(ciso, document):
    from mamori.web.deadlines import deadlines_for

    services_policy.update_document(
        ciso,
        document,
        title=document.title,
        version=document.version,
        effective_date=None,
        review_date=datetime.date(2027, 3, 1),
    )
    found = deadlines_for(
        ciso, datetime.date(2027, 2, 1), datetime.date(2027, 3, 31), ["compliance"]
    )
    assert [(d.due, d.citation) for d in found] == [
        (datetime.date(2027, 3, 1), "統一基準(H30) 2.1.2(1)(a)")
    ]


def test_the_coverage_api(client, login, ciso, staff, document):
    services_policy.save_item(
        ciso,
        document,
        number="1",
        title="",
        text=SOFT,
        strength="equivalent",
        requirements="2.2.3(2)(a)",
    )
    login(ciso)
    (toitsu, pii) = client.get(f"/api/compliance/policies/{document.pk}/coverage").json()
    assert toitsu["rulebook"] == "toitsu" and toitsu["covered"] == 1
    assert "2.2.1(2)(a)" in [r["id"] for r in toitsu["unmapped"]]
    (weak,) = toitsu["weaker"]
    assert weak["requirement"] == "2.2.3(2)(a)"
    assert {f["code"] for f in weak["findings"]} == {"softened", "subject_missing"}
    assert pii["rulebook"] == "mic_pii" and pii["covered"] == 0
    login(staff)
    assert client.get(f"/api/compliance/policies/{document.pk}/coverage").status_code == 403
