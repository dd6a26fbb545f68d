"""Critical-infrastructure sharing at scale: fanning an alert out, a CEPTOAR drill, and
the TAXII objects page.

    .venv/bin/python bench/sharing.py [--operators 5000] [--reports 400] [--requests 30]

fan-out   services_alerts.issue_alert for an alert to every sector: NISC → the CI
          ministries' liaisons → each sector's CEPTOAR → its member operators, one
          Delivery row per recipient, the trail event and the notices (別添2.3).
          Target: below 10 s for 5,000 operators.
drill     drills.start_drill to every CEPTOAR, then every CEPTOAR's acknowledgement,
          which relays the test message to its members (Ⅲ.3.2).
taxii     GET …/collections/{reports}/objects/?limit=1000 through the Django test client
          with an API token (Bearer), for an operator of another sector reading
          TLP:CLEAR reports, and the same for the manifest: median and p95 over
          --requests requests. Target: p95 below 300 ms.
queries   the number of queries of one objects page with --reports/4 reports and with
          --reports: they must be equal (the script exits non-zero if not).

Peer: none. No open-source TAXII 2.1 server runs on Django in the same process to be
measured beside this one (the OASIS medallion server is Flask with its own back ends),
and no open-source hub implements the 行動計画's routing, so no side-by-side figure is
printed.

It uses a throwaway SQLite database in a temporary directory (never
MAMORI_DATABASE_URL from the environment), migrates it, and deletes it at the end.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _helpers import main, summary, timed  # noqa: E402

FANOUT_TARGET_S = 10.0
TAXII_TARGET_MS = 300.0
TAXII = "application/taxii+json;version=2.1"


def person(org, username: str, *roles: str):
    from django.contrib.auth import get_user_model

    from mamori.org.models import OrgUnit, Person, RoleAssignment

    unit = OrgUnit.objects.create(organization=org, code="u1", name="窓口", kind="office")
    user = get_user_model().objects.create_user(username=username, password="bench-pass-123")
    someone = Person.objects.create(
        user=user,
        organization=org,
        unit=unit,
        family_name="担当",
        given_name=username,
        email=f"{username}@bench.example.jp",
    )
    for role in roles:
        RoleAssignment.objects.create(person=someone, role=role, organization=org)
    return someone


def build_hub(operators: int):
    """NISC, the five CI ministries with a liaison per sector, a CEPTOAR per sector and
    `operators` member operators spread over the CEPTOARs."""
    from mamori.org.models import Organization
    from mamori.rules import cip
    from mamori.sharing.models import Party, SectorLiaison

    def org(code, name, kind):
        return Organization.objects.create(code=code, name=name, kind=kind, rulebooks=["cip"])

    nisc_org = org("nisc", "内閣サイバーセキュリティセンター", "nisc")
    Party.objects.create(organization=nisc_org, role="nisc")
    nisc = person(nisc_org, "nisc", "cip_nisc")
    ministries = {}
    for code, ministry in cip.ministries().items():
        ministries[code] = org(code, ministry.ja, "ci_ministry")
        Party.objects.create(organization=ministries[code], role="ci_ministry")
    liaison_people = {code: person(m, f"liaison-{code}", "cip_liaison") for code, m in ministries.items()}  # fmt: skip
    ceptoars = []
    for code, sector in cip.sectors().items():
        liaison = SectorLiaison.objects.create(ministry=ministries[sector.ministry], sector=code)
        liaison.people.add(liaison_people[sector.ministry])
        ceptoar_org = org(f"ceptoar-{code}", f"{sector.ja}セプター", "ceptoar")
        party = Party.objects.create(organization=ceptoar_org, role="ceptoar", sector=code)
        ceptoars.append((party, person(ceptoar_org, f"poc-{code}", "cip_ceptoar_poc")))
    orgs = Organization.objects.bulk_create(
        [
            Organization(
                code=f"op{n:05d}",
                name=f"事業者{n:05d}",
                kind="ci_operator",
                rulebooks=["toitsu", "cip"],
            )
            for n in range(operators)
        ],
        batch_size=1000,
    )
    Party.objects.bulk_create(
        [
            Party(
                organization=o,
                role="operator",
                sector=ceptoars[n % len(ceptoars)][0].sector,
                ceptoar=ceptoars[n % len(ceptoars)][0],
            )
            for n, o in enumerate(orgs)
        ],
        batch_size=1000,
    )
    reporter = person(orgs[0], "reporter", "cip_operator")  # a member of the first sector
    reader = person(orgs[1], "reader", "cip_operator")  # a member of the second sector
    return nisc, ceptoars, reporter, reader


def submit_reports(reporter, count: int) -> None:
    from mamori.sharing import services

    for n in range(count):
        services.submit_report(
            reporter,
            services.ReportContent(
                title=f"制御システムの停止 {n}",
                summary="ベンチマーク用の情報連絡。",
                event_type="unavailability",
                cause_type="accidental",
                cause_detail="equipment_failure",
                impact_a=True,
                contact_means="電話",
                contact_person="連絡担当",
            ),
            services.SharingRange(tlp="clear"),
        )


def run(args) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mamori.api import services as tokens
    from mamori.sharing import drills, services_alerts, taxii, taxii_store
    from mamori.sharing.models import Delivery

    started = time.perf_counter()
    nisc, ceptoars, reporter, reader = build_hub(args.operators)
    print(
        f"built NISC, 5 ministries, {len(ceptoars)} CEPTOARs and {args.operators} operators "
        f"in {time.perf_counter() - started:.1f} s"
    )
    ok = True

    # --- fan-out -----------------------------------------------------------------------------
    from mamori.rules import cip

    started = time.perf_counter()
    alert = services_alerts.issue_alert(
        nisc,
        services_alerts.AlertDraft(
            title="全分野への注意喚起",
            body="ベンチマーク用の情報提供。",
            importance="high",
            tlp="green",
            sectors=list(cip.sectors()),
        ),
    )
    seconds = time.perf_counter() - started
    recipients = Delivery.objects.filter(alert=alert).count()
    operators_reached = Delivery.objects.filter(alert=alert, via="ceptoar").count()
    fan_ok = seconds < FANOUT_TARGET_S and operators_reached == args.operators
    ok &= fan_ok
    print(
        f"{'fan an alert out (issue_alert)':<46} {seconds:7.2f} s for {recipients} delivery "
        f"records ({operators_reached} operators via {len(ceptoars)} CEPTOARs)   "
        f"{'ok' if fan_ok else 'OVER TARGET'} (target < {FANOUT_TARGET_S:.0f} s)"
    )

    # --- drill -------------------------------------------------------------------------------
    started = time.perf_counter()
    drill = drills.start_drill(nisc, title="ベンチ訓練", message="これは訓練です。")
    start_s = time.perf_counter() - started
    started = time.perf_counter()
    for _party, poc in ceptoars:
        drills.acknowledge_drill(poc, drill)
    relay_s = time.perf_counter() - started
    report_started = time.perf_counter()
    result = drills.drill_report(drill)
    report_s = time.perf_counter() - report_started
    print(
        f"{'drill: start / CEPTOAR acks with relay':<46} {start_s * 1000:7.1f} ms / "
        f"{relay_s:5.2f} s ({result.operator_timing.recipients} operators reached); "
        f"report {report_s * 1000:.0f} ms"
    )

    # --- TAXII -------------------------------------------------------------------------------
    quarter = max(1, args.reports // 4)
    submit_reports(reporter, quarter)
    token = tokens.create_token(reader, name="bench", roles=["cip_operator"])[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT=TAXII)
    reports_id = next(c for c, m in taxii.COLLECTIONS.items() if m["key"] == "reports")
    objects_url = f"/taxii2/sharing/collections/{reports_id}/objects/?limit=1000"
    manifest_url = f"/taxii2/sharing/collections/{reports_id}/manifest/?limit=1000"

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(objects_url)
        assert response.status_code == 200, response.content[:300]
        return len(captured)

    client.get(objects_url)  # stores the first quarter
    small_queries = page_queries()
    started = time.perf_counter()
    submit_reports(reporter, args.reports - quarter)
    print(f"filed {args.reports} TLP:CLEAR reports in {time.perf_counter() - started:.1f} s (service)")  # fmt: skip
    started = time.perf_counter()
    stored = taxii_store.sync()
    print(f"built {stored} STIX rows for the new versions in {(time.perf_counter() - started) * 1000:.0f} ms (first read)")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    large_queries = page_queries()
    response = client.get(objects_url)
    import json

    count = len(json.loads(response.content).get("objects", []))

    def requests(url: str) -> list[float]:
        answers = []
        times = timed(lambda: answers.append(client.get(url)), args.requests)
        assert all(answer.status_code == 200 for answer in answers)
        return times

    ok &= summary(f"TAXII objects page ({count} objects)", requests(objects_url), TAXII_TARGET_MS)
    ok &= summary("TAXII manifest page (1000 records)", requests(manifest_url), TAXII_TARGET_MS)
    print(
        f"queries per objects page: {small_queries} ({quarter} reports) vs "
        f"{large_queries} ({args.reports} reports)"
    )
    print(
        "peer: none (no open-source TAXII 2.1 server or CI sharing hub to run beside it "
        "in the same process)"
    )
    if count < 1000:
        print(f"FAIL: the page held {count} objects, fewer than 1,000 (raise --reports)")
        return 1
    if small_queries != large_queries:
        print("FAIL: the number of queries grows with the number of reports")
        return 1
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main(__doc__, "sharing", {"operators": 5_000, "reports": 400, "requests": 30}, run))
