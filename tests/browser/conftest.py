"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's sync API runs an event loop in the test thread; the ORM calls made by
fixtures in that thread are still plain synchronous code, so Django's guard is lifted
for these tests only."""

import os
import shutil
import tempfile

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("MAMORI_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run scripts/ensure-test-deps.sh "
            "(Debian package 'chromium') or set MAMORI_CHROMIUM"
        )
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="mamori-chromium-")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield instance
        instance.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="ja-JP")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    messages = []
    tab.on("console", lambda msg: messages.append(msg) if msg.type == "error" else None)
    tab.csp_errors = messages
    yield tab
    context.close()
