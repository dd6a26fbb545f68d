import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from mamori.assets import services
from mamori.assets.models import InformationAsset
from mamori.trail.models import Event

FORM = {
    "title": "予算要求資料",
    "description": "",
    "medium": "electronic",
    "confidentiality": "2",
    "integrity": "",
    "availability": "",
    "restriction_detail": "",
    "marking_method": "header",
    "place": "",
    "retention_until": "",
    "sources": "",
}


def asset(person, **fields):
    fields.setdefault("title", "人事評価記録")
    fields.setdefault("confidentiality", 2)
    return services.create(person, **fields)


def test_staff_registers_through_the_form(client, login, staff, units):
    login(staff)
    response = client.post(
        reverse("assets:new"),
        {**FORM, "unit": units["d1"].pk, "decider": staff.pk, "restrictions": ["copy_prohibited"]},
    )
    created = InformationAsset.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assets:detail", args=[created.pk])
    assert created.marking == "機密性２情報・複製禁止" and created.created_by == staff


def test_form_shows_every_problem_in_japanese(client, login, staff, units):
    login(staff)
    response = client.post(
        reverse("assets:new"),
        {
            **FORM,
            "unit": units["d1"].pk,
            "medium": "paper",
            "integrity": "2",
            "restrictions": ["viewers_limited"],
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "書面には完全性・可用性の格付はありません" in body
    assert "限り」には対象" in body
    assert not InformationAsset.objects.exists()


def test_saving_with_sources_tells_what_was_inherited(client, login, staff, units):
    source = asset(staff, confidentiality=3, restrictions=[{"code": "copy_prohibited"}])
    login(staff)
    response = client.post(
        reverse("assets:new"),
        {**FORM, "unit": units["d1"].pk, "confidentiality": "1", "sources": source.reference},
        follow=True,
    )
    body = response.content.decode()
    assert "機密性を1から3に引き上げました" in body
    assert "統一基準(R7) 3.1.1(3)(b)" in body
    assert "機密性３情報・複製禁止" in body


def test_detail_shows_marking_lineage_and_history_from_the_trail(client, login, staff):
    source = asset(staff, confidentiality=3)
    made = asset(staff, title="集計表", sources=[source.pk])
    services.update(made, staff, place="書庫B")
    login(staff)
    body = client.get(reverse("assets:detail", args=[made.pk])).content.decode()
    assert "機密性３情報" in body and source.reference in body
    assert "保管場所" in body and "変更" in body  # the history names the changed field
    assert f"{reverse('assets:check')}?asset={made.pk}" in body
    other = client.get(reverse("assets:detail", args=[source.pk])).content.decode()
    assert made.reference in other  # derived information is listed on the source


def test_outsider_cannot_see_another_units_asset(client, login, staff, outsider):
    a = asset(staff)
    login(outsider)
    assert client.get(reverse("assets:detail", args=[a.pk])).status_code == 404
    assert a.reference not in client.get(reverse("assets:list")).content.decode()


def test_colleague_sees_but_cannot_edit(client, login, staff, person_with):
    a = asset(staff)
    colleague = person_with(unit="d1")
    login(colleague)
    page = client.get(reverse("assets:detail", args=[a.pk])).content.decode()
    assert reverse("assets:edit", args=[a.pk]) not in page
    assert client.get(reverse("assets:edit", args=[a.pk])).status_code == 403


def test_section_officer_edits(client, login, staff, section_officer, units):
    a = asset(staff)
    login(section_officer)
    response = client.post(
        reverse("assets:edit", args=[a.pk]),
        {**FORM, "title": "改題", "unit": units["d1"].pk, "decider": staff.pk},
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.title == "改題"
    assert Event.objects.filter(action="assets.asset.updated").exists()


def test_publish_button_refuses_confidentiality_2_with_the_clause(client, login, staff):
    a = asset(staff)
    login(staff)
    response = client.post(reverse("assets:state", args=[a.pk]), {"action": "publish"}, follow=True)
    assert "3.1.1(5)(a)" in response.content.decode()
    a.refresh_from_db()
    assert a.state == "in_use"


def test_dispose_page(client, login, staff):
    a = asset(staff)
    login(staff)
    url = reverse("assets:dispose", args=[a.pk])
    refused = client.post(url, {"method": "delete", "certificate": "", "on": "2026-01-05"})
    assert "3.1.1(7)(b)" in refused.content.decode()
    client.post(url, {"method": "overwrite", "certificate": "C-1", "on": "2026-01-05"})
    a.refresh_from_db()
    assert (a.state, a.disposal_certificate) == ("disposed", "C-1")


def test_filters(client, login, staff, isec_officer, units):
    asset(staff, title="高い", confidentiality=3, restrictions=[{"code": "copy_prohibited"}])
    asset(staff, title="低い", confidentiality=1)
    asset(isec_officer, title="会計の", unit=units["d2"], integrity=2)
    login(isec_officer)
    url = reverse("assets:list")

    def titles(**query):
        page = client.get(url, query).context["page"]
        return sorted(a.title for a in page)

    assert titles(confidentiality=3) == ["高い"]
    assert titles(restriction="copy_prohibited") == ["高い"]
    assert titles(category="integrity_critical") == ["会計の"]
    assert titles(category="confidential") == ["会計の", "高い"]
    assert titles(unit=units["d2"].pk) == ["会計の"]
    assert titles(unit=units["b1"].pk) == ["会計の", "低い", "高い"]
    assert titles(q="低") == ["低い"]
    page = client.get(url, {"sort": "-confidentiality"}).context["page"]
    assert [a.confidentiality for a in page] == [3, 2, 1]


def test_list_query_count_does_not_grow_with_rows(client, login, staff):
    login(staff)
    for n in range(5):
        asset(staff, title=f"資料{n}", restrictions=[{"code": "copy_prohibited"}])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("assets:list"))
    for n in range(20):
        asset(staff, title=f"追加{n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("assets:list"))
    assert len(response.context["page"]) == 25
    assert len(many) == len(few)


def test_csv_export_content(client, login, staff):
    source = asset(staff, title="元", confidentiality=3)
    asset(staff, title="派生", restrictions=[{"code": "copy_prohibited"}], sources=[source.pk])
    login(staff)
    response = client.get(reverse("assets:export"), {"sort": "title"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    assert header[:3] == ["番号", "名称", "説明"]
    by_title = {row[1]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert by_title["派生"]["表示"] == "機密性３情報・複製禁止"
    assert by_title["派生"]["作成元"] == source.reference
    assert by_title["派生"]["区分"] == "要機密情報・要保護情報"


def test_xlsx_export_content(client, login, staff):
    asset(staff, title='=HYPERLINK("http://x")', restrictions=[{"code": "takeout_prohibited"}])
    login(staff)
    response = client.get(reverse("assets:export_xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    row = dict(zip(header, rows[1], strict=True))
    assert row["表示"] == "機密性２情報・持出禁止"
    assert row["名称"] == '=HYPERLINK("http://x")'  # text, not a formula
    assert sheet.cell(row=2, column=2).data_type == "s"


@pytest.mark.parametrize("name", ["assets:list", "assets:new", "assets:import"])
def test_pages_need_a_login(client, db, name):
    assert client.get(reverse(name)).status_code == 302


@pytest.mark.parametrize("language", ["ja", "en"])
def test_form_pages_render_in_both_languages(client, login, staff, language):
    a = asset(staff)
    login(staff)
    client.cookies["django_language"] = language
    for url in (reverse("assets:new"), reverse("assets:edit", args=[a.pk])):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
    body = client.get(reverse("assets:new"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert ("Confidentiality 3" if language == "en" else "機密性3") in body
