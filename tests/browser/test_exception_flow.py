"""A 例外措置 in the browser: staff file a request naming a clause, the 許可権限者 approves
it from 自分のタスク, and the ledger shows it active with its end date."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from tests.browser.menu import open_from_menu

PASSWORD = "correct horse battery"
CLAUSE = "toitsu:3.1.1(4)(e)"

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/$"))


def sign_out(page):
    page.locator("form[action$='/accounts/logout/'] button").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_exception_from_request_to_ledger(page, staff, permit_authority):
    today = timezone.localdate()
    end = today + timedelta(days=10)
    sign_in(page, "staff")
    open_from_menu(page, "例外措置")
    expect(page.locator("main h1")).to_have_text("自分の例外措置")
    page.get_by_role("link", name="例外措置を申請する").click()
    page.select_option("select[name=requirement]", CLAUSE)
    page.fill("textarea[name=reason]", "観測装置の端末がネットワークに接続できないため")
    page.fill("textarea[name=scope_text]", "観測装置の制御端末1台")
    page.fill("input[name=period_start]", today.isoformat())
    page.fill("input[name=period_end]", end.isoformat())
    page.fill(
        "textarea[name=measures]", "専用のUSBメモリを施錠保管し、使用の都度ウイルス検査を行う"
    )
    page.get_by_role("button", name="申請する").click()
    expect(page.locator("#request-state")).to_have_text("申請中")
    expect(page.locator("main")).to_contain_text("統一基準(R7) 3.1.1(4)(e)")
    sign_out(page)

    sign_in(page, "permit-authority")
    open_from_menu(page, "自分のタスク")
    page.locator("#awaiting a", has_text="例外措置").first.click()
    expect(page.locator("main")).to_contain_text("観測装置の制御端末1台")
    page.get_by_role("button", name="承認する").click()
    expect(page.locator("#request-state")).to_have_text("承認")

    open_from_menu(page, "例外措置")
    expect(page.locator("main h1")).to_have_text("例外措置の台帳")
    row = page.locator("#ledger tbody tr", has_text="3.1.1(4)(e)")
    expect(row).to_contain_text("適用中")
    expect(row.locator("time")).to_have_attribute("datetime", end.isoformat())
    row.get_by_role("link").first.click()
    expect(page.locator("#record-state")).to_have_text("適用中")
    expect(page.locator("main")).to_contain_text("専用のUSBメモリを施錠保管")
    assert not [m for m in page.csp_errors if "Content Security Policy" in m.text]
