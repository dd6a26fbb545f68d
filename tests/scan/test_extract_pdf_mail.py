"""PDF through PDFium, and e-mail with Japanese charsets and attachments."""

from __future__ import annotations

import pytest

from mamori.scan.types import Limits, Unscannable

from .files import MY_NUMBER, docx_bytes, eml_bytes, encrypted_pdf_bytes, extracted, pdf_bytes


def test_pdf_japanese_text_is_read_per_page_with_the_title():
    html = (
        "<html><head><title>機密性２ 調査報告</title></head><body>"
        "<p>機密性２ 取扱注意</p><p>氏名 山田太郎</p>"
        '<p style="page-break-before: always">二ページ目 個人番号 '
        f"{MY_NUMBER}</p></body></html>"
    )
    parts, _ = extracted("報告.pdf", pdf_bytes(html))
    assert parts["ページ 1"].split("\n") == ["機密性２ 取扱注意", "氏名 山田太郎"]
    assert parts["ページ 2"] == f"二ページ目 個人番号 {MY_NUMBER}"
    assert parts["プロパティ: title"] == "機密性２ 調査報告"


def test_a_password_protected_pdf_is_encrypted():
    import pypdfium2

    data = encrypted_pdf_bytes("SECRET REPORT")
    # It is a real encrypted PDF: with its password PDFium reads the page.
    with pypdfium2.PdfDocument(data, password="secret") as document:
        assert document[0].get_textpage().get_text_range() == "SECRET REPORT"
    with pytest.raises(Unscannable) as error:
        extracted("保護.pdf", data)
    assert error.value.reason == "encrypted"


def test_a_damaged_pdf_is_corrupt():
    data = pdf_bytes("<p>本文</p>")
    with pytest.raises(Unscannable) as error:
        extracted("壊れた.pdf", data[: len(data) // 3])
    assert error.value.reason == "corrupt"


def test_a_pdf_over_its_time_is_stopped_between_pages():
    data = pdf_bytes("<p>一</p><p style='page-break-before: always'>二</p>")
    with pytest.raises(Unscannable) as error:
        extracted("遅い.pdf", data, limits=Limits(seconds_per_file=0))
    assert error.value.reason == "timeout"


def test_eml_iso_2022_jp_subject_addresses_bodies_and_attachment():
    attachment = docx_bytes(["添付の本文"], header="機密性２")
    data = eml_bytes(
        subject="【機密性２】名簿の送付について",
        body="山田様\n\n個人番号 " + MY_NUMBER + " を送ります。\n",
        html="<p>HTML版：<b>取扱注意</b></p>",
        attachments={"職員名簿.docx": attachment},
    )
    assert b"\x1b$B" in data  # the body really is ISO-2022-JP on the wire
    assert "【機密性２】".encode() not in data  # and the subject an encoded word
    parts, children = extracted("送付.eml", data)
    assert parts["件名"] == "【機密性２】名簿の送付について"
    assert parts["差出人"] == "山田 太郎 <taro.yamada@example.go.jp>"
    assert parts["宛先"] == "佐藤 花子 <hanako.sato@example.go.jp>"
    assert parts["本文"] == f"山田様\n\n個人番号 {MY_NUMBER} を送ります。\n"
    assert "HTML版：取扱注意" in parts["本文 (HTML)"]
    assert [(child.name, child.data) for child in children] == [("職員名簿.docx", attachment)]


def test_eml_shift_jis_body_is_decoded():
    data = eml_bytes(subject="件名", body="機密性３ 要保全\n", charset="shift_jis")
    assert extracted("a.eml", data)[0]["本文"] == "機密性３ 要保全\n"


def test_an_attached_mail_is_a_child_eml_and_its_body_is_not_the_outer_body():
    from email.message import EmailMessage

    inner = EmailMessage()
    inner["Subject"] = "転送元"
    inner.set_content("内側の本文 機密性２")
    outer = EmailMessage()
    outer["Subject"] = "転送"
    outer.set_content("外側の本文")
    outer.add_attachment(inner)
    parts, children = extracted("fwd.eml", outer.as_bytes())
    assert parts["本文"].strip() == "外側の本文"
    assert len(children) == 1 and children[0].name.endswith(".eml")
    inner_parts, _ = extracted(children[0].name, children[0].data)
    assert inner_parts["件名"] == "転送元"
    assert inner_parts["本文"].strip() == "内側の本文 機密性２"


def test_attachments_past_the_depth_limit_are_reported_not_read():
    data = eml_bytes(subject="s", body="b", attachments={"a.docx": docx_bytes(["x"])})
    _, children = extracted("m.eml", data, limits=Limits(max_depth=1), depth=1)
    assert [(child.name, child.reason, child.data) for child in children] == [
        ("a.docx", "too_deep", b"")
    ]


def test_outlook_iso_2022_jp_with_nec_special_characters_is_decoded():
    # Windows mailers put NEC row 13 (① is 13-1, ㈱ is 13-74) in "ISO-2022-JP" mail,
    # which Python's strict codecs refuse; the body must still read as Japanese.
    body = b"\x1b$B%a%b\x1b(B: \x1b$B-!\x1b(B \x1b$B-j\x1b(B \x1b$B5!L)@-#2\x1b(B\r\n"
    raw = (
        b"From: a@example.jp\r\nTo: b@example.jp\r\nSubject: test\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: text/plain; charset="ISO-2022-JP"\r\nContent-Transfer-Encoding: 7bit\r\n\r\n'
        + body
    )
    parts, _ = extracted("outlook.eml", raw)
    assert parts["本文"].strip() == "メモ: ① ㈱ 機密性２"
