"""A member of staff reports a lost laptop holding personal information and sees what
to do at once; a CSIRT member triages; the chain items appear with due times; the
保護管理者 of the staff member's bureau signs in and acknowledges the report.

The organisation of tests/conftest.py follows 統一基準 and the 総務省 personal-
information 訓令 (toitsu + mic_pii)."""

import re

import pyotp
import pytest
from playwright.sync_api import expect
from tests.browser.menu import open_from_menu

from mamori.incidents.models import ChainItem, Incident

PASSWORD = "correct horse battery"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def csirt_member(person_with):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    person = person_with("csirt", unit="b2", username="csirt")
    person.totp_secret = generate_totp_secret()
    TOTP.activate(person.user, person.totp_secret)
    return person


@pytest.fixture
def pii_manager(person_with):
    return person_with("pii_manager", unit="b1", scope="b1", username="pii-manager")


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


def test_lost_laptop_with_personal_information(page, staff, csirt_member, pii_manager):
    sign_in(page, "staff")
    # two clicks from any page: the menu item, then the form
    open_from_menu(page, "インシデント報告")
    page.locator("input[name=kind][value=lost_device]").check()
    page.fill("textarea[name=summary]", "個人情報の入ったノートPCを電車に置き忘れました。")
    page.locator("input[name=personal_info]").check()
    page.fill("input[name=people_count]", "120")
    page.get_by_role("button", name="報告する").click()
    expect(page.locator("main h1")).to_have_text("報告を受け付けました")
    number = Incident.objects.get().number
    expect(page.locator("#incident-number")).to_have_text(number)
    instructions = page.locator(".inc-instructions")
    expect(instructions).to_contain_text("小冊子4章-6")
    expect(instructions).to_contain_text("総務省訓令 第39条")
    assert not [m for m in page.csp_errors if "Content Security Policy" in m.text]
    sign_out(page)

    sign_in(page, "csirt", csirt_member.totp_secret)
    open_from_menu(page, "インシデント")
    page.get_by_role("link", name=number, exact=True).click()
    page.select_option("select[name=importance]", "caution")
    page.locator("input[name=fact_ppc_report_required]").check()
    page.locator("input[name=impact_c]").check()
    page.locator("#triage-submit").click()
    expect(page.locator("#incident-status")).to_have_text("初動判断済")
    chain = page.locator("#chain")
    for step in ("mic.staff_to_pii_manager", "mic.manager_to_chief", "mic.ppc_preliminary"):
        row = chain.locator(f"tr[data-step='{step}']")
        expect(row).to_be_visible()
        expect(row.locator("time.due")).to_have_text(re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"))
    expect(chain.locator("tr[data-step='mic.ppc_preliminary']")).to_contain_text(
        "個人情報保護委員会"
    )
    sign_out(page)

    sign_in(page, "pii-manager")
    open_from_menu(page, "インシデント")
    page.locator(".inc-waiting a").first.click()
    row = page.locator("#chain tr[data-step='mic.staff_to_pii_manager']")
    row.get_by_role("button", name="受領を確認").click()
    expect(page.locator("#chain tr[data-step='mic.staff_to_pii_manager']")).to_contain_text(
        pii_manager.display_name
    )
    item = ChainItem.objects.get(step_key="mic.staff_to_pii_manager")
    assert item.acknowledged_by == pii_manager
