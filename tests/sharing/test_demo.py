"""The sharing demo: every sector with a CEPTOAR and operators, a routed report, an
acknowledged alert; a second run adds nothing."""

from django.contrib.auth.hashers import make_password

from mamori.rules import cip
from mamori.sharing.demo import build_sharing
from mamori.sharing.models import Alert, Party, Report, SectorLiaison


def test_demo_builds_the_structure_and_a_sample_flow(db):
    created = build_sharing(make_password("demo password 123"))
    assert created > 50
    for sector in cip.sectors():
        assert Party.objects.filter(role="ceptoar", sector=sector).count() == 1
        assert Party.objects.filter(role="operator", sector=sector).count() >= 3
        liaison = SectorLiaison.objects.get(sector=sector)
        assert liaison.people.exists()
    assert Party.objects.filter(role="ci_ministry").count() == 5
    for role in ("nisc", "cabinet_crisis", "disaster_ministry", "incident_ministry",
                 "security_ministry", "relevant_org", "cyber_vendor", "ceptoar_council"):  # fmt: skip
        assert Party.objects.filter(role=role).exists(), role
    report = Report.objects.get()
    assert report.status == "forwarded" and report.current.exceeds_level is True
    alert = Alert.objects.get()
    assert alert.deliveries.filter(acknowledged_at__isnull=False).count() == 1
    assert "デモ東都電力" not in alert.body and "東都 光" not in alert.body
    assert build_sharing(make_password("demo password 123")) == 0
