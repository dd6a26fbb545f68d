"""Word, Excel and PowerPoint files built with the document libraries, read back by the
scanner's own OOXML reader: everything a person could hide a marking in is read."""

from __future__ import annotations

import pytest

from mamori.scan.extract import sniff
from mamori.scan.types import Unscannable

from .files import MY_NUMBER, docx_bytes, extracted, pptx_bytes, xlsx_bytes, zip_bytes


def test_docx_body_table_header_footer_comment_and_properties_are_read():
    data = docx_bytes(
        ["第一段落", "氏名 山田太郎"],
        header="機密性２",
        footer="取扱注意",
        comment="個人番号は削除のこと",
        table=[["氏名", "住所"], ["山田", "東京都千代田区霞が関1-1"]],
        title="調査報告（機密性２）",
        keywords="要機密",
    )
    parts, children = extracted("報告書.docx", data)
    # One line per paragraph, one per table row with cells joined by a tab.
    assert parts["本文"] == "第一段落\n氏名 山田太郎\n氏名\t住所\n山田\t東京都千代田区霞が関1-1"
    assert parts["ヘッダー"] == "機密性２"
    assert parts["フッター"] == "取扱注意"
    assert parts["コメント"] == "個人番号は削除のこと"
    assert parts["プロパティ: title"] == "調査報告（機密性２）"
    assert parts["プロパティ: keywords"] == "要機密"
    assert children == []


def test_a_docx_renamed_bin_is_still_read_as_word():
    data = docx_bytes(["機密性３の本文"])
    assert sniff("attachment.bin", data) == "docx"
    assert extracted("attachment.bin", data)[0]["本文"] == "機密性３の本文"


def test_a_zip_holding_a_word_document_is_a_word_document():
    data = docx_bytes(["本文"])
    assert sniff("archive.zip", data) == "docx"


def test_docx_deleted_tracked_text_and_text_boxes_are_read_once():
    body = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>'
        "<w:p><w:r><w:t>残す</w:t></w:r><w:del><w:r><w:delText>消した機密性２</w:delText></w:r></w:del></w:p>"
        "<w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>箱の中</w:t></w:r></w:p>"
        "</w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent><w:p><w:r><w:t>箱の中</w:t></w:r></w:p>"
        "</w:txbxContent></mc:Fallback></mc:AlternateContent><w:t>外</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    data = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": body.encode()})
    parts, _ = extracted("x.docx", data)
    assert parts["本文"] == "残す消した機密性２\n箱の中\n外"


def test_a_truncated_docx_is_corrupt():
    data = docx_bytes(["本文"])[:400]
    with pytest.raises(Unscannable) as error:
        extracted("壊れた.docx", data)
    assert error.value.reason == "corrupt"


def test_a_docx_with_broken_xml_is_corrupt():
    data = zip_bytes({"word/document.xml": b"<w:document><w:body><w:p>"})
    with pytest.raises(Unscannable) as error:
        extracted("x.docx", data)
    assert error.value.reason == "corrupt"


def test_an_office_file_embedded_in_a_docx_is_a_child():
    inner = xlsx_bytes({"名簿": [["機密性２"]]})
    outer = docx_bytes(["本文"])
    import io
    import zipfile

    buffer = io.BytesIO(outer)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("word/embeddings/Microsoft_Excel_Worksheet.xlsx", inner)
    _, children = extracted("x.docx", buffer.getvalue())
    assert [child.name for child in children] == ["word/embeddings/Microsoft_Excel_Worksheet.xlsx"]
    assert children[0].data == inner


def test_xlsx_reads_every_sheet_including_hidden_ones_line_per_row():
    data = xlsx_bytes(
        {
            "名簿": [["氏名", "個人番号"], ["山田", int(MY_NUMBER)], [None], ["佐藤", "未記入"]],
            "隠し": [["機密性３"]],
        },
        hidden=("隠し",),
        header="機密性２",
    )
    parts, _ = extracted("名簿.xlsx", data)
    assert parts["シート名"] == "名簿\n隠し"
    # Row 4 is on line 4: the empty row 3 keeps its line.
    assert parts["名簿"].split("\n") == ["氏名\t個人番号", f"山田\t{MY_NUMBER}", "", "佐藤\t未記入"]
    assert parts["隠し (非表示)"] == "機密性３"
    assert parts["名簿 ヘッダー/フッター"] == "機密性２"
    assert parts["プロパティ: creator"] == "openpyxl"


def test_xlsx_rows_keep_their_numbers_when_rows_are_skipped():
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    sheet["B5"] = "機密性２"
    sheet["A9"] = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    lines = extracted("x.xlsx", buffer.getvalue())[0]["Sheet1"].split("\n")
    assert len(lines) == 9 and lines[4] == "機密性２" and lines[8] == "TRUE"


def test_xlsx_cell_comments_are_read():
    import io

    import openpyxl
    from openpyxl.comments import Comment

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "集計"
    sheet["A1"] = "値"
    sheet["A1"].comment = Comment("個人番号を含む 取扱注意", "担当")
    buffer = io.BytesIO()
    workbook.save(buffer)
    parts, _ = extracted("x.xlsx", buffer.getvalue())
    assert parts["集計 コメント"].startswith("A1: ")
    assert "取扱注意" in parts["集計 コメント"]


def test_pptx_slides_notes_and_tables_are_parts_per_slide():
    data = pptx_bytes(
        [("表紙", "機密性２\n二行目", "説明は取扱注意"), ("二枚目", "本文", None)],
        table=[["氏名", "電話"], ["山田", "03-1234-5678"]],
    )
    parts, _ = extracted("説明資料.pptx", data)
    assert parts["スライド 1"] == "表紙\n機密性２\n二行目"
    assert parts["スライド 1 ノート"] == "説明は取扱注意"
    assert parts["スライド 2"] == "二枚目\n本文"
    assert "スライド 2 ノート" not in parts
    assert parts["スライド 3"].split("\n")[-2:] == ["氏名\t電話", "山田\t03-1234-5678"]


def test_an_entity_expansion_attack_in_a_docx_is_refused():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&c;</w:t></w:r></w:p></w:body></w:document>"
    )
    data = zip_bytes({"word/document.xml": laughs.encode()})
    with pytest.raises(Unscannable) as error:
        extracted("laughs.docx", data)
    assert error.value.reason == "corrupt" and "DTD" in str(error.value)


def test_excel_shared_strings_very_hidden_sheets_footers_and_custom_properties():
    from .files import excel_style_xlsx_bytes

    parts, _ = extracted("職員.xlsx", excel_style_xlsx_bytes())
    # Rich-text runs are joined; the furigana reading is not part of the cell.
    assert parts["職員"].split("\n") == ["氏名\t2", f"山田太郎\t{MY_NUMBER}\tTRUE\t#N/A"]
    assert parts["控え (非表示)"].split("\n") == ["", "", "機密性２"]
    footer = parts["職員 ヘッダー/フッター"]
    assert "取扱注意" in footer and "ゴシック" not in footer and "&" not in footer
    assert parts["プロパティ: 格付"] == "機密性２"
