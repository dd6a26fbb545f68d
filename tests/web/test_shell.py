"""The page shell every screen shares: language, security headers, navigation, assets."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template import Context, Template, loader
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from mamori.notices.models import Notification
from mamori.org.models import RoleAssignment
from mamori.web import nav
from mamori.web.context import navigation

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "mamori" / "web" / "templates"
BUILD_HINT = "run `npm install && npm run build` to copy the front-end packages into static/vendor/"

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
HANDLER_ATTRIBUTE = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match, "no <html lang=…> in the page"
    return match.group(1)


def assert_csp_clean(html: str) -> None:
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
    assert not STYLE_ATTRIBUTE.search(html), STYLE_ATTRIBUTE.search(html).group(0)
    assert not HANDLER_ATTRIBUTE.search(html), HANDLER_ATTRIBUTE.search(html).group(0)
    assert "<style" not in html


# --- language -------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_are_japanese_by_default(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert html_lang(response) == "ja"
    assert "ログイン" in response.content.decode()


@pytest.mark.django_db
def test_language_switch_is_a_plain_post_form_and_switches_to_english(client):
    login_url = reverse("account_login")
    html = client.get(login_url).content.decode()
    # Works without JavaScript: a POST form to set_language that names where to come back.
    form = re.search(
        r'<form class="lang-switch" method="post" action="([^"]+)">(.*?)</form>', html, re.S
    )
    assert form and form.group(1) == reverse("set_language")
    assert 'name="csrfmiddlewaretoken"' in form.group(2)
    assert f'name="next" value="{login_url}"' in form.group(2)
    assert 'name="language" value="ja"' in form.group(2)
    assert 'name="language" value="en"' in form.group(2)

    response = client.post(reverse("set_language"), {"language": "en", "next": login_url})
    assert response.status_code == 302 and response["Location"] == login_url
    assert html_lang(client.get(login_url)) == "en"

    client.post(reverse("set_language"), {"language": "ja", "next": login_url})
    assert html_lang(client.get(login_url)) == "ja"


# --- security headers and markup the CSP allows ---------------------------------------


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("account_login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy


@pytest.mark.django_db
def test_login_page_has_no_inline_script_style_or_handler(client):
    html = client.get(reverse("account_login")).content.decode()
    assert_csp_clean(html)
    # htmx must not inject its indicator <style>, which the CSP would block.
    assert '"includeIndicatorStyles":false' in html


@pytest.mark.django_db
def test_login_page_keeps_allauth_fields_and_offers_no_sign_up(client):
    html = client.get(reverse("account_login")).content.decode()
    assert re.search(r'<input[^>]+name="login"', html)
    assert re.search(r'<input[^>]+name="password"', html)
    assert "mamori" in html
    assert "/accounts/signup/" not in html
    assert 'class="primary-nav"' not in html  # signed-out pages have no navigation


@pytest.mark.django_db
def test_signed_in_page_has_landmarks_navigation_and_logout(client, login, staff):
    login(staff)
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert_csp_clean(html)
    for landmark in ("<header", "<nav", "<main", "<footer"):
        assert landmark in html
    assert 'href="#main"' in html  # skip link
    assert staff.display_name in html and "テスト省" in html
    assert re.search(
        r'<a class="primary-nav__link" href="/" aria-current="page">ダッシュボード</a>', html
    )
    assert f'action="{reverse("account_logout")}"' in html


def test_messages_are_announced_with_a_class_per_level():
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message

    html = loader.get_template("includes/messages.html").render(
        {
            "messages": [
                Message(constants.SUCCESS, "保存しました。"),
                Message(constants.ERROR, "保存できませんでした。"),
                Message(constants.DEBUG, "調査用"),
            ]
        }
    )
    assert 'role="status"' in html
    success = r'class="alert alert--success"[^>]*>\s*<p class="alert__body">保存しました。'
    assert re.search(success, html)
    assert 'class="alert alert--error"' in html
    assert 'class="alert alert--info"' in html  # debug is shown as info


@pytest.mark.django_db
def test_missing_page_uses_the_mamori_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "ページが見つかりません" in html and 'class="site-header"' in html
    assert_csp_clean(html)


@pytest.mark.django_db
def test_tasks_page_marks_overdue_and_near_deadlines(client, login, staff, other_staff):
    from django.utils import timezone

    from mamori.approvals.models import Request

    today = timezone.localdate()
    for title, days in (("期限切れの件", -1), ("明日が期限の件", 1), ("来月の件", 30)):
        Request.objects.create(
            organization=staff.organization,
            unit=other_staff.unit,
            kind="general.permission",
            applicant=other_staff,
            approver=staff,
            title=title,
            state="submitted",
            due_date=today + timedelta(days=days),
            submitted_at=timezone.now(),
        )
    login(staff)
    html = client.get(reverse("web:tasks")).content.decode()
    rows = {
        title: re.search(rf"{title}.*?</tr>", html, re.S).group(0)
        for title in ("期限切れの件", "明日が期限の件", "来月の件")
    }
    assert 'class="due overdue"' in rows["期限切れの件"] and "期限超過" in rows["期限切れの件"]
    assert 'class="due due-soon"' in rows["明日が期限の件"]
    assert "overdue" not in rows["来月の件"] and "due-soon" not in rows["来月の件"]
    assert 'class="badge badge--submitted"' in rows["来月の件"]


# --- navigation -----------------------------------------------------------------------------


def keys(items) -> list[str]:
    return [item.key for item in items]


@pytest.mark.django_db
def test_trail_is_in_the_navigation_only_for_audit_roles(person_with):
    staff = person_with(username="plain")
    auditor = person_with("isec_auditor", unit="b2", username="auditor-x")
    with translation.override("ja"):
        staff_items = nav.items_for(staff)
        auditor_items = nav.items_for(auditor)
        assert "証跡" not in [str(item.label) for item in staff_items]
        assert "証跡" in [str(item.label) for item in auditor_items]
    assert keys(staff_items)[:3] == ["dashboard", "tasks", "approvals"]
    assert "tokens" in keys(staff_items)
    assert "org" not in keys(staff_items) and "org" not in keys(auditor_items)


@pytest.mark.django_db
def test_org_admin_roles_see_organisation_and_roles(person_with):
    officer = person_with("section_isec_officer", scope="d1", username="sec-officer")
    assert "org" in keys(nav.items_for(officer))


@pytest.mark.django_db
def test_an_ended_role_no_longer_shows_its_items(person_with):
    auditor = person_with("isec_auditor", unit="b2", username="former-auditor")
    RoleAssignment.objects.filter(person=auditor).update(
        valid_from=date(2020, 1, 1), valid_to=date(2020, 12, 31)
    )
    assert "trail" not in keys(nav.items_for(auditor))


def test_nobody_gets_no_navigation():
    assert nav.items_for(None) == []


@pytest.mark.django_db
def test_items_whose_page_does_not_exist_yet_are_skipped(person_with):
    person = person_with(username="early")
    nav.register(nav.NavItem("future", "未来", "future:index", None, 50))
    try:
        assert "future" not in keys(nav.items_for(person))
    finally:
        nav.unregister("future")


def test_current_item_is_the_longest_matching_url():
    items = [
        nav.ResolvedNavItem("dashboard", "d", "/"),
        nav.ResolvedNavItem("approvals", "a", "/approvals/"),
        nav.ResolvedNavItem("tasks", "t", "/tasks/"),
    ]
    assert nav.current_key(items, "/") == "dashboard"
    assert nav.current_key(items, "/approvals/12/") == "approvals"
    assert nav.current_key(items, "/accounts/2fa/") is None


@pytest.mark.django_db
def test_context_processor_needs_at_most_three_queries(person_with, django_assert_max_num_queries):
    person = person_with(username="counted")
    Notification.objects.create(recipient=person, message="お知らせ")
    Notification.objects.create(recipient=person, message="既読", read_at="2025-01-01T00:00Z")
    user = type(person.user).objects.get(pk=person.user_id)  # nothing cached yet
    request = RequestFactory().get("/tasks/")
    request.user = user
    with django_assert_max_num_queries(3):
        context = navigation(request)
        assert context["current_person"].organization.name == "テスト省"
        assert [item.key for item in context["nav_items"] if item.current] == ["tasks"]
        assert context["unread_notice_count"] == 1


@pytest.mark.django_db
def test_context_processor_is_quiet_for_anonymous_visitors(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert navigation(request) == {
            "current_person": None,
            "nav_items": [],
            "nav_menu": [],
            "unread_notice_count": 0,
        }


# --- template helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (date(2025, 4, 9), "overdue"),
        (date(2025, 4, 10), "due-soon"),
        (date(2025, 4, 12), "due-soon"),
        (date(2025, 4, 13), ""),
        (None, ""),
    ],
)
def test_due_class_marks_past_and_near_deadlines(due, expected):
    template = Template("{% load mamori_ui %}{{ due|due_class:today }}")
    assert template.render(Context({"due": due, "today": date(2025, 4, 10)})) == expected


def test_due_date_tag_labels_the_state_in_words():
    html = Template("{% load mamori_ui %}{% due_date due today %}").render(
        Context({"due": date(2025, 4, 1), "today": date(2025, 4, 10)})
    )
    assert 'class="due overdue"' in html and "2025-04-01" in html
    with translation.override("ja"):
        assert "期限超過" in Template("{% load mamori_ui %}{% due_date due today %}").render(
            Context({"due": date(2025, 4, 1), "today": date(2025, 4, 10)})
        )


def test_server_error_page_renders_without_request_or_database():
    html = loader.get_template("500.html").render({})
    assert "500" in html and "mamori" in html
    assert_csp_clean(html)


# --- static files ---------------------------------------------------------------------------------


def referenced_static_paths() -> set[str]:
    paths = set()
    for template in TEMPLATES.rglob("*.html"):
        paths.update(re.findall(r"{%\s*static\s+['\"]([^'\"]+)['\"]", template.read_text()))
    return paths


def test_every_static_file_the_templates_reference_exists():
    paths = referenced_static_paths()
    assert {
        "vendor/design-tokens.css",
        "vendor/htmx.min.js",
        "mamori/css/app.css",
        "mamori/js/app.js",
    } <= paths
    missing = sorted(path for path in paths if not finders.find(path))
    vendor_missing = [path for path in missing if path.startswith("vendor/")]
    assert not vendor_missing, f"missing {vendor_missing}: {BUILD_HINT}"
    assert not missing, f"missing static files: {missing}"


def test_vendor_build_provides_htmx_2_chart_js_and_the_design_tokens():
    for path in ("vendor/htmx.min.js", "vendor/chart.umd.min.js", "vendor/design-tokens.css"):
        assert finders.find(path), f"static/{path} is missing: {BUILD_HINT}"
    htmx = Path(finders.find("vendor/htmx.min.js")).read_text(encoding="utf-8")
    assert 'version:"2.' in htmx, "htmx must be 2.x"
    tokens = Path(finders.find("vendor/design-tokens.css")).read_text(encoding="utf-8")
    assert "--color-primitive-blue-900" in tokens
    # Nothing reaches out to the internet: no remote URLs, no web fonts.
    assert "@import" not in tokens and "@font-face" not in tokens


def test_stylesheet_references_resolve_and_stay_local():
    css_path = Path(finders.find("mamori/css/app.css"))
    css = css_path.read_text(encoding="utf-8")
    for url in re.findall(r"url\(\"?([^\")]+)\"?\)", css):
        assert not url.startswith(("http:", "https:", "//")), url
        assert (css_path.parent / url).resolve().exists(), f"app.css refers to missing {url}"
    assert "@font-face" not in css and "@import" not in css


@pytest.mark.django_db
def test_everyone_who_may_open_the_roster_sees_it_in_the_menu(person_with):
    # The menu and the page read one list: a 保護管理者 may open the roster, so sees it.
    manager = person_with("pii_manager", scope="d1", username="pii-manager-x")
    assert "org" in keys(nav.items_for(manager))
