"""Demo data of the compliance app, made through the services like real data:
a 対策基準 of ~15 items mapped to 統一基準 clauses (one softened, so the coverage view
has something to show) and one violation report forwarded one step.

Called by mamori.org.demo: `build_compliance(org, people) -> int` (people maps usernames
to Person rows); returns the number of records made, 0 when the organisation already has
a 対策基準 (a second `mamori demo` run adds nothing)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from mamori.compliance import catalogs, services_policy, services_violations
from mamori.compliance.models import PolicyDocument, Strength
from mamori.org import scope

CLAUSES = (
    "2.1.1(2)(a)",
    "2.1.1(4)(a)",
    "2.1.1(6)(a)",
    "2.1.1(6)(b)",
    "2.1.1(7)(b)",
    "2.1.2(1)(a)",
    "2.2.1(1)(d)",
    "2.2.1(1)(e)",
    "2.2.1(2)(a)",
    "2.2.2(1)(a)",
    "2.2.3(1)(b)",
    "2.2.3(2)(a)",
    "2.2.4(2)(a)",
    "2.3.1(1)(b)",
    "2.3.1(3)(a)",
)
SOFTENED = "2.2.3(2)(a)"  # the one item the coverage view flags as weaker


def _holder(people: dict, role: str):
    for person in people.values():
        if scope.has_org_wide_role(person, (role,)):
            return person
    return None


def _item_text(requirement_text: str, softened: bool) -> str:
    text = requirement_text.replace("機関等", "当省")
    if softened and text.endswith("こと。"):  # 「…受講させること。」→「…受講させるよう努める。」
        text = text.removesuffix("こと。") + "よう努める。"
    return text


def build_compliance(org, people: dict) -> int:
    if PolicyDocument.objects.filter(organization=org).exists():
        return 0
    ciso = _holder(people, "ciso")
    if ciso is None:
        return 0
    made = 0
    catalog = catalogs.effective_catalog("toitsu")
    today = timezone.localdate()
    document = services_policy.create_document(
        ciso,
        title=f"{org.name} 情報セキュリティ対策基準",
        version="令和7年度版",
        effective_date=datetime.date(today.year, 4, 1),
        review_date=datetime.date(today.year + 1, 3, 1),
    )
    made += 1
    for number, clause in enumerate(CLAUSES, start=1):
        if clause not in catalog or not catalog.get(clause).checkable:
            continue
        requirement = catalog.get(clause)
        services_policy.save_item(
            ciso,
            document,
            number=f"{requirement.id.split('(')[0]}-{number}",
            title=catalog.parent(clause).title or "" if catalog.parent(clause) else "",
            text=_item_text(requirement.text or "", clause == SOFTENED),
            strength=Strength.EQUIVALENT,
            requirements=clause,
        )
        made += 1
    services_policy.set_document_state(ciso, document, "in_force")
    made += _violation(people)
    return made


def _violation(people: dict) -> int:
    for person in people.values():
        if scope.role_codes(person) or not person.unit_id:
            continue
        officer = services_violations.officer_for(person)
        if officer is None:
            continue
        report = services_violations.report_violation(
            person,
            title="要保護情報を私物のUSBメモリで持ち出した事例",
            description=(
                "同じ課の職員が、要機密情報を含む資料を許可なく私物のUSBメモリに複製し、"
                "自宅へ持ち帰っていたことを知りました。"
            ),
            rules_concerned="統一基準 3.1.1(6)、対策基準 3.1",
        )
        if _holder(people, "chief_isec_officer"):
            services_violations.acknowledge(officer, report)
            services_violations.escalate(officer, report, "事実を確認しました。統括に報告します。")
        return 1
    return 0
