"""An audit in the browser: the 監査責任者 plans an audit of 総務課, is refused an insider
as auditor, runs it, records a finding and submits the report; the CISO reads the
report and instructs the 情報セキュリティ責任者 of the unit, who plans and carries out the
measure and reports; the CISO closes the plan."""

import re
from datetime import timedelta

import pyotp
import pytest
from django.utils import timezone
from playwright.sync_api import expect
from tests.browser.menu import open_from_menu

PASSWORD = "correct horse battery"

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, username, secret=None):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    if secret:
        expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
        page.fill("input[name=code]", pyotp.TOTP(secret).now())
        page.locator("main form button[type=submit]").first.click()
        expect(page).to_have_url(re.compile(r"/$"))


def sign_out(page):
    page.locator("form[action$='/accounts/logout/'] button").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_audit_from_plan_to_closure(
    page, browser, live_server, auditor, ciso, isec_officer, person_with, units
):
    insider = person_with(unit="d1", username="insider")
    today = timezone.localdate()
    sign_in(page, "auditor", auditor.totp_secret)
    open_from_menu(page, "監査")
    expect(page.locator("#periodic-warning")).to_be_visible()
    page.get_by_role("link", name="監査実施計画を登録").click()
    page.fill("input[name=title]", "定期監査（総務課）")
    page.select_option("select[name=kind]", "periodic")
    page.select_option("select[name=units]", str(units["d1"].pk))
    page.fill("input[name=start_date]", today.isoformat())
    page.fill("input[name=end_date]", (today + timedelta(days=7)).isoformat())
    page.check("input[name=rulebooks][value=toitsu]")
    page.fill("input[name=sections]", "2.3")
    page.select_option("select[name=auditors]", str(insider.pk))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("2.1.1(8)(a)(イ)")

    page.select_option("select[name=auditors]", [])
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#audit-state")).to_have_text("計画")
    page.get_by_role("button", name="監査を開始").click()
    expect(page.locator("#audit-state")).to_have_text("実施中")

    page.get_by_role("link", name="指摘事項を記録").click()
    page.select_option("select[name=severity]", "major")
    page.select_option("select[name=requirement_id]", "2.3.1(3)(a)")
    page.fill("textarea[name=description]", "自己点検結果の評価記録がない")
    page.select_option("select[name=unit]", str(units["d1"].pk))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#findings")).to_contain_text("自己点検結果の評価記録がない")

    page.fill("textarea[name=summary]", "総務課の運用状況を監査した。")
    page.get_by_role("button", name="提出する").click()
    expect(page.locator("main h1")).to_contain_text("監査報告書")
    sign_out(page)

    sign_in(page, "ciso", ciso.totp_secret)
    page.goto("/audits/")
    page.get_by_role("link", name="定期監査（総務課）").click()
    page.fill("textarea[name=instruction]", "改善計画を策定し報告すること。")
    page.fill("input[name=due_date]", (today + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="指示する").click()
    expect(page.locator("#plans")).to_contain_text(isec_officer.display_name)
    audit_url = page.url

    # The officer, in a browser of their own (the CISO stays signed in: a TOTP code is
    # good once), draws up the plan, carries out the measure and reports the results.
    context = browser.new_context(base_url=live_server.url, locale="ja-JP")
    officer = context.new_page()
    officer.set_default_timeout(15_000)
    sign_in(officer, "isec-officer")
    officer.goto(audit_url)
    officer.locator("#plans a", has_text=isec_officer.display_name).click()
    officer.fill("textarea[name=measure]", "評価記録の様式を定める")
    officer.select_option("select[name=owner]", str(isec_officer.pk))
    officer.fill("input[name=due_date]", (today + timedelta(days=14)).isoformat())
    officer.get_by_role("button", name="追加する").click()
    expect(officer.locator("#open-count")).to_contain_text("1件")
    officer.locator("#plan-items input[name=result]").fill("様式を定め周知した")
    officer.get_by_role("button", name="完了にする").click()
    expect(officer.locator("#open-count")).to_contain_text("0件")
    officer.fill("textarea[name=summary]", "様式を定め、措置を完了した。")
    officer.get_by_role("button", name="報告する").click()
    expect(officer.locator("#plan-state")).to_have_text("報告済")
    plan_url = officer.url
    context.close()

    # The CISO accepts the results and closes the plan.
    page.goto(plan_url)
    page.get_by_role("button", name="改善計画を完了にする").click()
    expect(page.locator("#plan-state")).to_have_text("完了")
    assert not [m for m in page.csp_errors if "Content Security Policy" in m.text]
