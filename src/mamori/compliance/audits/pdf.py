"""The 監査報告書: one context for the page and the printable A4 PDF (WeasyPrint)."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone, translation

from mamori.compliance.audits import rules
from mamori.compliance.audits.models import Audit, CheckResult, Severity
from mamori.compliance.audits.services import holders
from mamori.org.models import Rulebook
from mamori.web.pdf import pdf_response, render_pdf


def report_context(audit: Audit) -> dict:
    counts = dict(
        audit.checklist.values_list("result").annotate(n=Count("id")).values_list("result", "n")
    )
    findings = list(audit.findings.select_related("unit").prefetch_related("evidence"))
    by_severity = {code: 0 for code in Severity.values}
    for finding in findings:
        by_severity[finding.severity] += 1
    return {
        "audit": audit,
        "units": list(audit.units.all()),
        "team": list(audit.auditors.select_related("unit")),
        "rulebooks": [Rulebook(code).label for code in audit.rulebooks if code in Rulebook.values],
        "counts": [(label, counts.get(code, 0)) for code, label in CheckResult.choices],
        "findings": findings,
        "severity_counts": [(label, by_severity[code]) for code, label in Severity.choices],
        "recipients": holders(audit.organization_id, "ciso"),
        "kind_clause": rules.kind_clause(
            audit.kind, audit.additional, audit.organization.rulebooks
        ),
        "instruction_clause": rules.INSTRUCTION_CLAUSE,
        "issued_on": timezone.localtime(audit.reported_at).date() if audit.reported_at else None,
    }


def report_pdf(audit: Audit):
    # The report is an official document in Japanese, whatever the reader's language.
    with translation.override("ja"):
        content = render_pdf("audits/report_pdf.html", report_context(audit))
    return pdf_response(content, f"監査報告書_{audit.number}.pdf")
