"""The yearly self-assessment end to end in a real browser: the 統括情報セキュリティ責任者
(TOTP) drafts and opens this 年度's plan; two members of staff answer and submit their
checklists; the 情報セキュリティ責任者 of their bureau evaluates it and reports (no second
factor: isec_officer is not in MAMORI_MFA_REQUIRED_ROLES by default); the CISO (TOTP)
sees the submission and implementation rates on the dashboard, with its charts drawn
and no Content-Security-Policy error.

The organisation of tests/conftest.py: staff in 総務課 (d1) and other_staff in 会計課 (d2),
both under 総務局 (b1), which is isec_officer's scope."""

import re
from datetime import timedelta

import pyotp
import pytest
from django.utils import timezone
from playwright.sync_api import expect
from tests.browser.menu import open_from_menu

from mamori.compliance.assessments.models import AssessmentPlan, Checklist, ChecklistItem
from mamori.rules import deadlines

PASSWORD = "correct horse battery"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def chief(person_with):
    from tests.conftest import with_totp

    person = person_with("chief_isec_officer", unit="b1", username="chief")
    person.totp_secret = with_totp(person)
    return person


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


def no_csp_errors(page):
    assert not [m for m in page.csp_errors if "Content Security Policy" in m.text]


def answer_and_submit(page, *, partial_first: bool = False):
    open_from_menu(page, "自己点検")
    page.locator("#my-checklists a").first.click()
    done = page.locator("#checklist-form input[type=radio][value=done]")
    count = done.count()
    assert count > 10
    for index in range(count):
        done.nth(index).check()
    if partial_first:
        page.locator("#checklist-form input[type=radio][value=partial]").first.check()
        page.locator("#checklist-form textarea").first.fill("一部の端末で設定が未了です。")
    page.get_by_role("button", name="提出する").click()
    expect(page.locator("#checklist-state")).to_have_text("提出済")
    no_csp_errors(page)


def test_yearly_self_assessment_up_to_the_ciso_dashboard(
    page, chief, ciso, isec_officer, staff, other_staff
):
    year = deadlines.fiscal_year(timezone.localdate())
    answer_due = min(timezone.localdate() + timedelta(days=20), deadlines.fiscal_year_end(year))

    # 1. the 統括 drafts and opens the plan
    sign_in(page, "chief", chief.totp_secret)
    open_from_menu(page, "自己点検計画")
    page.get_by_role("link", name="計画を作成").click()
    page.fill("input[name=fiscal_year]", str(year))
    page.fill("input[name=title]", f"{year}年度 情報セキュリティ対策の自己点検")
    boxes = page.locator("input[name=rulebooks]")
    for index in range(boxes.count()):
        boxes.nth(index).check()
    page.fill("input[name=answer_due]", answer_due.isoformat())
    page.fill("input[name=unit_evaluation_due]", (answer_due + timedelta(days=10)).isoformat())
    page.fill("input[name=org_evaluation_due]", (answer_due + timedelta(days=20)).isoformat())
    page.get_by_role("button", name="作成する").click()
    expect(page.locator("#plan-state")).to_have_text("作成中")
    page.get_by_role("button", name="開始して自己点検票を配付する").click()
    expect(page.locator("#plan-state")).to_have_text("実施中")
    plan = AssessmentPlan.objects.get()
    assert Checklist.objects.filter(plan=plan).count() == 5
    no_csp_errors(page)
    sign_out(page)

    # 2. two members of staff answer and submit
    sign_in(page, "staff")
    answer_and_submit(page)
    sign_out(page)
    sign_in(page, "other-staff")
    answer_and_submit(page, partial_first=True)
    sign_out(page)

    # 3. the 情報セキュリティ責任者 of 総務局 evaluates the bureau and reports it
    sign_in(page, "isec-officer")
    open_from_menu(page, "自己点検計画")
    page.get_by_role("link", name=plan.title).click()
    page.get_by_role("link", name="総務局の評価").click()
    page.fill("textarea[name=summary]", "二名とも提出済。一部実施の項目は年度内に対応させる。")
    page.get_by_role("button", name="評価を保存する").click()
    page.get_by_role("button", name="統括情報セキュリティ責任者に報告する").click()
    expect(page.locator("#evaluation-state")).to_have_text("報告済")
    no_csp_errors(page)
    # the plan page links to the dashboard of its 年度: 総務局's, with who has not submitted
    page.get_by_role("link", name="計画に戻る").click()
    page.locator("#plan-dashboard").click()
    expect(page.locator("#asd-submission")).to_have_text("2 / 5")  # everyone is in 総務局
    expect(page.locator("#asd-not-submitted tbody tr")).to_have_count(3)
    no_csp_errors(page)
    sign_out(page)

    # 4. the CISO's dashboard shows the rates
    sign_in(page, "ciso", ciso.totp_secret)
    open_from_menu(page, "自己点検の状況")
    expect(page.locator("main h1")).to_have_text(f"自己点検の状況（{year}年度）")
    expect(page.locator("#asd-submission")).to_have_text("2 / 5")
    expect(page.locator("#asd-submission-rate")).to_contain_text("40.0%")
    items = ChecklistItem.objects.filter(checklist__plan=plan)
    done = items.filter(answer="done").count()
    partial = items.filter(answer="partial").count()
    assert partial == 1
    rate = round(100 * (done + 0.5) / (done + partial), 1)
    expect(page.locator("#asd-implementation")).to_have_text(f"{rate}%")
    row = page.locator("#asd-units tr", has=page.locator("th", has_text="総務課"))
    expect(row.locator("td").nth(3)).to_have_text("100.0%")  # submission rate
    expect(row.locator("td").nth(5)).to_have_text("100.0%")  # implementation rate
    expect(page.locator("#asd-evaluations")).to_have_text("1 / 1")
    for chart in ("asd-chart-units", "asd-chart-requirements"):
        canvas = page.locator(f"canvas[data-assessment-chart='{chart}']")
        expect(canvas).to_be_visible()
        expect(canvas).to_have_attribute("data-asd-drawn", "1")  # Chart.js drew it
    no_csp_errors(page)
