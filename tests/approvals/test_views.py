from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mamori.approvals import services
from mamori.approvals.models import Attachment, Request
from mamori.approvals.workflow import State

FORM = {
    "kind": "general.permission",
    "title": "外部記録媒体の使用",
    "description": "研修資料の受渡し",
    "period_start": "2026-12-01",
    "period_end": "2026-12-10",
    "conditions": "",
}


def make_request(person, title="USBメモリの使用"):
    return services.create(
        person,
        kind="general.permission",
        title=title,
        period_start=date(2026, 12, 1),
        period_end=date(2026, 12, 2),
    )


def test_staff_submits_through_the_form_and_the_officer_approves(
    client, login, staff, section_officer
):
    login(staff)
    response = client.post(reverse("approvals:new"), {**FORM, "submit": "1"})
    request = Request.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "approvals:detail", args=[request.pk]
    )
    assert request.state == State.SUBMITTED and request.approver == section_officer

    login(section_officer)
    page = client.get(reverse("approvals:detail", args=[request.pk]))
    assert "承認する" in page.content.decode()
    client.post(reverse("approvals:act", args=[request.pk]), {"action": "approve", "reason": ""})
    request.refresh_from_db()
    assert request.state == State.APPROVED


def test_form_errors_are_shown_and_nothing_is_saved(client, login, staff):
    login(staff)
    response = client.post(reverse("approvals:new"), {**FORM, "title": "", "period_end": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "このフィールドは必須です。" in body
    assert not Request.objects.exists()


def test_form_errors_come_in_english_for_an_english_user(client, login, staff):
    login(staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(reverse("approvals:new"), {**FORM, "title": ""})
    assert "This field is required." in response.content.decode()


def test_oversized_attachment_on_the_form_is_refused_with_a_message(
    client, login, staff, section_officer, settings
):
    settings.UPLOAD_MAX_BYTES = 1024
    login(staff)
    big = SimpleUploadedFile("plan.pdf", b"x" * 4096, content_type="application/pdf")
    response = client.post(reverse("approvals:new"), {**FORM, "attachment": big, "submit": "1"})
    assert response.status_code == 200
    assert "ファイルが大きすぎます" in response.content.decode()
    assert not Request.objects.exists() and not Attachment.objects.exists()


def test_applicant_cannot_approve_own_request_and_is_told_why(
    client, login, section_officer, person_with
):
    other = person_with("section_isec_officer", unit="d1", scope="d1")
    request = services.submit(make_request(other), other)
    login(other)
    client.post(reverse("approvals:act", args=[request.pk]), {"action": "approve"})
    request.refresh_from_db()
    assert request.state == State.SUBMITTED


def test_a_person_of_another_unit_gets_404_for_a_request(client, login, staff, outsider):
    request = make_request(staff)
    login(outsider)
    assert client.get(reverse("approvals:detail", args=[request.pk])).status_code == 404
    assert (
        client.post(reverse("approvals:act", args=[request.pk]), {"action": "submit"}).status_code
        == 404
    )


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("approvals:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_filters_sorts_and_exports(client, login, staff, section_officer):
    make_request(staff, "AAA 持出し")
    services.submit(make_request(staff, "BBB 持出し"), staff)
    login(staff)
    page = client.get(reverse("approvals:list"), {"state": "submitted"}).content.decode()
    assert "BBB" in page and "AAA" not in page
    export = client.get(reverse("approvals:export"), {"q": "AAA"})
    content = b"".join(export.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff") and "AAA 持出し" in content and "BBB" not in content


def test_list_runs_a_constant_number_of_queries(client, login, staff, section_officer):
    login(staff)
    make_request(staff)
    client.get(reverse("approvals:list"))  # warm caches (sessions, content types)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("approvals:list"))
    for n in range(15):
        services.submit(make_request(staff, f"件名{n}"), staff)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("approvals:list")).status_code == 200
    assert len(many) == len(few)


def test_tasks_page_lists_what_i_must_decide(client, login, staff, section_officer):
    request = services.submit(make_request(staff, "判断待ちの件"), staff)
    login(section_officer)
    page = client.get(reverse("web:tasks")).content.decode()
    assert request.title in page
    login(staff)
    assert request.title in client.get(reverse("web:tasks")).content.decode()  # as my own


@pytest.mark.parametrize("url_name", ["web:dashboard", "web:tasks", "approvals:list"])
def test_tasks_and_dashboard_need_a_roster_entry(client, url_name, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="long enough pass 1")
    client.force_login(user)
    assert client.get(reverse(url_name)).status_code == 403


def test_rule_driven_kinds_are_not_offered_on_the_generic_form(client, login, staff):
    login(staff)
    page = client.get(reverse("approvals:new")).content.decode()
    assert "general.permission" in page and "assets.handling" not in page
    assert client.get(reverse("approvals:new"), {"kind": "assets.handling"}).status_code == 404


def test_dashboard_counts_every_waiting_request_not_just_those_listed(
    client, login, staff, section_officer
):
    from mamori.approvals.models import Request

    for n in range(22):
        services.submit(make_request(staff, f"件名{n}"), staff)
    Request.objects.filter(title__in=["件名0", "件名1"]).update(due_date=date(2020, 1, 6))
    login(section_officer)
    response = client.get(reverse("web:dashboard"))
    assert response.context["awaiting_count"] == 22
    assert response.context["overdue_count"] == 2
