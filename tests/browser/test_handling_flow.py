"""A member of staff asks whether they may work on 機密性３ information outside the
controlled area, files the permission request the answer calls for; their 課室情報
セキュリティ責任者 approves it; an auditor sees both in the trail."""

import re

import pyotp
import pytest
from playwright.sync_api import expect
from tests.browser.menu import open_from_menu

from mamori.trail.models import Event

PASSWORD = "correct horse battery"
TITLE = "取扱いの許可申請: 機密性３情報 — 要管理対策区域の外で情報処理をする"

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, username, totp_secret=None):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    if totp_secret:
        expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
        page.fill("input[name=code]", pyotp.TOTP(totp_secret).now())
        page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/$"))


def sign_out(page):
    page.locator("form[action$='/accounts/logout/'] button").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_staff_asks_officer_approves_auditor_sees_both(page, staff, section_officer, auditor):
    sign_in(page, "staff")
    open_from_menu(page, "取扱いの確認")
    expect(page.locator("main h1")).to_have_text("取扱いの確認")
    page.select_option("select[name=confidentiality]", "3")
    page.select_option("select[name=action]", "process_outside_area")
    # htmx fetches the questions for this action (the location) without a reload.
    expect(page.locator("#context-fields select[name=location]")).to_be_visible()
    page.locator("#check-submit").click()
    expect(page.locator("#verdict")).to_have_text("許可が必要")
    expect(page.locator("#citations")).to_contain_text("統一基準(R7) 3.1.1(4)(b)")
    expect(page.locator("#check-result")).to_contain_text("課室情報セキュリティ責任者")
    page.fill("textarea[name=reason_text]", "出張先で資料を修正するため（12月1日〜2日）")
    page.locator("#file-request").click()
    expect(page.locator("#request-state")).to_have_text("申請中")
    expect(page.locator("main h1")).to_contain_text(TITLE)
    assert not [m for m in page.csp_errors if "Content Security Policy" in m.text]
    sign_out(page)

    sign_in(page, "section-officer")
    page.goto("/tasks/")
    page.get_by_role("link", name=TITLE).first.click()
    page.locator("button[name=action][value=approve]").click()
    expect(page.locator("#request-state")).to_have_text("承認")
    sign_out(page)

    sign_in(page, "auditor", auditor.totp_secret)
    page.goto("/trail/?action=approvals.")
    table = page.locator("main table")
    submitted = table.locator("tr", has_text="approvals.request.submitted")
    approved = table.locator("tr", has_text="approvals.request.approved")
    expect(submitted).to_contain_text(staff.display_name)
    expect(submitted).to_contain_text(TITLE)
    expect(approved).to_contain_text(section_officer.display_name)
    expect(approved).to_contain_text(TITLE)
    page.goto("/trail/?action=assets.handling.")
    expect(table.locator("tr", has_text="assets.handling.checked")).to_contain_text(
        staff.display_name
    )
    expect(table.locator("tr", has_text="assets.handling.requested")).to_have_count(1)
    assert Event.objects.filter(action="approvals.request.approved").count() == 1
