import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook

from mamori.assets import importer, services
from mamori.assets.models import InformationAsset
from mamori.trail.models import Event

HEADER = ["番号", "名称", "所管部署", "機密性", "完全性", "可用性", "取扱制限", "媒体", "作成元"]


def csv_file(rows, header=HEADER, name="assets.csv"):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, ("\ufeff" + buffer.getvalue()).encode("utf-8"))


def xlsx_file(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("assets.xlsx", buffer.getvalue())


GOOD = [
    ["", "予算資料", "d1", "2", "", "", "人事課限り・複製禁止", "電磁的記録", ""],
    ["", "会議録", "", "1", "2", "2", "", "electronic", ""],
]
BAD = [
    ["", "予算資料", "d1", "2", "", "", "", "電磁的記録", ""],  # fine
    ["", "", "d1", "4", "", "", "", "電磁的記録", ""],  # title and 機密性
    ["", "紙の資料", "d1", "1", "2", "", "", "書面", ""],  # paper with 完全性
    ["", "よその資料", "d3", "1", "", "", "大声禁止", "電磁的記録", "A-999999"],
]


@pytest.mark.parametrize("build", [csv_file, xlsx_file])
def test_good_file_imports_every_row_with_a_trail_event_each(staff, build):
    result = importer.import_assets(staff, build(GOOD))
    assert not result.errors and len(result.created) == 2
    first = InformationAsset.objects.get(title="予算資料")
    assert first.marking == "機密性２情報・人事課限り・複製禁止"
    second = InformationAsset.objects.get(title="会議録")
    assert (second.unit, second.integrity) == (staff.unit, 2)
    assert Event.objects.filter(action="assets.asset.created").count() == 2


@pytest.mark.parametrize("build", [csv_file, xlsx_file])
def test_any_bad_row_imports_nothing_and_every_bad_row_is_reported(staff, build):
    result = importer.import_assets(staff, build(BAD))
    assert not InformationAsset.objects.exists()
    assert not Event.objects.filter(action__startswith="assets.").exists()
    found = {(e.row, e.column) for e in result.errors}
    assert {(3, "名称"), (3, "機密性"), (4, "完全性")} <= found
    assert {(5, "所管部署"), (5, "取扱制限"), (5, "作成元")} <= found
    assert 2 not in {e.row for e in result.errors}
    paper = next(e for e in result.errors if (e.row, e.column) == (4, "完全性"))
    assert "書面" in paper.message


def test_rows_with_a_reference_update_and_sources_inherit(staff):
    secret = services.create(staff, title="元資料", confidentiality=3)
    existing = services.create(staff, title="旧名称", confidentiality=1)
    rows = [[existing.reference, "新名称", "", "1", "", "", "", "", secret.reference]]
    result = importer.import_assets(staff, csv_file(rows))
    assert not result.errors and len(result.updated) == 1
    existing.refresh_from_db()
    assert (existing.title, existing.confidentiality) == ("新名称", 3)


def test_export_then_import_round_trips(client, login, staff):
    services.create(
        staff,
        title="往復",
        confidentiality=2,
        restrictions=[{"code": "viewers_limited", "detail": "課長"}],
    )
    login(staff)
    exported = b"".join(client.get(reverse("assets:export")).streaming_content)
    InformationAsset.objects.all().delete()
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    for row in rows[1:]:
        row[0] = ""  # register afresh
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    result = importer.import_assets(
        staff, SimpleUploadedFile("again.csv", buffer.getvalue().encode("utf-8"))
    )
    assert not result.errors, result.errors
    assert InformationAsset.objects.get().marking == "機密性２情報・課長限り"


def test_unknown_reference_and_unknown_column(staff, outsider):
    hidden = services.create(outsider, title="他課の資料")
    result = importer.import_assets(
        staff, csv_file([[hidden.reference, "x", "", "1", "", "", "", "", ""]])
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "番号")]
    header = importer.import_assets(staff, csv_file([["a"]], header=["名称", "色"]))
    assert header.errors[0].column == "色"


@override_settings(UPLOAD_MAX_BYTES=100)
def test_files_over_the_limit_are_refused_on_the_page(client, login, staff):
    login(staff)
    response = client.post(reverse("assets:import"), {"file": csv_file(GOOD)})
    assert "ファイルが大きすぎます" in response.content.decode()
    assert not InformationAsset.objects.exists()


def test_import_page_shows_counts_and_bad_rows(client, login, staff):
    login(staff)
    bad = client.post(reverse("assets:import"), {"file": xlsx_file(BAD)}).content.decode()
    assert "何も取り込みませんでした" in bad and "import-errors" in bad
    good = client.post(reverse("assets:import"), {"file": csv_file(GOOD)}).content.decode()
    assert "2行を取り込みました（新規 2件、更新 0件）" in good


def test_other_file_types_are_refused(client, login, staff):
    login(staff)
    upload = SimpleUploadedFile("assets.txt", b"hello")
    body = client.post(reverse("assets:import"), {"file": upload}).content.decode()
    assert ".xlsx" in body and not InformationAsset.objects.exists()
