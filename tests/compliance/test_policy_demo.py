"""The demo builder: a 対策基準 in force with one softened item, one violation report
forwarded one step; a second run adds nothing. And the menu items."""

from __future__ import annotations

from django.urls import reverse

from mamori.compliance import coverage
from mamori.compliance.demo import build_compliance
from mamori.compliance.models import PolicyDocument, ViolationReport, ViolationStatus


def test_build_compliance(org, ciso, isec_officer, staff, person_with):
    chief = person_with("chief_isec_officer", unit="b1", username="chief")
    people = {p.user.username: p for p in (ciso, isec_officer, staff, chief)}
    made = build_compliance(org, people)
    document = PolicyDocument.objects.get()
    assert document.state == "in_force" and document.items.count() == 15
    assert made == 1 + 15 + 1
    (toitsu, _pii) = coverage.coverage(document)
    assert [w.requirement.id for w in toitsu.weaker] == ["2.2.3(2)(a)"]
    report = ViolationReport.objects.get()
    assert report.status == ViolationStatus.FORWARDED_TO_CHIEF and report.reporter == staff
    assert build_compliance(org, people) == 0


def test_menu_items(client, login, staff, ciso):
    login(staff)
    page = client.get(reverse("compliance:violation_report")).content.decode()
    assert "違反の報告" in page and reverse("compliance:policy") not in page
    assert reverse("compliance:catalog") not in page
    login(ciso)
    page = client.get(reverse("compliance:violation_report")).content.decode()
    assert reverse("compliance:policy") in page and reverse("compliance:catalog") in page
