"""Coverage of a 対策基準: for each rulebook the organisation follows, the checkable
requirements for its kind that no policy item maps to, and the items weaker than the
requirement they map to (declared, or found by mamori.rules.policy_coverage).
Two queries whatever the size of the policy."""

from __future__ import annotations

from dataclasses import dataclass, field

from mamori.compliance.catalogs import effective_catalogs
from mamori.compliance.models import PolicyDocument, PolicyItem, Strength
from mamori.rules import policy_coverage
from mamori.rules.requirements import FILES, Requirement


@dataclass
class WeakItem:
    item: PolicyItem
    requirement: Requirement
    declared: bool
    findings: list[policy_coverage.Finding]


@dataclass
class RulebookCoverage:
    rulebook: str
    title: str
    required: list[Requirement] = field(default_factory=list)
    unmapped: list[Requirement] = field(default_factory=list)
    weaker: list[WeakItem] = field(default_factory=list)

    @property
    def covered_count(self) -> int:
        return len(self.required) - len(self.unmapped)

    @property
    def percent(self) -> float:
        return round(100 * self.covered_count / len(self.required), 1) if self.required else 100.0


def coverage(document: PolicyDocument) -> list[RulebookCoverage]:
    organization = document.organization
    items = list(PolicyItem.objects.filter(document=document).prefetch_related("mappings"))
    catalogs = effective_catalogs()
    result: list[RulebookCoverage] = []
    for code in (c for c in FILES if c in organization.rulebooks):
        catalog = catalogs[code]
        report = RulebookCoverage(code, catalog.title)
        report.required = [
            e for e in catalog.entries if e.checkable and organization.kind in e.org_kinds
        ]
        mapped: set[str] = set()
        for item in items:
            for mapping in item.mappings.all():
                if mapping.rulebook != code or mapping.clause_id not in catalog:
                    continue
                mapped.add(mapping.clause_id)
                requirement = catalog.get(mapping.clause_id)
                findings = policy_coverage.weaker_findings(requirement.text or "", item.text)
                declared = item.strength == Strength.WEAKER
                if declared or findings:
                    report.weaker.append(WeakItem(item, requirement, declared, findings))
        report.unmapped = [e for e in report.required if e.id not in mapped]
        result.append(report)
    return result
