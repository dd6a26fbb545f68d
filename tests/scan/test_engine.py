"""The engine against the real detectors: where a finding is, on which line, and what
happens to every file that cannot be read."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import mamori.scan
from mamori.scan import Limits, scan_bytes, scan_paths
from mamori.scan.types import PART_SEPARATOR

from .files import (
    MY_NUMBER,
    docx_bytes,
    eml_bytes,
    encrypted_pdf_bytes,
    flag_encrypted,
    nested_zip,
    pdf_bytes,
    pptx_bytes,
    xlsx_bytes,
    zip_bytes,
)


def found(result, kind):
    return [(f.where, f.line, f.label or f.masked) for f in result.findings if f.type == kind]


def test_a_docx_header_marking_is_found_in_the_header_on_line_1():
    data = docx_bytes(["本文一行目", "本文二行目"], header="機密性２")
    [result] = scan_bytes("報告書.docx", data)
    assert result.status == "scanned" and result.path == "報告書.docx"
    assert found(result, "classification_marking") == [("ヘッダー", 1, "機密性２")]


def test_lines_are_counted_within_each_part():
    data = docx_bytes(["前置き", "二行目", "個人番号 " + MY_NUMBER], comment="取扱注意")
    [result] = scan_bytes("a.docx", data)
    my_numbers = [f for f in result.findings if f.type == "my_number"]
    assert [(f.where, f.line) for f in my_numbers] == [("本文", 3)]
    assert my_numbers[0].masked.endswith("9018") and MY_NUMBER not in my_numbers[0].masked
    # The offsets point into the joined text kept on the result.
    assert result.text[my_numbers[0].start : my_numbers[0].end] == MY_NUMBER
    assert found(result, "handling_marking") == [("コメント", 1, "取扱注意")]


def test_a_marking_in_the_file_name_is_found():
    [result] = scan_bytes("【機密性３】名簿.txt", "ただの本文".encode())
    assert found(result, "classification_marking") == [("ファイル名", 1, "機密性３")]


def test_a_hidden_xlsx_sheet_is_found_by_row():
    data = xlsx_bytes({"表": [["公開"]], "隠し": [["x"], ["x"], ["機密性２"]]}, hidden=("隠し",))
    [result] = scan_bytes("集計.xlsx", data)
    assert found(result, "classification_marking") == [("隠し (非表示)", 3, "機密性２")]


def test_pptx_notes_and_pdf_pages_are_located():
    [slides] = scan_bytes("s.pptx", pptx_bytes([("表紙", "公開資料", "補足\n機密性２")]))
    assert found(slides, "classification_marking") == [("スライド 1 ノート", 2, "機密性２")]
    html = "<p>一ページ目</p><p style='page-break-before: always'>公開</p><p>要機密</p>"
    [pdf] = scan_bytes("p.pdf", pdf_bytes(html))
    assert [(where, line) for where, line, _ in found(pdf, "classification_marking")] == [
        ("ページ 2", 2)
    ]


def test_mail_attachments_are_scanned_as_files_of_their_own():
    attachment = docx_bytes(["添付"], header="機密性２")
    data = eml_bytes(
        subject="送付", body="よろしくお願いします。", attachments={"名簿.docx": attachment}
    )
    mail, child = scan_bytes("送付.eml", data)
    assert found(mail, "classification_marking") == []
    assert child.path == "送付.eml!名簿.docx"
    assert found(child, "classification_marking") == [("ヘッダー", 1, "機密性２")]


def test_nested_zips_are_scanned_down_to_the_depth_limit_and_reported_below_it():
    data = nested_zip(4, "deep.txt", "機密性２".encode())
    results = scan_bytes("top.zip", data, limits=Limits(max_depth=3))
    assert [(r.path, r.status, r.reason) for r in results] == [
        ("top.zip", "scanned", None),
        ("top.zip!level2.zip", "scanned", None),
        ("top.zip!level2.zip!level3.zip", "scanned", None),
        ("top.zip!level2.zip!level3.zip!level4.zip", "scanned", None),
        ("top.zip!level2.zip!level3.zip!level4.zip!deep.txt", "unscannable", "too_deep"),
    ]
    shallow = scan_bytes("top.zip", nested_zip(2, "deep.txt", "機密性２".encode()))
    assert shallow[-1].path.endswith("!deep.txt") and shallow[-1].status == "scanned"
    assert found(shallow[-1], "classification_marking") == [("本文", 1, "機密性２")]


def test_every_unreadable_file_is_a_result_with_its_reason():
    members = {
        "ok.txt": "個人番号 ".encode() + MY_NUMBER.encode(),
        "壊れた.docx": docx_bytes(["x"])[:300],
        "zeros.bin": bytes(20 * 1024 * 1024),
        "秘密_機密性３.xlsx": b"PK-encrypted",
        "画像.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        "保護.pdf": encrypted_pdf_bytes("SECRET"),
    }
    data = flag_encrypted(zip_bytes(members), "秘密_機密性３.xlsx")
    results = {r.path: r for r in scan_bytes("提出.zip", data)}
    assert [(path, r.status, r.reason) for path, r in results.items()] == [
        ("提出.zip", "scanned", None),
        ("提出.zip!ok.txt", "scanned", None),
        ("提出.zip!壊れた.docx", "unscannable", "corrupt"),
        ("提出.zip!zeros.bin", "unscannable", "expansion_ratio"),
        ("提出.zip!秘密_機密性３.xlsx", "unscannable", "encrypted"),
        ("提出.zip!画像.png", "unscannable", "unsupported"),
        ("提出.zip!保護.pdf", "unscannable", "encrypted"),
    ]
    assert all(r.message for r in results.values() if r.status == "unscannable")
    # An encrypted member's name is still checked.
    encrypted = results["提出.zip!秘密_機密性３.xlsx"]
    assert found(encrypted, "classification_marking") == [("ファイル名", 1, "機密性３")]


def test_an_oversized_file_is_too_large_without_being_read(tmp_path):
    [result] = scan_bytes("big.txt", b"x" * 2000, limits=Limits(max_file_bytes=1000))
    assert (result.status, result.reason, result.size) == ("unscannable", "too_large", 2000)
    path = tmp_path / "big.txt"
    path.write_bytes(b"y" * 2000)
    [from_disk] = scan_paths([str(path)], limits=Limits(max_file_bytes=1000))
    assert (from_disk.status, from_disk.reason) == ("unscannable", "too_large")


def test_a_file_over_its_time_is_unscannable_timeout():
    data = zip_bytes({"a.txt": b"a", "b.txt": b"b"})
    results = scan_bytes("slow.zip", data, limits=Limits(seconds_per_file=0))
    assert [(r.status, r.reason) for r in results] == [("unscannable", "timeout")]


def test_types_restrict_what_is_reported():
    text = f"機密性２ 個人番号 {MY_NUMBER}".encode()
    [result] = scan_bytes("a.txt", text, types=["my_number"])
    assert {f.type for f in result.findings} == {"my_number"}


def test_scan_paths_walks_directories_sorted_and_keeps_symlinks_inside(tmp_path):
    root = tmp_path / "docs"
    (root / "b").mkdir(parents=True)
    (root / "a.txt").write_text("機密性２", encoding="utf-8")
    (root / "b" / "c.csv").write_bytes("氏名,山田\n".encode("cp932"))
    (root / "b" / "d.docx").write_bytes(docx_bytes(["x"], header="取扱注意"))
    outside = tmp_path / "outside.txt"
    outside.write_text("機密性３", encoding="utf-8")
    (root / "link_out.txt").symlink_to(outside)
    (root / "link_in.txt").symlink_to(root / "a.txt")
    results = list(scan_paths([str(root)]))
    paths = [os.path.relpath(r.path, root) for r in results]
    assert paths == ["a.txt", "link_in.txt", "link_out.txt", "b/c.csv", "b/d.docx"]
    by_path = dict(zip(paths, results, strict=True))
    assert by_path["link_out.txt"].status == "unscannable"
    assert not any(f.label == "機密性３" for r in results for f in r.findings)  # never read
    assert found(by_path["link_in.txt"], "classification_marking") == [("本文", 1, "機密性２")]
    assert found(by_path["b/d.docx"], "handling_marking") == [("ヘッダー", 1, "取扱注意")]


def test_a_missing_path_is_reported_not_raised(tmp_path):
    [result] = scan_paths([str(tmp_path / "none.txt")])
    assert (result.status, result.reason) == ("unscannable", "unreadable")


def test_a_parser_crash_on_hostile_bytes_is_a_result_not_an_exception(monkeypatch):
    from mamori.scan.extract import text as text_module

    def explode(name, data, ctx):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(text_module, "extract_text", explode)
    [result] = scan_bytes("a.txt", b"hello")
    assert (result.status, result.reason) == ("unscannable", "corrupt")
    assert "RecursionError" in result.message


def test_plain_text_is_one_part_and_findings_never_cross_parts():
    [result] = scan_bytes("n.txt", "本文".encode())
    assert result.text == "n.txt" + PART_SEPARATOR + "本文"


def test_the_scanner_never_imports_django():
    package = Path(mamori.scan.__file__).parent
    for source in package.rglob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(name.split(".")[0] == "django" for name in names), source


def test_a_detector_failure_is_reported_for_that_file_and_the_batch_goes_on(monkeypatch):
    import mamori.scan.detect as detect_module

    real_detect = detect_module.detect

    def fragile(text, types=None):
        if "壊す" in text:
            raise IndexError("offset out of range")
        return real_detect(text, types)

    monkeypatch.setattr(detect_module, "detect", fragile)
    data = zip_bytes({"a.txt": "壊す".encode(), "b.txt": "機密性２".encode()})
    results = {r.path: r for r in scan_bytes("x.zip", data)}
    assert (results["x.zip!a.txt"].status, results["x.zip!a.txt"].reason) == (
        "unscannable",
        "error",
    )
    assert "IndexError" in results["x.zip!a.txt"].message
    assert found(results["x.zip!b.txt"], "classification_marking") == [("本文", 1, "機密性２")]


def test_damaged_files_of_every_kind_give_results_never_exceptions():
    import random

    originals = {
        "a.docx": docx_bytes(["本文"], header="機密性２"),
        "a.xlsx": xlsx_bytes({"S": [["機密性２"]]}),
        "a.pptx": pptx_bytes([("t", "b", "n")]),
        "a.pdf": pdf_bytes("<p>機密性２</p>"),
        "b.pdf": encrypted_pdf_bytes("X"),
        "a.eml": eml_bytes(subject="s", body="b", attachments={"x.docx": docx_bytes(["x"])}),
        "a.zip": zip_bytes({"x.txt": b"x", "y.docx": docx_bytes(["y"])}),
    }
    chance = random.Random(6)  # fixed seed: the same damage on every run
    for name, data in originals.items():
        damaged = [data[: len(data) * cut // 4] for cut in (1, 2, 3)]
        for _ in range(8):
            flipped = bytearray(data)
            for position in chance.sample(range(len(data)), 20):
                flipped[position] ^= 0xFF
            damaged.append(bytes(flipped))
        for variant in damaged:
            results = scan_bytes(name, variant)
            assert results and results[0].path == name
            assert all(r.status in ("scanned", "unscannable") for r in results)
            assert all(r.reason for r in results if r.status == "unscannable")
