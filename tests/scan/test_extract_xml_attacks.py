"""Office XML that declares a DTD is refused however it is encoded, so entity
expansion can never multiply a small file into a huge text."""

import io
import zipfile

import pytest

from mamori.scan import scan_bytes

MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_with_document(document: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="r1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>',
        )
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_entity_declarations_are_refused_in_any_encoding(encoding):
    xml = (
        f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
        '<!DOCTYPE d [<!ENTITY a "機密性２機密性２"><!ENTITY b "&a;&a;&a;&a;">]>'
        f'<w:document xmlns:w="{MAIN}"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    [result] = scan_bytes("攻撃.docx", docx_with_document(xml.encode(encoding)))
    assert result.status == "unscannable"
    assert result.reason == "corrupt"
    assert "機密性２機密性２" not in result.text


def test_a_dtd_after_a_long_comment_is_refused():
    padding = "<!--" + "x" * 2_000_000 + "-->"
    xml = (
        f'<?xml version="1.0"?>{padding}<!DOCTYPE d [<!ENTITY a "秘">]>'
        f'<w:document xmlns:w="{MAIN}"><w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    [result] = scan_bytes("攻撃.docx", docx_with_document(xml.encode()))
    assert result.status == "unscannable"
    assert result.reason == "corrupt"
