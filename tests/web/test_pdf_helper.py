"""The shared PDF helper: Japanese text comes out readable, nothing is fetched from the
network or from arbitrary files, and downloads carry a usable file name."""

from __future__ import annotations

import io
from urllib.parse import quote

import pypdfium2
import pytest
from django.test import override_settings

from mamori.web.pdf import content_disposition, pdf_response, render_pdf
from mamori.web.pdf_fetcher import LocalOnlyFetcher

LOCMEM_TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {
                        "doc.html": (
                            "{% load static %}<html><head>"
                            "<link rel='stylesheet' href='{% static \"mamori/css/app.css\" %}'>"
                            "<style>@page { size: A4 } body { font-family: 'Noto Sans CJK JP' }"
                            "</style></head><body><h1>{{ title }}</h1>"
                            "<img src='http://example.invalid/beacon.png' alt=''>"
                            "<img src='file:///etc/passwd' alt=''>"
                            "<p>{{ body }}</p></body></html>"
                        ),
                    },
                )
            ],
        },
    }
]


def pdf_text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(content))
    try:
        return "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


@override_settings(TEMPLATES=LOCMEM_TEMPLATES)
def test_renders_japanese_text_that_can_be_read_back():
    content = render_pdf("doc.html", {"title": "インシデント報告書", "body": "被害の状況 <b>x</b>"})
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "インシデント報告書" in text
    assert "被害の状況 <b>x</b>" in text  # escaped by the template, printed as typed


def test_fetcher_refuses_the_network_and_files_outside_static():
    fetcher = LocalOnlyFetcher()
    for url in (
        "http://example.invalid/x.png",
        "https://example.invalid/x.css",
        "ftp://example.invalid/x",
        "file:///etc/passwd",
        "file:///static/../../etc/passwd",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_fetcher_serves_our_static_files_and_data_uris():
    fetcher = LocalOnlyFetcher()
    response = fetcher.fetch("file:///static/mamori/img/logo.svg")
    assert response.content_type == "image/svg+xml"
    assert b"<svg" in response.read()
    data = fetcher.fetch("data:text/plain;base64,5a6I44KK")
    assert data.read().decode() == "守り"


def test_download_name_is_kept_in_japanese_with_an_ascii_fallback():
    header = content_disposition("報告書_INC-2026-0001.pdf")
    assert header.startswith("attachment; ")
    assert 'filename="INC-2026-0001.pdf"' in header
    assert "filename*=UTF-8''" + quote("報告書_INC-2026-0001.pdf") in header
    assert 'filename="document.pdf"' in content_disposition("報告書.pdf")
    # a quote or a line break in a name cannot break out of the header
    hostile = content_disposition('a"\r\nX-Evil: 1.pdf')
    assert "\r" not in hostile and "\n" not in hostile and hostile.count('"') == 2


def test_pdf_response_headers():
    response = pdf_response(b"%PDF-1.7 test", "報告書.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
