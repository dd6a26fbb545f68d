"""Audit fixtures on the shared test organisation (tests/conftest.py):

総務局 b1 ── 総務課 d1, 会計課 d2      isec_officer is scoped to b1
情報局 b2 ── 情報課 d3                 auditor (isec_auditor) belongs to b2
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def chief(person_with):
    from tests.conftest import with_totp

    person = person_with("chief_isec_officer", unit="b1", username="chief-isec")
    with_totp(person)
    return person


@pytest.fixture
def make_audit(auditor, units):
    from mamori.compliance.audits import services

    def make(*, unit="d1", planner=None, auditors=(), sections=("2.3",), kind="periodic", **kw):
        today = timezone.localdate()
        return services.plan_audit(
            planner or auditor,
            title=kw.pop("title", "情報セキュリティ監査（総務課）"),
            kind=kind,
            units=[units[u] for u in ([unit] if isinstance(unit, str) else unit)],
            start_date=kw.pop("start_date", today),
            end_date=kw.pop("end_date", today + timedelta(days=14)),
            rulebooks=kw.pop("rulebooks", ["toitsu"]),
            sections=list(sections),
            auditors=list(auditors),
            **kw,
        )

    return make


@pytest.fixture
def running_audit(make_audit, auditor):
    from mamori.compliance.audits import services

    return services.start_audit(make_audit(), auditor)


@pytest.fixture
def reported_audit(ciso, running_audit, auditor, units):
    """A reported audit of 総務課 with one unit finding and one cross-cutting finding."""
    from mamori.compliance.audits import services

    services.record_finding(
        running_audit,
        auditor,
        severity="major",
        clause="統一基準(H30) 2.3.1(3)(a)",
        description="総務課で自己点検結果の評価が行われていない",
        unit=units["d1"],
    )
    services.record_finding(
        running_audit,
        auditor,
        severity="minor",
        clause="統一基準(H30) 2.3.2(3)(b)",
        description="全庁的に教育記録の様式が統一されていない",
        cross_cutting=True,
    )
    return services.issue_report(running_audit, auditor, summary="総務課の運用を監査した。")


@pytest.fixture
def instructed(reported_audit, ciso, chief, isec_officer):
    from mamori.compliance.audits import services_plans

    return services_plans.issue_instructions(
        reported_audit,
        ciso,
        instruction="指摘事項について改善計画を策定し報告すること。",
        due_date=timezone.localdate() + timedelta(days=30),
    )


def soon(days: int = 10) -> date:
    return timezone.localdate() + timedelta(days=days)
