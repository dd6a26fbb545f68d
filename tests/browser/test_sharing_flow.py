"""An electricity operator reports a control-system outage of 120,000 kW for 15 minutes
(the form marks it as beyond the service-maintenance level), the 経済産業省 liaison
forwards it, NISC issues an anonymised alert and an operator of another sector (banking)
acknowledges it (issue 7 acceptance).

NISC staff and ministry liaisons (cip_nisc, cip_liaison) are in MAMORI_MFA_REQUIRED_ROLES
by default and sign in with TOTP; operators sign in with a password only."""

import re

import pyotp
import pytest
from playwright.sync_api import expect
from tests.sharing.conftest import hub  # noqa: F401  (the fixture)

from mamori.sharing.models import Alert, Report

PASSWORD = "correct horse"

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


def test_outage_report_to_anonymised_alert_and_acknowledgement(page, hub):  # noqa: F811
    sign_in(page, "elec1")
    page.goto("/sharing/")
    expect(page.locator("#sharing-mode")).to_contain_text("平時")
    page.get_by_role("link", name="情報連絡（ＩＴ障害の連絡）").first.click()
    page.fill("input[name=title]", "制御システムの停止による供給支障")
    page.fill("textarea[name=summary]", "東都電力株式会社の制御システムが停止。担当 山田 太郎")
    page.select_option("select[name=event_type]", "unavailability")
    page.select_option("select[name=cause_type]", "accidental")
    page.select_option("select[name=cause_detail]", "equipment_failure")
    page.locator("input[name=impact_a]").check()
    page.select_option("select[name=service]", "electricity_supply")
    page.fill("input[name=supply_loss_kw]", "120000")
    page.fill("input[name=duration_minutes]", "15")
    page.locator("input[name=duration_minutes]").dispatch_event("change")
    # computed on the server as the figures are typed (htmx), never typed in
    expect(page.locator("#level-verdict")).to_contain_text("サービス維持レベルを超えています")
    page.fill("input[name=contact_means]", "電話、メール")
    page.fill("input[name=contact_person]", "山田 太郎")
    page.fill("input[name=contact_phone]", "03-1234-5678")
    page.select_option("select[name=tlp]", "green")
    for flag in ("share_all_operators", "share_ceptoars", "share_ministries"):
        page.locator(f"input[name={flag}]").check()
    page.get_by_role("button", name="連絡する").click()
    report = Report.objects.get()
    expect(page.locator("main h1")).to_contain_text(report.number)
    expect(page.locator("#level-verdict")).to_contain_text("サービス維持レベルを超えています")
    assert not [m for m in page.csp_errors if "Content Security Policy" in m.text]
    sign_out(page)

    sign_in(page, "meti-liaison", hub.meti_liaison.totp_secret)
    page.goto("/sharing/liaison/")
    page.get_by_role("link", name=report.number, exact=True).click()
    page.fill("textarea[name=note]", "経済産業省で確認済み")
    page.get_by_role("button", name="内閣官房へ連絡する").click()
    expect(page.locator("main")).to_contain_text("内閣サイバーセキュリティセンター")
    sign_out(page)

    sign_in(page, "nisc-officer", hub.nisc_person.totp_secret)
    page.goto("/sharing/")
    page.get_by_role("link", name=re.compile(report.number)).first.click()
    page.get_by_role("link", name="この情報連絡から情報提供を作成").click()
    page.get_by_role("button", name="匿名化した文案を作る").click()
    body = page.locator("textarea[name=body]")
    expect(body).to_contain_text("電力分野")
    expect(body).not_to_contain_text("東都電力")
    expect(body).not_to_contain_text("山田")
    expect(page.locator("#alert-check")).to_contain_text("全ての確認を通過しました")
    page.locator("input[name=sectors][value=bank]").check()
    page.select_option("select[name=importance]", "high")
    page.get_by_role("button", name="提供する").click()
    alert = Alert.objects.get()
    expect(page.locator("main h1")).to_contain_text(alert.number)
    expect(page.locator(".shr-importance")).to_have_text("重要度：高")
    sign_out(page)

    sign_in(page, "bank1")
    page.goto("/sharing/alerts/")
    row = page.locator("#alerts tbody tr", has_text=alert.number)
    row.get_by_role("button", name="受領確認").click()
    expect(page.locator("#alerts tbody tr", has_text=alert.number)).to_contain_text("確認済み")
    page.get_by_role("link", name=alert.number).click()
    main = page.locator("main")
    expect(main).to_contain_text("受領を確認しました")
    for needle in ("東都電力", "山田", "03-1234-5678"):
        expect(main).not_to_contain_text(needle)
    delivery = alert.deliveries.get(recipient=hub.bank1)
    assert delivery.acknowledged_by == hub.bank1_person
