"""The grouped menu in the browser: keyboard opens a group, one group at a time,
Escape closes it and gives the focus back, the page fits a phone's width."""

import re

import pytest
from playwright.sync_api import expect
from tests.browser.test_flows import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_menu_groups_open_by_keyboard_one_at_a_time(page, staff):
    sign_in(page, "staff")
    expect(page).to_have_url(re.compile(r"/$"))
    handling = page.locator("details[data-nav-group=handling]")
    reports = page.locator("details[data-nav-group=reports]")
    assets_link = page.get_by_role("link", name="情報資産台帳")
    expect(assets_link).to_be_hidden()

    handling.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(handling).to_have_attribute("open", "")
    expect(assets_link).to_be_visible()

    reports.locator("summary").click()
    expect(reports).to_have_attribute("open", "")
    expect(handling).not_to_have_attribute("open", "")

    page.keyboard.press("Escape")
    expect(reports).not_to_have_attribute("open", "")
    expect(reports.locator("summary")).to_be_focused()

    reports.locator("summary").click()
    page.get_by_role("link", name="インシデント", exact=True).click()
    expect(page).to_have_url(re.compile(r"/incidents/"))
    current = page.locator(".primary-nav__entry.is-current details")
    expect(current).to_have_attribute("data-nav-group", "reports")
    assert not [m for m in page.csp_errors if "Content Security Policy" in m.text]


def test_menu_fits_a_phone_without_sideways_scrolling(page, staff):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "staff")
    expect(page).to_have_url(re.compile(r"/$"))
    page.locator("details[data-nav-group=handling] summary").click()
    panel = page.locator("details[data-nav-group=handling] .primary-nav__panel")
    expect(panel).to_be_visible()
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
