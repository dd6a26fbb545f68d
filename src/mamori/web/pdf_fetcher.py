"""The fetcher WeasyPrint uses for PDF rendering: data: URIs and our own static files only.

Kept apart from `mamori.web.pdf` so that importing the views (every process, at start-up)
does not import WeasyPrint; it is loaded the first time a PDF is rendered.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Relative and root-relative links in a template resolve against this base: a file: URL
# that never touches the disk unless it names one of our static files.
BASE_URL = "file:///mamori-pdf/"


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
