"""A sample audit for the demo, run through the services like a real one: a periodic audit
of one division with two findings, the report, the CISO's instructions and one
improvement plan with one measure done and one still open.

Called by mamori.org.demo for an organisation that has no audit yet, so a second
`mamori demo` run adds nothing."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from mamori.compliance.audits import services, services_plans
from mamori.compliance.audits.models import Audit
from mamori.compliance.audits.rules import PLANNERS
from mamori.errors import InvalidInput
from mamori.org import scope
from mamori.org.models import OrgUnit, RoleAssignment
from mamori.rules.separation import lineage_overlaps

# The division audited, by preference (demo_data unit codes); else the first division
# the auditor is independent of.
PREFERRED_UNITS = ("somu", "kenkyu-ka")


def _holder(org, people: dict, roles: tuple[str, ...], *, org_wide: bool = True):
    usernames = set(
        RoleAssignment.objects.active()
        .filter(organization=org, role__in=roles, **({"unit__isnull": True} if org_wide else {}))
        .values_list("person__user__username", flat=True)
    )
    for username in sorted(usernames):
        if username in people:
            return people[username]
    return None


def _audited_unit(org, auditor):
    own = scope.unit_paths(auditor)
    candidates = list(OrgUnit.objects.filter(organization=org, kind="division"))
    candidates.sort(key=lambda u: (u.code not in PREFERRED_UNITS, u.path))
    for unit in candidates:
        if not any(lineage_overlaps(path, unit.path) for path in own):
            return unit
    return None


def build_audits(org, people: dict) -> int:
    """Build the sample audit for `org` if it has none. `people` maps usernames to Person
    rows. Returns the number of audits made (0 or 1)."""
    if Audit.objects.filter(organization=org).exists():
        return 0
    auditor = _holder(org, people, PLANNERS["periodic"])
    ciso = _holder(org, people, ("ciso",))
    if auditor is None or ciso is None:
        return 0
    unit = _audited_unit(org, auditor)
    if unit is None:
        return 0
    today = timezone.localdate()
    audit = services.plan_audit(
        auditor,
        title=f"情報セキュリティ監査（{unit.name}）",
        kind="periodic",
        units=[unit],
        start_date=today - timedelta(days=21),
        end_date=today - timedelta(days=7),
        report_due=today + timedelta(days=7),
        rulebooks=["toitsu"],
        sections=["2.2", "2.3"],
    )
    audit = services.start_audit(audit, auditor)
    rows = list(audit.checklist.all()[:3])
    for row in rows[1:]:
        services.record_check(row, auditor, result="conforming", note="記録を確認した")
    first = rows[0] if rows else None
    services.record_finding(
        audit,
        auditor,
        severity="medium",
        requirement_id=first.requirement_id if first else "",
        clause="" if first else "統一基準(H30) 2.3.1(3)(a)",
        description=f"{unit.name}で、自己点検結果の分析・評価の記録が残されていない。",
        unit=unit,
    )
    services.record_finding(
        audit,
        auditor,
        severity="minor",
        clause="統一基準(H30) 2.2.3(2)(d)",
        description="教育の実施状況の記録様式が部局ごとに異なり、組織全体で集計できない。",
        cross_cutting=True,
    )
    audit = services.issue_report(
        audit,
        auditor,
        summary=f"{unit.name}における情報セキュリティ関係規程の運用状況を監査した。",
        conclusion="おおむね規程に準拠しているが、記録の管理に改善を要する。",
    )
    try:
        plans = services_plans.issue_instructions(
            audit,
            ciso,
            instruction="指摘事項について改善計画を策定し、措置結果と併せて報告すること。",
            due_date=today + timedelta(days=30),
        )
    except InvalidInput:  # no officer to instruct in this organisation: the report stays
        return 1
    plan = next((p for p in plans if not p.cross_cutting), plans[0])
    finding = plan.findings.first()
    done = services_plans.add_item(
        plan,
        plan.officer,
        measure="自己点検結果の評価記録の様式を定める。",
        owner=plan.officer,
        due_date=today + timedelta(days=7),
        finding=finding,
    )
    services_plans.complete_item(done, plan.officer, result="様式を定め、課内に周知した。")
    services_plans.add_item(
        plan,
        plan.officer,
        measure="前年度分の評価記録を作成し保存する。",
        owner=plan.officer,
        due_date=today + timedelta(days=21),
        finding=finding,
    )
    return 1
