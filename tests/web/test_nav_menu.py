"""The primary navigation as a short row of groups (<details> disclosures, no JS needed)."""

from __future__ import annotations

import re

import pytest
from django.template import loader
from django.urls import reverse
from django.utils import translation
from tests.web.test_shell import assert_csp_clean

from mamori.web import nav

GROUP = re.compile(
    r'<li class="primary-nav__entry( is-current)?">\s*'
    r'<details class="primary-nav__group" name="primary-nav" data-nav-group="([a-z_]+)">\s*'
    r'<summary class="primary-nav__summary">([^<]+)'
)
LONE_LINK = re.compile(
    r'<li class="primary-nav__entry( is-current)?"><a class="primary-nav__link" href="([^"]+)"'
)


def menu_html(html: str) -> str:
    match = re.search(r'<nav class="primary-nav".*?</nav>', html, re.S)
    assert match, "no primary navigation on the page"
    return match.group(0)


def item(key, group="", url=None, current=False):
    return nav.ResolvedNavItem(key, key.upper(), url or f"/{key}/", current, group)


# --- the registry -----------------------------------------------------------------------


def test_nav_item_keeps_its_positional_constructor_and_has_no_group_by_default():
    plain = nav.NavItem("k", "ラベル", "web:tasks", None, 50)
    assert plain.group == "" and plain.order == 50
    assert nav.NavItem("k", "ラベル", "web:tasks", None, 50, group="home").group == "home"


def test_menu_folds_items_into_groups_placed_where_their_first_item_stands():
    entries = nav.menu_for(
        [
            item("dashboard", "home"),
            item("approvals", "handling"),
            item("report", "reports"),
            item("tasks", "home"),
            item("lonely"),  # no group: a link of its own
            item("stray", "no-such-group"),  # unknown group: still reachable, on its own
            item("assets", "handling"),
        ]
    )
    assert [entry.key for entry in entries] == [
        "home",
        "handling",
        "reports",
        "lonely",
        "stray",
    ]
    home, handling, reports, lonely, stray = entries
    assert [i.key for i in home.items] == ["dashboard", "tasks"] and home.link is None
    assert [i.key for i in handling.items] == ["approvals", "assets"]
    # A group with only one visible item is shown as that item's plain link.
    assert reports.link.key == "report"
    assert lonely.link.key == "lonely" and lonely.label == "LONELY"
    assert stray.link.key == "stray"
    with translation.override("ja"):
        assert str(home.label) == "ホーム" and str(handling.label) == "取扱い・申請"


def test_the_group_holding_the_current_page_is_current():
    entries = nav.menu_for([item("dashboard", "home"), item("approvals", "handling", current=True)])
    assert [entry.current for entry in entries] == [False, True]


def test_a_group_without_visible_items_does_not_show():
    assert nav.menu_for([item("dashboard", "home")])[0].key == "home"
    assert nav.menu_for([]) == []


@pytest.mark.django_db
def test_every_registered_item_belongs_to_a_known_group():
    # Apps name their group with one keyword; a typo would leave an item on its own.
    groups = {"home", "handling", "reports", "checks", "sharing", "admin"}
    assert {registered.group for registered in nav.registered()} <= groups


# --- the rendered header --------------------------------------------------------------------


def test_header_renders_groups_as_details_and_one_item_groups_as_plain_links():
    menu = nav.menu_for(
        [
            item("dashboard", "home", url="/"),
            item("tasks", "home", url="/tasks/", current=True),
            item("tokens", "admin", url="/tokens/"),
        ]
    )
    with translation.override("ja"):
        html = menu_html(loader.get_template("includes/header.html").render({"nav_menu": menu}))
    groups = GROUP.findall(html)
    assert groups == [(" is-current", "home", "ホーム")]
    # The 管理 group has just one item here: a plain link, no disclosure.
    assert 'data-nav-group="admin"' not in html
    assert LONE_LINK.findall(html) == [("", "/tokens/")]
    assert '<a class="primary-nav__link" href="/tasks/" aria-current="page">TASKS</a>' in html
    assert html.count("aria-current") == 1
    assert "表示中のページを含む" in html  # the current group says so to screen readers too


@pytest.mark.django_db
def test_staff_reach_every_item_they_may_see_and_nothing_else(client, login, staff):
    login(staff)
    html = menu_html(client.get(reverse("web:tasks")).content.decode())
    items = nav.items_for(staff)
    for visible in items:
        assert f'href="{visible.url}"' in html, visible.key
    assert html.count('class="primary-nav__link"') == len(items)
    assert reverse("trail:list") not in html and reverse("org:people") not in html
    assert 'data-nav-group="sharing"' not in html  # no visible item: no group
    assert len(GROUP.findall(html)) + len(LONE_LINK.findall(html)) <= 6  # a short top row


@pytest.mark.django_db
def test_officer_sees_the_admin_group_with_its_items(client, login, person_with):
    officer = person_with("section_isec_officer", scope="d1", username="officer-menu")
    login(officer)
    html = menu_html(client.get(reverse("web:dashboard")).content.decode())
    admin = re.search(r'data-nav-group="admin".*?</details>', html, re.S)
    assert admin, "the officer's 管理 group is missing"
    assert reverse("org:people") in admin.group(0) and reverse("web:tokens") in admin.group(0)
    for visible in nav.items_for(officer):
        assert f'href="{visible.url}"' in html, visible.key


@pytest.mark.django_db
def test_current_page_marks_its_item_and_its_group(client, login, staff):
    login(staff)
    html = menu_html(client.get(reverse("incidents:board")).content.decode())
    current = [group for group in GROUP.findall(html) if group[0]]
    assert [key for _mark, key, _label in current] == ["reports"]
    assert html.count("is-current") == 1 and html.count('aria-current="page"') == 1
    assert re.search(
        rf'<a class="primary-nav__link" href="{reverse("incidents:board")}" aria-current="page">',
        html,
    )


@pytest.mark.django_db
def test_menu_needs_no_inline_script_or_style_and_loads_its_own_files(client, login, staff):
    login(staff)
    html = client.get(reverse("web:dashboard")).content.decode()
    assert_csp_clean(html)
    assert re.search(r'<script src="[^"]*mamori/js/nav\.js" defer></script>', html)
    assert re.search(r'<link rel="stylesheet" href="[^"]*mamori/css/nav\.css">', html)
