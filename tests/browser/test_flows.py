"""What a person does in the browser: sign in with a second factor, change language,
and send a request that someone else approves."""

import re

import pyotp
import pytest
from playwright.sync_api import expect

PASSWORD = "correct horse battery"

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()


def sign_out(page):
    page.locator("form[action$='/accounts/logout/'] button").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_ciso_signs_in_with_totp(page, ciso):
    sign_in(page, "ciso")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.fill("input[name=code]", pyotp.TOTP(ciso.totp_secret).now())
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator("header")).to_contain_text(ciso.display_name)
    assert not [m for m in page.csp_errors if "Content Security Policy" in m.text]


def test_switch_to_english_and_back(page, staff):
    sign_in(page, "staff")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("nav")).to_contain_text("自分のタスク")
    page.locator("button[name=language][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("nav")).to_contain_text("My tasks")
    page.locator("button[name=language][value=ja]").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.locator("nav")).to_contain_text("自分のタスク")


def test_staff_submits_and_officer_approves(page, staff, section_officer):
    sign_in(page, "staff")
    page.goto("/approvals/new/?kind=general.permission")
    page.fill("input[name=title]", "研修資料をUSBメモリで持ち出す")
    page.fill("textarea[name=description]", "外部研修会場での投影のため")
    page.fill("input[name=period_start]", "2026-12-01")
    page.fill("input[name=period_end]", "2026-12-02")
    page.locator("button[name=submit]").click()
    expect(page.locator("#request-state")).to_have_text("申請中")
    sign_out(page)

    sign_in(page, "section-officer")
    page.goto("/tasks/")
    page.get_by_role("link", name="研修資料をUSBメモリで持ち出す").first.click()
    page.locator("button[name=action][value=approve]").click()
    expect(page.locator("#request-state")).to_have_text("承認")
    expect(page.locator("#history + .timeline")).to_contain_text("承認")
