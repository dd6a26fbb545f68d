"""Printable PDF documents rendered from Django templates with WeasyPrint.

Closed-network rule (DESIGN principle 4): rendering never fetches anything over the
network. The fetcher below serves only `data:` URIs and our own static files (looked
up through the staticfiles finders, never by a raw file path), so a template, or text
that slipped into one, cannot make the server read an arbitrary file or call out.
Japanese text is set with the Noto CJK fonts that Debian's fonts-noto-cjk installs;
WeasyPrint finds them through fontconfig, not through the fetcher.
"""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative and root-relative links in a template resolve against this base: a file: URL
# that never touches the disk unless it names one of our static files.
_BASE_URL = "file:///mamori-pdf/"


class LocalOnlyFetcher(URLFetcher):
    """Serves data: URIs and /static/… files; refuses everything else (http, https,
    ftp, other file paths)."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = _static_file(unquote(parts.path))
            if path is not None:
                with open(path, "rb") as handle:
                    body = handle.read()
                return URLFetcherResponse(url, body, {"Content-Type": _content_type(path)})
        raise ValueError(f"PDF rendering may not fetch {scheme or 'relative'} URLs: {url}")


def _static_file(path: str) -> str | None:
    """The file behind a /static/… path, found the way the staticfiles app finds it."""
    prefix = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"
    if not path.startswith(prefix):
        return None
    relative = path[len(prefix) :]
    if not relative or ".." in relative.split("/"):
        return None
    found = finders.find(relative)
    return found if isinstance(found, str) else None


def _content_type(path: str) -> str:
    lowered = path.lower()
    for suffix, kind in (
        (".css", "text/css"),
        (".svg", "image/svg+xml"),
        (".png", "image/png"),
        (".jpg", "image/jpeg"),
        (".jpeg", "image/jpeg"),
    ):
        if lowered.endswith(suffix):
            return kind
    return "application/octet-stream"


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    """Render a template to HTML and that HTML to PDF bytes (A4 unless the template's
    own @page rule says otherwise)."""
    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url=_BASE_URL, url_fetcher=LocalOnlyFetcher()).write_pdf()


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
