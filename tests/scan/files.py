"""Builders of real test files: Word, Excel, PowerPoint, PDF, e-mail, zip, in the
encodings and shapes the scanner meets in government offices."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
from email.message import EmailMessage

MY_NUMBER = "123456789018"  # a 12-digit number with a valid 個人番号 check digit


def docx_bytes(
    body: list[str],
    *,
    header: str | None = None,
    footer: str | None = None,
    comment: str | None = None,
    table: list[list[str]] | None = None,
    title: str | None = None,
    keywords: str | None = None,
) -> bytes:
    import docx

    document = docx.Document()
    paragraphs = [document.add_paragraph(text) for text in body]
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    section = document.sections[0]
    if header is not None:
        section.header.paragraphs[0].text = header
    if footer is not None:
        section.footer.paragraphs[0].text = footer
    if comment is not None:
        document.add_comment(paragraphs[0].runs, text=comment, author="査読者")
    if title is not None:
        document.core_properties.title = title
    if keywords is not None:
        document.core_properties.keywords = keywords
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(
    sheets: dict[str, list[list[object]]],
    *,
    hidden: tuple[str, ...] = (),
    header: str | None = None,
) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
        if header is not None:
            sheet.oddHeader.center.text = header
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pptx_bytes(
    slides: list[tuple[str, str, str | None]], *, table: list[list[str]] | None = None
) -> bytes:
    """slides: (title, body, notes or None)."""
    from pptx import Presentation
    from pptx.util import Inches

    presentation = Presentation()
    layout = presentation.slide_layouts[1]  # title and content
    for title, body, notes in slides:
        slide = presentation.slides.add_slide(layout)
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
        if notes is not None:
            slide.notes_slide.notes_text_frame.text = notes
    if table:
        slide = presentation.slides.add_slide(presentation.slide_layouts[5])
        shape = slide.shapes.add_table(
            len(table), len(table[0]), Inches(1), Inches(1), Inches(6), Inches(2)
        )
        for row_index, values in enumerate(table):
            for column, value in enumerate(values):
                shape.table.cell(row_index, column).text = value
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def pdf_bytes(html: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf()


def zip_bytes(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def nested_zip(depth: int, inner_name: str, inner: bytes) -> bytes:
    """`inner` wrapped in `depth` zips: level1.zip!level2.zip!…!inner_name."""
    data, name = inner, inner_name
    for level in range(depth, 0, -1):
        data, name = zip_bytes({name: data}), f"level{level}.zip"
    return data


def flag_encrypted(data: bytes, member: str) -> bytes:
    """Set the "encrypted" flag of `member` in a zip, in both its local header and the
    central directory, as a password-protecting zip tool does."""
    raw = bytearray(data)
    encoded = member.encode()
    # (signature, offset of the flags, of the name's length, of the name) per header kind
    headers = ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46))
    for signature, flag_offset, length_offset, name_offset in headers:
        start = 0
        while (start := raw.find(signature, start)) != -1:
            name_length = struct.unpack_from("<H", raw, start + length_offset)[0]
            if raw[start + name_offset : start + name_offset + name_length] == encoded:
                flags = struct.unpack_from("<H", raw, start + flag_offset)[0]
                struct.pack_into("<H", raw, start + flag_offset, flags | 0x1)
            start += 4
    return bytes(raw)


def eml_bytes(
    *,
    subject: str,
    body: str,
    charset: str = "iso-2022-jp",
    html: str | None = None,
    attachments: dict[str, bytes] | None = None,
) -> bytes:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = "山田 太郎 <taro.yamada@example.go.jp>"
    message["To"] = "佐藤 花子 <hanako.sato@example.go.jp>"
    message.set_content(body, charset=charset)
    if html is not None:
        message.add_alternative(html, subtype="html", charset="utf-8")
    for name, data in (attachments or {}).items():
        message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return message.as_bytes()


# --- an encrypted PDF, by the standard security handler (RC4, 40-bit, revision 2) ---------

_PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def encrypted_pdf_bytes(text: str, user_password: str = "secret") -> bytes:
    """A one-page PDF showing `text` (ASCII) that opens only with `user_password`."""
    padded_user = (user_password.encode() + _PAD)[:32]
    padded_owner = (b"owner" + _PAD)[:32]
    owner_entry = _rc4(hashlib.md5(padded_owner).digest()[:5], padded_user)  # noqa: S324 (the PDF spec's hash)
    permissions = -44
    file_id = hashlib.md5(text.encode()).digest()  # noqa: S324
    key = hashlib.md5(
        padded_user + owner_entry + struct.pack("<i", permissions) + file_id
    ).digest()[:5]  # noqa: S324
    user_entry = _rc4(key, _PAD)

    def encrypt(number: int, data: bytes) -> bytes:
        object_key = hashlib.md5(key + struct.pack("<I", number)[:3] + b"\x00\x00").digest()[:10]  # noqa: S324
        return _rc4(object_key, data)

    content = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + encrypt(4, content) + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
        % (owner_entry.hex().encode(), user_entry.hex().encode(), permissions),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += (
        b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 6 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, file_id.hex().encode(), file_id.hex().encode(), xref)
    )
    return bytes(out)


def extracted(name: str, data: bytes, limits=None, depth: int = 0):
    """(parts as {where: text}, children) of one file, through the real dispatcher."""
    from mamori.scan.extract import Budget, Context, extract
    from mamori.scan.types import Limits

    extraction = extract(name, data, Context(Budget.start(limits or Limits()), depth))
    return {part.where: part.text for part in extraction.parts}, extraction.children


def excel_style_xlsx_bytes() -> bytes:
    """An .xlsx laid out the way Excel writes it (openpyxl writes inline strings):
    shared strings with rich-text runs and furigana, a cell comment, a custom
    property, and the workbook part found through the package relationships."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    return zip_bytes(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": (
                f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
                f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
            ).encode(),
            "xl/workbook.xml": (
                f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
                '<sheet name="職員" sheetId="1" r:id="rId1"/>'
                '<sheet name="控え" sheetId="2" state="veryHidden" r:id="rId2"/>'
                "</sheets></workbook>"
            ).encode(),
            "xl/_rels/workbook.xml.rels": (
                f'<Relationships xmlns="{pkg}">'
                f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
                f'<Relationship Id="rId2" Type="{rel}/worksheet" Target="/xl/worksheets/sheet2.xml"/>'
                f'<Relationship Id="rId3" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
                "</Relationships>"
            ).encode(),
            "xl/sharedStrings.xml": (
                f'<sst xmlns="{main}"><si><t>氏名</t></si>'
                "<si><r><t>山田</t></r><r><rPr><b/></rPr><t>太郎</t></r>"
                "<rPh sb='0' eb='2'><t>ヤマダタロウ</t></rPh></si>"
                "<si><t>機密性２</t></si></sst>"
            ).encode(),
            "xl/worksheets/sheet1.xml": (
                f'<worksheet xmlns="{main}"><sheetData>'
                '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="str"><f>1+1</f><v>2</v></c></row>'
                '<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><v>123456789018</v></c>'
                '<c r="C2" t="b"><v>1</v></c><c r="D2" t="e"><v>#N/A</v></c></row>'
                '</sheetData><headerFooter><oddFooter>&amp;L&amp;"ＭＳ ゴシック,太字"取扱注意&amp;R&amp;P / &amp;N</oddFooter>'
                "</headerFooter></worksheet>"
            ).encode(),
            "xl/worksheets/sheet2.xml": (
                f'<worksheet xmlns="{main}"><sheetData>'
                '<row r="3"><c r="A3" t="s"><v>2</v></c></row></sheetData></worksheet>'
            ).encode(),
            "docProps/custom.xml": (
                '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
                'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
                '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="格付">'
                "<vt:lpwstr>機密性２</vt:lpwstr></property></Properties>"
            ).encode(),
        }
    )
