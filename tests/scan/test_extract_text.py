"""Plain text in the encodings Japanese offices use, HTML, and telling kinds apart."""

from __future__ import annotations

import pytest

from mamori.scan.extract import sniff
from mamori.scan.extract.text import decode_text
from mamori.scan.types import Unscannable

from .files import extracted

CSV = "氏名,住所,電話\n山田 太郎,東京都千代田区永田町1-6-1,03-1234-5678\nｶﾀｶﾅ,①②,髙橋\n"


@pytest.mark.parametrize("codec", ["utf-8", "cp932", "euc_jp", "utf-8-sig", "utf-16"])
def test_csv_in_each_japanese_encoding_reads_back_the_same_text(codec):
    text = CSV if codec != "euc_jp" else CSV.replace("①②", "二つ").replace("髙", "高")
    parts, _ = extracted("名簿.csv", text.encode(codec))
    assert parts["本文"] == text


def test_shift_jis_and_euc_jp_are_told_apart_even_when_both_decode():
    # Short EUC-JP text that also happens to be valid CP932 (as half-width katakana).
    euc = "機密性２".encode("euc_jp")
    euc.decode("cp932")  # both decode: the guess must come from the characters
    assert decode_text(euc) == "機密性２"
    assert decode_text("機密性２".encode("cp932")) == "機密性２"


def test_iso_2022_jp_is_recognised_by_its_escape_sequences():
    assert decode_text("取扱注意の文書".encode("iso2022_jp")) == "取扱注意の文書"


def test_undecodable_bytes_are_replaced_not_fatal():
    data = "機密性２".encode("cp932") + b"\x81\x20" + "です".encode("cp932")
    text = decode_text(data)
    assert text.startswith("機密性２") and text.endswith("です") and "\ufffd" in text


def test_lines_are_kept_so_a_csv_row_is_a_line():
    parts, _ = extracted("a.csv", CSV.encode("cp932"))
    assert parts["本文"].split("\n")[1].startswith("山田 太郎,")


def test_html_text_without_script_and_style_keeps_title_and_source_lines():
    html = (
        "<!DOCTYPE html>\n<html><head><title>機密性２ 報告</title>\n"
        '<meta name="keywords" content="取扱注意">\n'
        "<style>p { color: red }</style><script>var secret = '要機密';\n</script></head>\n"
        "<body>\n<p>氏名：山田&nbsp;太郎</p>\n<table><tr><td>電話</td><td>03-1234-5678</td></tr></table>\n"
        "</body></html>\n"
    )
    parts, _ = extracted("page.html", html.encode())
    text = parts["本文"]
    assert "要機密" not in text and "color" not in text
    lines = text.split("\n")
    assert "機密性２ 報告" in lines[1]  # source line 2
    assert "氏名：山田\xa0太郎" in lines[6]  # source line 7
    assert "電話" in lines[7] and "03-1234-5678" in lines[7]
    assert parts["メタ情報"] == "keywords: 取扱注意"


def test_html_is_recognised_without_its_extension():
    assert sniff("download", b"  <!doctype html><p>x</p>") == "html"


def test_an_email_without_an_extension_is_recognised_by_its_headers():
    data = b"From: a@example.jp\nTo: b@example.jp\nSubject: x\n\nbody\n"
    assert sniff("message", data) == "eml"
    assert sniff("memo.txt", data) == "text"  # a text file is read as text


def test_a_memo_starting_with_one_header_like_line_is_text():
    assert sniff("memo", "To: 各位\n\n本文です\n".encode()) == "text"


def test_unknown_binary_is_unsupported_and_unknown_text_is_text(tmp_path):
    with pytest.raises(Unscannable) as error:
        extracted("image.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert error.value.reason == "unsupported"
    with pytest.raises(Unscannable) as error:
        extracted("blob.dat", b"\x00\x01\x02\x03" * 100)
    assert error.value.reason == "unsupported"
    parts, _ = extracted("notes.unknownext", "機密性２のメモ".encode("cp932"))
    assert parts["本文"] == "機密性２のメモ"


def test_a_password_protected_office_file_is_encrypted():
    # Office writes a password-protected .docx as an OLE2 file with an EncryptedPackage.
    ole = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le")
    )
    with pytest.raises(Unscannable) as error:
        extracted("保護.docx", ole + b"\x00" * 1024)
    assert error.value.reason == "encrypted"


def test_a_pdf_named_file_without_pdf_bytes_is_corrupt():
    with pytest.raises(Unscannable) as error:
        extracted("report.pdf", b"\x00\x01garbage" * 10)
    assert error.value.reason == "corrupt"


def test_a_text_file_quoting_a_pdf_header_is_still_text():
    data = "PDF の先頭は %PDF-1.7 で始まる。機密性２\n".encode()
    assert sniff("メモ.txt", data) == "text"
    assert sniff("unnamed", b"junk\n%PDF-1.7\n" + b"\x00" * 10) == "pdf"
