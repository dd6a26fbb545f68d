"""The audit pages as people use them: who sees what, the yearly warning, lists with
filters and CSV, query counts that do not grow with rows."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from tests.compliance.audits.conftest import soon


def test_menu_and_index_are_for_audit_roles(client, login, staff, auditor):
    login(staff)
    assert client.get(reverse("audits:index")).status_code == 403
    assert client.get(reverse("audits:findings")).status_code == 403
    login(auditor)
    page = client.get(reverse("audits:index")).content.decode()
    assert "情報セキュリティ監査" in page and reverse("audits:index") in page


def test_warning_when_the_year_has_no_periodic_audit(client, login, auditor, make_audit, org):
    login(auditor)
    page = client.get(reverse("audits:index")).content.decode()
    assert 'id="periodic-warning"' in page and "2.3.2(1)" in page and "第12の2" not in page
    org.rulebooks = ["toitsu", "mod"]
    org.save()
    page = client.get(reverse("audits:index")).content.decode()
    assert "第12の2(1)①" in page  # 防衛省通達: at least once a 年度
    make_audit()
    page = client.get(reverse("audits:index")).content.decode()
    assert 'id="periodic-warning"' not in page


def test_planning_on_the_page_builds_the_checklist(client, login, auditor, units, isec_officer):
    login(auditor)
    today = timezone.localdate()
    response = client.post(
        reverse("audits:create"),
        {
            "title": "定期監査（総務課）",
            "kind": "periodic",
            "units": [units["d1"].pk],
            "start_date": today.isoformat(),
            "end_date": (today + timedelta(days=7)).isoformat(),
            "rulebooks": ["toitsu"],
            "sections": "2.3",
            "lead": auditor.pk,
        },
    )
    from mamori.compliance.audits.models import Audit

    audit = Audit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "audits:detail", args=[audit.pk]
    )
    page = client.get(reverse("audits:checklist", args=[audit.pk])).content.decode()
    assert "統一基準(H30) 2.3.1(3)(a)" in page


def test_the_planning_page_shows_the_separation_refusal(client, login, auditor, units, person_with):
    insider = person_with(unit="d1")
    login(auditor)
    today = timezone.localdate()
    response = client.post(
        reverse("audits:create"),
        {
            "title": "定期監査",
            "kind": "periodic",
            "units": [units["d1"].pk],
            "start_date": today.isoformat(),
            "end_date": today.isoformat(),
            "rulebooks": ["toitsu"],
            "lead": auditor.pk,
            "auditors": [insider.pk],
        },
    )
    assert response.status_code == 200
    assert "2.1.1(8)(a)(イ)" in response.content.decode()


def test_isec_officer_sees_only_their_units_findings(
    client, login, reported_audit, make_audit, person_with, isec_officer, units
):
    from mamori.compliance.audits import services

    outside_auditor = person_with("isec_auditor", unit="d2")
    other = make_audit(unit="d3", planner=outside_auditor, title="情報課の監査")
    other = services.start_audit(other, outside_auditor)
    services.record_finding(
        other,
        outside_auditor,
        severity="medium",
        clause="c",
        description="情報課の鍵管理が不十分",
        unit=units["d3"],
    )
    login(isec_officer)
    page = client.get(reverse("audits:findings")).content.decode()
    assert "自己点検結果の評価が行われていない" in page
    assert "情報課の鍵管理が不十分" not in page
    assert "全庁的に教育記録の様式" not in page  # cross-cutting: the 統括's
    assert client.get(reverse("audits:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("audits:detail", args=[reported_audit.pk])).status_code == 200
    audits = client.get(reverse("audits:index")).content.decode()
    assert reported_audit.number in audits and other.number not in audits


def test_only_the_ciso_may_instruct_on_the_page(
    client, login, reported_audit, auditor, ciso, chief, isec_officer
):
    url = reverse("audits:instruct", args=[reported_audit.pk])
    data = {"instruction": "改善せよ", "due_date": soon().isoformat()}
    login(auditor)
    assert client.post(url, data).status_code == 403
    login(ciso)
    detail = client.get(reverse("audits:detail", args=[reported_audit.pk])).content.decode()
    assert url in detail
    client.post(url, data)
    assert reported_audit.plans.count() == 2


def test_plan_page_refuses_closing_with_open_items(client, login, instructed, ciso, isec_officer):
    plan = next(p for p in instructed if p.officer == isec_officer)
    login(isec_officer)
    client.post(
        reverse("audits:item_add", args=[plan.pk]),
        {"measure": "手順書を改訂する", "owner": isec_officer.pk, "due_date": soon(3).isoformat()},
    )
    assert plan.items.count() == 1
    login(ciso)
    response = client.post(reverse("audits:plan_close", args=[plan.pk]), follow=True)
    assert "未完了の改善措置が1件あるため" in response.content.decode()
    plan.refresh_from_db()
    assert plan.state == "instructed"


def test_overdue_items_are_highlighted(client, login, instructed, isec_officer):
    from mamori.compliance.audits.models import ImprovementItem

    plan = next(p for p in instructed if p.officer == isec_officer)
    ImprovementItem.objects.create(
        plan=plan,
        measure="遅れている措置",
        owner=isec_officer,
        due_date=timezone.localdate() - timedelta(days=2),
    )
    login(isec_officer)
    page = client.get(reverse("audits:items")).content.decode()
    assert "遅れている措置" in page and "audits-overdue" in page and "期限超過" in page
    page = client.get(reverse("audits:plan", args=[plan.pk])).content.decode()
    assert "audits-overdue" in page


def test_csv_exports(client, login, reported_audit, ciso):
    login(ciso)
    audits = b"".join(client.get(reverse("audits:export")).streaming_content).decode()
    assert reported_audit.number in audits
    findings = b"".join(
        client.get(reverse("audits:findings_export") + "?severity=major").streaming_content
    ).decode()
    assert "自己点検結果の評価" in findings and "教育記録" not in findings


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_query_counts_do_not_grow_with_rows(
    client, login, make_audit, auditor, ciso, chief, isec_officer, units
):
    from mamori.compliance.audits import services, services_plans

    def one_more():
        audit = services.start_audit(make_audit(sections=("2.3.2",)), auditor)
        services.record_finding(
            audit, auditor, severity="minor", clause="c", description="d", unit=units["d1"]
        )
        audit = services.issue_report(audit, auditor, summary="s")
        for plan in services_plans.issue_instructions(
            audit, ciso, instruction="i", due_date=soon()
        ):
            services_plans.add_item(
                plan, plan.officer, measure="m", owner=plan.officer, due_date=soon()
            )

    one_more()
    login(ciso)
    urls = [
        reverse("audits:index"),
        reverse("audits:findings"),
        reverse("audits:items") + "?status=all",
    ]
    few = [_count(client, url) for url in urls]
    for _ in range(4):
        one_more()
    many = [_count(client, url) for url in urls]
    assert many == few


def test_report_page_shows_findings(client, login, reported_audit, ciso):
    login(ciso)
    page = client.get(reverse("audits:report", args=[reported_audit.pk])).content.decode()
    assert "監査報告書" in page and "総務課で自己点検結果の評価が行われていない" in page


def test_an_item_owner_opens_the_plan_from_the_notice(
    client, login, instructed, isec_officer, staff
):
    from mamori.compliance.audits import services_plans
    from mamori.notices.models import Notification

    plan = next(p for p in instructed if p.officer == isec_officer)
    item = services_plans.add_item(
        plan, isec_officer, measure="課員に周知する", owner=staff, due_date=soon()
    )
    notice = Notification.objects.get(recipient=staff)
    login(staff)
    page = client.get(notice.url).content.decode()
    assert "課員に周知する" in page
    # no links to pages they may not open (the audit, the lists of audits and findings)
    assert reverse("audits:detail", args=[plan.audit_id]) not in page
    for name in ("audits:index", "audits:findings"):
        assert f'href="{reverse(name)}"' not in page
    client.post(reverse("audits:item_done", args=[plan.pk, item.pk]), {"result": "朝会で周知した"})
    item.refresh_from_db()
    assert item.result == "朝会で周知した" and item.done_at is not None
    from mamori.trail.models import Event

    assert Event.objects.filter(action="audits.item.done").exists()


def test_every_page_renders_in_english(client, login, instructed, auditor, ciso, isec_officer):
    from django.utils import translation

    audit = instructed[0].audit
    login(ciso)
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        for name, args in [
            ("audits:index", []),
            ("audits:findings", []),
            ("audits:items", []),
            ("audits:detail", [audit.pk]),
            ("audits:checklist", [audit.pk]),
            ("audits:report", [audit.pk]),
            ("audits:plan", [instructed[0].pk]),
        ]:
            response = client.get(reverse(name, args=args), HTTP_ACCEPT_LANGUAGE="en")
            assert response.status_code == 200, name
        login(auditor)
        assert client.get(reverse("audits:create")).status_code == 200
        # the finding form is for a running audit: a reported one goes back to its page
        response = client.get(reverse("audits:finding_new", args=[audit.pk]))
        assert response.status_code == 302


def test_the_finding_form_renders_in_english_with_the_upload_limits(
    client, login, running_audit, auditor
):
    login(auditor)
    client.cookies["django_language"] = "en"
    response = client.get(
        reverse("audits:finding_new", args=[running_audit.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "MB" in page and "pdf" in page  # the size limit and the accepted types


def test_audit_and_plan_page_query_counts_do_not_grow_with_rows(
    client, login, running_audit, auditor, ciso, chief, isec_officer, units
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mamori.compliance.audits import services, services_plans

    def finding(n):
        files = [SimpleUploadedFile(f"e{n}.pdf", f"%PDF-1.4 {n}".encode())]
        services.record_finding(
            running_audit,
            auditor,
            severity="minor",
            clause="c",
            description=f"指摘{n}",
            unit=units["d1"],
            attachments=files,
        )

    def counts():
        detail = reverse("audits:detail", args=[running_audit.pk])
        return [_count(client, detail)]

    finding(0)
    login(auditor)
    few = counts()
    for n in range(1, 5):
        finding(n)
    assert counts() == few
    audit = services.issue_report(running_audit, auditor, summary="s")
    (plan,) = services_plans.issue_instructions(audit, ciso, instruction="i", due_date=soon())
    services_plans.add_item(plan, plan.officer, measure="m0", owner=plan.officer, due_date=soon())
    login(isec_officer)
    url = reverse("audits:plan", args=[plan.pk])
    few = [_count(client, url), _count(client, reverse("audits:detail", args=[audit.pk]))]
    for n in range(1, 5):
        services_plans.add_item(
            plan, plan.officer, measure=f"m{n}", owner=plan.officer, due_date=soon()
        )
    many = [_count(client, url), _count(client, reverse("audits:detail", args=[audit.pk]))]
    assert many == few
