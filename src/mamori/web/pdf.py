"""Printable PDF documents rendered from Django templates with WeasyPrint.

Closed-network rule (DESIGN principle 4): rendering never fetches anything over the
network. The fetcher below serves only `data:` URIs and our own static files (looked
up through the staticfiles finders, never by a raw file path), so a template, or text
that slipped into one, cannot make the server read an arbitrary file or call out.
Japanese text is set with the Noto CJK fonts that Debian's fonts-noto-cjk installs;
WeasyPrint finds them through fontconfig, not through the fetcher.
"""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    """Render a template to HTML and that HTML to PDF bytes (A4 unless the template's
    own @page rule says otherwise)."""
    # Imported here: WeasyPrint is heavy, and most processes never render a PDF.
    from weasyprint import HTML

    from mamori.web.pdf_fetcher import BASE_URL, LocalOnlyFetcher

    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url=BASE_URL, url_fetcher=LocalOnlyFetcher()).write_pdf()


def pdf_response(content: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """A PDF download. Japanese file names travel in RFC 5987 `filename*`, with an
    ASCII fallback in `filename` for clients that do not read it."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def content_disposition(filename: str, *, inline: bool = False) -> str:
    disposition = "inline" if inline else "attachment"
    fallback = "".join(
        c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in filename
    ).strip("_")
    if not fallback or fallback.startswith("."):
        fallback = "document" + (fallback if fallback.startswith(".") else "")
    encoded = quote(filename, safe="")
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"
