"""適用除外 (防衛省通達 第1の3): the seven-item application by a 情報保証責任者, the
decision of the 情報保証統括責任者 and the six-item notice, both printable as PDF."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pypdfium2
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mamori.errors import Forbidden, InvalidInput
from mamori.systems import exemption_services as services
from mamori.systems.exemption_views import official_date
from mamori.systems.exemptions import Exemption
from mamori.trail.models import Event

from .conftest import ITEMS

pytestmark = pytest.mark.django_db

APPLICATION_HEADINGS = [
    "① 適用除外を申請する情報システムの名称",
    "② 適用除外とする訓令の該当箇所",
    "③ 適用除外とする期間",
    "④ 適用除外とする措置内容（講ずる代替手段等）",
    "⑤ 適用除外とすることにより生じる情報保証上の影響と対処方法",
    "⑥ 適用除外を終了した旨の報告方法",
    "⑦ 適用除外を申請する理由",
]
NOTICE_HEADINGS = [
    "① 許可又は不許可の別",
    "② 許可又は不許可の理由",
    "③ 適用除外を許可した訓令の該当箇所",
    "④ 適用除外を許可した期間",
    "⑤ 許可した措置内容（講ずるべき代替手段等）",
    "⑥ 適用除外を終了した旨の報告方法",
]


def pdf_text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(io.BytesIO(content))
    try:
        text = "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    # Table cells wrap: compare without line breaks and spaces.
    return "".join(text.split())


def flat(text: str) -> str:
    return "".join(text.split())


def trail_actions(exemption) -> list[str]:
    return list(
        Event.objects.filter(object_type="systems.exemption", object_id=str(exemption.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def grant(exemption, chief, **overrides):
    values = {
        "grant": True,
        "reason": "代替手段が妥当であるため",
        "clauses": ["第1の3(1)"],
        "period_start": exemption.period_start,
        "period_end": exemption.period_start + timedelta(days=29),
        "measures": "操作ログを毎日点検し、月次で報告すること",
        "end_report_method": "終了後3営業日以内に書面で報告すること",
    }
    values.update(overrides)
    return services.decide(exemption, chief, **values)


# --- the application ---------------------------------------------------------------------------


def test_ia_officer_applies_with_the_seven_items(ia_officer, ia_chief, system, apply_for):
    exemption = apply_for(ia_officer)
    assert exemption.system == system
    assert exemption.clauses == ITEMS["clauses"]
    assert exemption.impact == ITEMS["impact"]
    assert exemption.applicant_role == "ia_officer"
    request = exemption.request
    assert request.kind == "systems.exemption"
    assert request.state == "submitted" and request.approver == ia_chief
    assert trail_actions(exemption) == ["systems.exemption.applied"]
    assert exemption.notice() is None
    for value in ITEMS.values():
        for part in value if isinstance(value, list) else [value]:
            assert part in request.description  # readable on the approvals page too


def test_the_system_ia_officer_follows_but_does_not_apply(
    client, login, sys_ia_officer, ia_officer, ia_chief, apply_for
):
    # 第1の3(1): the 情報保証責任者 applies; the system's own officer sees its exemptions.
    with pytest.raises(Forbidden):
        apply_for(sys_ia_officer)
    exemption = apply_for(ia_officer)
    login(sys_ia_officer)
    assert client.get(reverse("systems:exemption_detail", args=[exemption.pk])).status_code == 200
    assert client.get(reverse("systems:exemption_new")).status_code == 403


@pytest.mark.parametrize("who", ["staff", "section_officer"])
def test_others_may_not_apply(request, ia_chief, apply_for, who):
    with pytest.raises(Forbidden):
        apply_for(request.getfixturevalue(who))
    assert not Exemption.objects.exists()


def test_an_ia_officer_of_another_unit_may_not_apply_for_the_system(
    person_with, ia_chief, apply_for
):
    elsewhere = person_with("ia_officer", unit="b2", scope="b2")
    with pytest.raises(Forbidden):
        apply_for(elsewhere)


def test_only_for_organisations_following_the_mod_rulebook(ia_officer, ia_chief, apply_for, org):
    org.rulebooks = ["toitsu"]
    org.save()
    ia_officer.organization.refresh_from_db()
    with pytest.raises(Forbidden):
        apply_for(ia_officer)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"clauses": []}, "clauses"),
        ({"clauses": ["第99の9(9)"]}, "clauses"),
        ({"clauses": ["2.2.2(1)(a)"]}, "clauses"),  # a 統一基準 id is not a 通達 clause
        ({"impact": " "}, "impact"),
        ({"end_report_method": ""}, "end_report_method"),
        ({"reason": ""}, "reason"),
        ({"period_end": date.today() - timedelta(days=1)}, "period_end"),
    ],
)
def test_bad_applications_are_refused(ia_officer, ia_chief, apply_for, overrides, field):
    from mamori.approvals.models import Request

    with pytest.raises(InvalidInput) as error:
        apply_for(ia_officer, **overrides)
    assert field in error.value.details
    assert not Request.objects.exists()


# --- the decision and the notice -------------------------------------------------------------------


def test_ia_chief_grants_and_the_notice_states_what_is_permitted(ia_officer, ia_chief, apply_for):
    exemption = apply_for(ia_officer)
    grant(exemption, ia_chief)
    exemption.refresh_from_db()
    assert exemption.request.state == "approved"
    notice = exemption.notice()
    assert notice.granted is True
    assert notice.reason == "代替手段が妥当であるため"
    assert notice.clauses == ["第1の3(1)"]
    assert notice.period_end == exemption.period_start + timedelta(days=29)
    assert notice.measures.startswith("操作ログを毎日点検し")
    assert notice.decided_by == ia_chief
    assert trail_actions(exemption) == ["systems.exemption.applied", "systems.exemption.granted"]


def test_ia_chief_refuses(ia_officer, ia_chief, apply_for):
    exemption = apply_for(ia_officer)
    services.decide(exemption, ia_chief, grant=False, reason="代替手段が不十分")
    exemption.refresh_from_db()
    notice = exemption.notice()
    assert exemption.request.state == "rejected"
    assert notice.granted is False and notice.reason == "代替手段が不十分"
    assert notice.clauses is None
    assert "systems.exemption.refused" in trail_actions(exemption)


def test_permission_cannot_exceed_the_application(ia_officer, ia_chief, apply_for):
    exemption = apply_for(ia_officer)
    with pytest.raises(InvalidInput):
        grant(exemption, ia_chief, clauses=["第2の3(1)"])
    with pytest.raises(InvalidInput):
        grant(exemption, ia_chief, period_end=exemption.period_end + timedelta(days=1))
    with pytest.raises(InvalidInput):
        grant(exemption, ia_chief, reason="")
    exemption.refresh_from_db()
    assert exemption.request.state == "submitted" and exemption.granted_clauses == []


def test_only_the_ia_chief_decides_and_never_their_own(
    person_with, ia_officer, ia_chief, apply_for
):
    exemption = apply_for(ia_officer)
    with pytest.raises(Forbidden):
        grant(exemption, ia_officer)
    both = person_with("ia_chief", "ia_officer", unit="b1")
    own = apply_for(both)
    assert own.request.approver == ia_chief
    with pytest.raises(Forbidden) as refused:
        grant(own, both)
    assert refused.value.code == "separation_of_duties"


def test_approval_on_the_approvals_page_grants_what_was_applied_for(
    ia_officer, ia_chief, apply_for
):
    from mamori.approvals import services as approvals

    exemption = apply_for(ia_officer)
    approvals.decide(exemption.request, ia_chief, "approve", "妥当")
    exemption.refresh_from_db()
    notice = exemption.notice()
    assert notice.granted and notice.clauses == ITEMS["clauses"]
    assert notice.period_end == exemption.period_end
    assert notice.end_report_method == ITEMS["end_report_method"]


# --- PDFs (acceptance) ------------------------------------------------------------------------------


def test_application_pdf_has_all_seven_items(
    client, login, ia_officer, ia_chief, system, apply_for
):
    exemption = apply_for(ia_officer)
    login(ia_officer)
    response = client.get(reverse("systems:exemption_application_pdf", args=[exemption.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "適用除外申請書" in text and "情報保証統括責任者殿" in text
    for heading in APPLICATION_HEADINGS:
        assert flat(heading) in text, heading
    values = [
        system.name,
        "防衛省通達第1の3(1)",
        "防衛省通達第2の2(2)",
        official_date(exemption.period_start),  # 令和…年…月…日
        ITEMS["measures"],
        ITEMS["impact"],
        ITEMS["end_report_method"],
        ITEMS["reason"],
    ]
    for value in values:
        assert flat(value) in text, value


def test_notice_pdf_has_all_six_items(client, login, ia_officer, ia_chief, apply_for):
    exemption = apply_for(ia_officer)
    login(ia_officer)
    url = reverse("systems:exemption_notice_pdf", args=[exemption.pk])
    assert client.get(url).status_code == 404  # not decided yet
    grant(exemption, ia_chief)
    exemption.refresh_from_db()
    response = client.get(url)
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "適用除外通知書" in text
    for heading in NOTICE_HEADINGS:
        assert flat(heading) in text, heading
    end = exemption.granted_period_end
    for value in [
        "許可",
        "代替手段が妥当であるため",
        "防衛省通達第1の3(1)",
        official_date(end),
        "操作ログを毎日点検し、月次で報告すること",
        "終了後3営業日以内に書面で報告すること",
    ]:
        assert flat(value) in text, value
    assert "防衛省通達第2の2(2)" not in text  # applied for, not permitted


def test_refusal_notice_pdf(client, login, ia_officer, ia_chief, apply_for):
    exemption = apply_for(ia_officer)
    services.decide(exemption, ia_chief, grant=False, reason="代替手段が不十分")
    login(ia_officer)
    text = pdf_text(
        client.get(reverse("systems:exemption_notice_pdf", args=[exemption.pk])).content
    )
    assert "不許可" in text and "代替手段が不十分" in text
    for heading in NOTICE_HEADINGS:
        assert flat(heading) in text


# --- pages and permissions -------------------------------------------------------------------------


def test_application_form_on_the_page(client, login, ia_officer, ia_chief, system):
    login(ia_officer)
    page = client.get(reverse("systems:exemption_new")).content.decode()
    for heading in APPLICATION_HEADINGS:
        assert heading.split(" ")[0] in page
    response = client.post(
        reverse("systems:exemption_new"),
        {
            "system": system.pk,
            "clauses": ["第1の3(1)"],
            "period_start": date.today().isoformat(),
            "period_end": (date.today() + timedelta(days=30)).isoformat(),
            "measures": "m",
            "impact": "i",
            "end_report_method": "e",
            "reason": "r",
            "submit": "1",
        },
    )
    exemption = Exemption.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("systems:exemption_detail", args=[exemption.pk])
    assert exemption.request.state == "submitted"


def test_ia_chief_decides_on_the_detail_page(client, login, ia_officer, ia_chief, apply_for):
    exemption = apply_for(ia_officer)
    login(ia_officer)
    assert (
        "審査の結果を通知する"
        not in client.get(reverse("systems:exemption_detail", args=[exemption.pk])).content.decode()
    )
    login(ia_chief)
    page = client.get(reverse("systems:exemption_detail", args=[exemption.pk])).content.decode()
    assert "審査の結果を通知する" in page
    response = client.post(
        reverse("systems:exemption_decide", args=[exemption.pk]),
        {
            "decision": "grant",
            "reason": "妥当",
            "granted_clauses": ["第1の3(1)"],
            "granted_period_start": exemption.period_start.isoformat(),
            "granted_period_end": exemption.period_end.isoformat(),
            "granted_measures": "ログ点検",
            "granted_end_report_method": "書面",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("systems:exemption_detail", args=[exemption.pk])).content.decode()
    assert "適用除外通知書" in page and "ログ点検" in page
    assert reverse("systems:exemption_notice_pdf", args=[exemption.pk]) in page


def test_a_bad_decision_shows_the_error(client, login, ia_officer, ia_chief, apply_for):
    exemption = apply_for(ia_officer)
    login(ia_chief)
    response = client.post(
        reverse("systems:exemption_decide", args=[exemption.pk]),
        {"decision": "grant", "reason": "妥当", "granted_clauses": ["第1の3(1)"]},
    )
    assert response.status_code == 400
    assert "許可する期間" in response.content.decode()


def test_who_sees_what(client, login, person_with, staff, ia_officer, ia_chief, apply_for):
    exemption = apply_for(ia_officer)
    detail = reverse("systems:exemption_detail", args=[exemption.pk])
    login(staff)
    assert client.get(reverse("systems:exemptions")).status_code == 403
    assert client.get(detail).status_code == 403
    assert client.get(reverse("systems:exemption_new")).status_code == 403
    assert (
        client.get(reverse("systems:exemption_application_pdf", args=[exemption.pk])).status_code
        == 403
    )
    elsewhere = person_with("ia_officer", unit="b2", scope="b2")
    login(elsewhere)
    assert client.get(detail).status_code == 404
    assert exemption.reference not in client.get(reverse("systems:exemptions")).content.decode()
    for person in (ia_officer, ia_chief):
        login(person)
        assert client.get(detail).status_code == 200
        assert exemption.reference in client.get(reverse("systems:exemptions")).content.decode()
    login(elsewhere)
    assert (
        client.post(
            reverse("systems:exemption_decide", args=[exemption.pk]),
            {"decision": "refuse", "reason": "x"},
        ).status_code
        == 404
    )


def test_list_filters_csv_and_menu(client, login, ia_officer, ia_chief, apply_for):
    first = apply_for(ia_officer)
    second = apply_for(ia_officer)
    services.decide(second, ia_chief, grant=False, reason="不十分")
    login(ia_chief)
    page = client.get(reverse("systems:exemptions"), {"state": "rejected"}).content.decode()
    assert second.reference in page and first.reference not in page
    response = client.get(reverse("systems:exemption_export"), {"state": "submitted"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert first.reference in body and second.reference not in body
    assert reverse("systems:exemptions") in client.get(reverse("web:dashboard")).content.decode()


def test_list_query_count_is_constant(client, login, ia_officer, ia_chief, apply_for):
    apply_for(ia_officer)
    login(ia_chief)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("systems:exemptions"))
    for _ in range(6):
        apply_for(ia_officer)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("systems:exemptions"))
    assert len(many) == len(few)


def test_calendar_shows_the_permitted_end(ia_officer, ia_chief, staff, apply_for):
    from mamori.web.deadlines import deadlines_for

    exemption = apply_for(ia_officer)
    grant(exemption, ia_chief)
    exemption.refresh_from_db()
    end = exemption.granted_period_end
    found = deadlines_for(ia_officer, date.today(), end, ["exemptions"])
    assert [d.uid for d in found] == [f"systems.exemption.{exemption.pk}"]
    assert found[0].due == end
    assert deadlines_for(staff, date.today(), end, ["exemptions"]) == []


def test_a_second_organisation_sees_and_decides_nothing(
    client, login, ia_officer, ia_chief, apply_for, other_org_person
):
    exemption = apply_for(ia_officer)
    stranger = other_org_person("ia_chief", "ia_officer")
    login(stranger)
    for name in ("exemption_detail", "exemption_application_pdf", "exemption_edit"):
        assert client.get(reverse(f"systems:{name}", args=[exemption.pk])).status_code == 404
    assert exemption.reference not in client.get(reverse("systems:exemptions")).content.decode()
    response = client.post(
        reverse("systems:exemption_decide", args=[exemption.pk]),
        {"decision": "refuse", "reason": "x"},
    )
    assert response.status_code == 404
    with pytest.raises(Forbidden):
        services.decide(exemption, stranger, grant=False, reason="x")
    exemption.request.refresh_from_db()
    assert exemption.request.state == "submitted"


def test_who_may_not_decide_is_told_so_before_any_validation(ia_officer, ia_chief, apply_for):
    exemption = apply_for(ia_officer)
    with pytest.raises(Forbidden):
        grant(exemption, ia_officer, clauses=["第99の9(9)"])  # not InvalidInput


# --- a returned application ----------------------------------------------------------------------


def returned(exemption, chief):
    from mamori.approvals import services as approvals

    approvals.decide(exemption.request, chief, "return", "⑤を具体的に")
    exemption.refresh_from_db()
    return exemption


def test_a_returned_application_is_revised_and_the_notice_follows(
    client, login, ia_officer, ia_chief, system, apply_for
):
    exemption = returned(apply_for(ia_officer), ia_chief)
    login(ia_officer)
    detail = reverse("systems:exemption_detail", args=[exemption.pk])
    assert (
        reverse("systems:exemption_edit", args=[exemption.pk])
        in client.get(detail).content.decode()
    )
    start = exemption.period_start
    response = client.post(
        reverse("systems:exemption_edit", args=[exemption.pk]),
        {
            "system": system.pk,
            "clauses": ["第1の3(1)"],
            "period_start": start.isoformat(),
            "period_end": (start + timedelta(days=59)).isoformat(),
            "measures": "改めた代替手段",
            "impact": "影響は接続元の限定で対処する（具体化）",
            "end_report_method": "書面",
            "reason": "理由",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    exemption.refresh_from_db()
    request = exemption.request
    assert request.state == "submitted" and request.period_end == start + timedelta(days=59)
    assert "影響は接続元の限定で対処する（具体化）" in request.description
    assert request.conditions == "改めた代替手段"
    assert "systems.exemption.revised" in trail_actions(exemption)
    from mamori.approvals import services as approvals

    approvals.decide(request, ia_chief, "approve", "妥当")
    exemption.refresh_from_db()
    notice = exemption.notice()
    assert notice.clauses == ["第1の3(1)"] and notice.measures == "改めた代替手段"
    assert notice.period_end == start + timedelta(days=59)


def test_the_generic_edit_form_cannot_change_an_application_alone(
    client, login, ia_officer, ia_chief, apply_for
):
    exemption = returned(apply_for(ia_officer), ia_chief)
    request = exemption.request
    login(ia_officer)
    response = client.post(
        reverse("approvals:edit", args=[request.pk]),
        {
            "title": request.title,
            "description": "まったく別の内容",
            "period_start": request.period_start.isoformat(),
            "period_end": (request.period_end + timedelta(days=30)).isoformat(),
            "conditions": request.conditions,
        },
    )
    assert response.status_code == 200
    assert "申請書を修正する" in response.content.decode()
    request.refresh_from_db()
    assert request.description != "まったく別の内容"
    assert request.period_end == exemption.period_end
    # Resubmitting unchanged from the approvals page still works.
    response = client.post(
        reverse("approvals:edit", args=[request.pk]),
        {
            "title": request.title,
            "description": request.description.replace("\n", "\r\n"),
            "period_start": request.period_start.isoformat(),
            "period_end": request.period_end.isoformat(),
            "conditions": request.conditions,
            "submit": "1",
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == "submitted"


def test_only_the_applicant_revises_and_only_while_editable(
    client, login, person_with, ia_officer, ia_chief, apply_for
):
    exemption = apply_for(ia_officer)
    login(ia_officer)
    edit = reverse("systems:exemption_edit", args=[exemption.pk])
    assert client.get(edit).status_code == 302  # submitted: not editable
    returned(exemption, ia_chief)
    colleague = person_with("ia_officer", unit="b1", scope="b1")
    values = {
        **ITEMS,
        "system": exemption.system,
        "period_start": exemption.period_start,
        "period_end": exemption.period_end,
    }
    with pytest.raises(Forbidden):
        services.revise(exemption, colleague, **values)


def test_official_dates_use_the_japanese_era():
    from django.utils import translation

    assert official_date(date(2019, 5, 1)) == "令和元年5月1日"
    assert official_date(date(2026, 12, 6)) == "令和8年12月6日"
    assert official_date(date(2019, 4, 30)) == "2019-04-30"
    with translation.override("en"):
        assert official_date(date(2026, 12, 6)) == "2026-12-06"
