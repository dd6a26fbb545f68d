"""Sample 例外措置 for the demo, made through the services like real ones: the CISO's
審査手続, two requests from staff, one approved by the 許可権限者 (active, ending in ten
days, so it shows in the calendar) and one waiting in their tasks.

Called by mamori.org.demo for an organisation; a second run adds nothing."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from mamori.approvals import services as approvals
from mamori.approvals.models import Request
from mamori.approvals.workflow import Action
from mamori.compliance.exceptions import catalog, services
from mamori.compliance.exceptions.kinds import KIND_CODE
from mamori.compliance.exceptions.models import ExceptionProcedure, ExceptionRecord
from mamori.org import scope

PROCEDURE = (
    "1. 例外措置の申請は、遵守事項、理由、対象範囲、期間及び代替措置を明記して、"
    "許可権限者に行う。\n"
    "2. 許可権限者は、申請を受けてから10営業日以内に審査し、代替措置が十分であれば"
    "期間を定めて許可する。期間は1年を超えないものとする。\n"
    "3. 申請者は、例外措置を終了したとき又は期間が満了したときは、速やかに終了報告を行う。"
)

# (clause candidates, reason, scope, measures, days before today, days after today, approve)
REQUESTS = (
    (
        ("3.1.1(4)(e)", "2.2.2(1)(a)"),
        "観測装置の制御端末がネットワークに接続できず、データの受渡しにUSBメモリを使うほかないため。",
        "観測装置の制御端末1台と、受渡し専用のUSBメモリ1本。",
        "受渡し専用のUSBメモリを1本に限定して施錠保管し、使用の都度ウイルス検査を行い、"
        "利用記録簿に記録する。",
        20,
        10,
        True,
    ),
    (
        ("6.2.1(1)(c)", "2.2.2(1)(a)"),
        "更改を控えた旧業務システムの保守契約が終了し、脆弱性対策の状況を定期的に確認できないため。",
        "旧会計業務システム（サーバ装置2台）。",
        "当該システムを業務用ネットワークから分離し、利用者を限定して操作ログを毎日確認する。",
        0,
        90,
        False,
    ),
)


def _holders(people: dict, role: str) -> list:
    return [p for _name, p in sorted(people.items()) if scope.has_role(p, role)]


def _clause(candidates) -> str | None:
    return next((c for c in candidates if catalog.clause("toitsu", c) is not None), None)


def build_exceptions(org, people: dict) -> int:
    """Build the sample for `org` (people: username -> Person). Returns the number of
    requests filed; 0 when the organisation already has exception data or does not
    follow the 統一基準."""
    if not org.follows("toitsu"):
        return 0
    if (
        ExceptionRecord.objects.filter(organization=org).exists()
        or ExceptionProcedure.objects.filter(organization=org).exists()
        or Request.objects.filter(organization=org, kind=KIND_CODE).exists()
    ):
        return 0
    people = {name: p for name, p in people.items() if p.organization_id == org.pk}
    cisos = _holders(people, "ciso")
    deciders = _holders(people, services.PERMIT_ROLE)
    if cisos:
        ciso = cisos[0]
        if not deciders:
            # The CISO designates one (2.2.2(1)(a)): the 統括情報セキュリティ責任者 if any.
            chosen = _holders(people, "chief_isec_officer") or _holders(people, "deputy_ciso")
            if chosen:
                services.designate_permit_authority(ciso, chosen[0])
                deciders = [chosen[0]]
        services.set_procedure(ciso, PROCEDURE)
    if not deciders:
        return 0  # nobody could decide a request
    applicants = [
        p
        for _name, p in sorted(people.items())
        if p.unit_id and not scope.active_assignments(p) and p not in deciders
    ]
    today = timezone.localdate()
    made = 0
    for applicant, spec in zip(applicants, REQUESTS, strict=False):
        candidates, reason, scope_text, measures, before, after, approve = spec
        clause = _clause(candidates)
        if clause is None:
            continue
        request = services.file_request(
            applicant,
            rulebook="toitsu",
            clause_id=clause,
            reason=reason,
            scope_text=scope_text,
            measures=measures,
            period_start=today - timedelta(days=before),
            period_end=today + timedelta(days=after),
        )
        made += 1
        if approve:
            approvals.decide(
                request,
                request.approver,
                Action.APPROVE,
                "代替措置により情報の漏えいのおそれは十分に低減されているため。",
            )
    return made
