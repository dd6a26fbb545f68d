"""Zip archives: members as children, and every way an archive can refuse to be read."""

from __future__ import annotations

import zipfile

import pytest

from mamori.scan.types import Limits, Unscannable

from .files import extracted, flag_encrypted, nested_zip, zip_bytes


def test_zip_members_become_children_with_their_paths():
    data = zip_bytes(
        {"報告/本文.txt": "機密性２".encode(), "名簿.csv": "氏名,山田".encode("cp932")}
    )
    parts, children = extracted("提出物.zip", data)
    assert parts == {}
    assert [(child.name, child.data) for child in children] == [
        ("報告/本文.txt", "機密性２".encode()),
        ("名簿.csv", "氏名,山田".encode("cp932")),
    ]


def test_cp932_member_names_from_japanese_windows_are_decoded():
    data = bytearray(zip_bytes({"XXXXXX.txt": b"x"}))
    # Write the name as CP932 bytes without the UTF-8 flag, as Windows Explorer does.
    cp932 = "機密.txt".encode("cp932")
    assert len(cp932) == len(b"XXXXXX.txt") - 2
    raw = bytes(data).replace(b"XXXXXX.txt", cp932 + b"__")
    _, children = extracted("a.zip", raw)
    assert children[0].name == "機密.txt__"


def test_an_encrypted_member_is_reported_and_the_others_are_read():
    data = flag_encrypted(zip_bytes({"公開.txt": b"public", "秘密.docx": b"secret"}), "秘密.docx")
    _, children = extracted("a.zip", data)
    assert [(child.name, child.reason) for child in children] == [
        ("公開.txt", None),
        ("秘密.docx", "encrypted"),
    ]
    assert children[1].data == b""


def test_a_zip_bomb_member_is_stopped_by_its_expansion_ratio():
    data = zip_bytes({"zeros.bin": bytes(20 * 1024 * 1024), "ok.txt": b"fine"})
    assert len(data) < 100 * 1024  # 20 MB of zeros packed into a few KB
    _, children = extracted("bomb.zip", data)
    assert [(child.name, child.reason) for child in children] == [
        ("zeros.bin", "expansion_ratio"),
        ("ok.txt", None),
    ]
    assert "zip 爆弾" in children[0].message


def test_a_member_bigger_than_the_file_limit_is_too_large():
    data = zip_bytes({"big.txt": b"0123456789" * 1000}, compression=zipfile.ZIP_STORED)
    _, children = extracted("a.zip", data, limits=Limits(max_file_bytes=5000))
    assert children[0].reason == "too_large"


def test_the_total_unpacked_budget_stops_many_members():
    members = {f"m{index}.txt": bytes([65 + index]) * 4000 for index in range(5)}
    data = zip_bytes(members, compression=zipfile.ZIP_STORED)
    _, children = extracted("a.zip", data, limits=Limits(max_expanded_bytes=10_000))
    assert [child.reason for child in children] == [
        None,
        None,
        "too_large",
        "too_large",
        "too_large",
    ]


def test_a_member_whose_header_understates_its_size_is_not_read_past_it():
    data = bytearray(zip_bytes({"a.txt": b"x" * 5000}, compression=zipfile.ZIP_STORED))
    # Lie in the central directory: 5000 bytes declared as 100.
    central = data.find(b"PK\x01\x02")
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")
    _, children = extracted("liar.zip", bytes(data))
    # zipfile stops at the declared size, and the checksum then gives the lie away.
    assert (children[0].reason, children[0].data) == ("corrupt", b"")
    assert "CRC" in children[0].message


def test_a_truncated_zip_is_corrupt():
    data = zip_bytes({"a.txt": b"hello" * 100})
    with pytest.raises(Unscannable) as error:
        extracted("a.zip", data[:-30])
    assert error.value.reason == "corrupt"


def test_members_of_a_zip_at_the_depth_limit_are_too_deep():
    data = nested_zip(1, "x.txt", b"x")
    _, children = extracted("level1.zip", data, limits=Limits(max_depth=2), depth=2)
    assert [(child.name, child.reason) for child in children] == [("x.txt", "too_deep")]


def test_directories_and_macos_resource_forks_are_not_members():
    data = zip_bytes({"dir/": b"", "__MACOSX/._a.txt": b"\x00\x05", "dir/a.txt": b"a"})
    _, children = extracted("a.zip", data)
    assert [child.name for child in children] == ["dir/a.txt"]
