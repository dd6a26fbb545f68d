"""The yearly self-assessment at the size of a ministry: distributing every checklist and
reading the dashboards.

    .venv/bin/python bench/compliance.py [--staff 5000] [--small 500] [--renders 30]

distribute  services.open_plan → generate_checklists for an organisation of --staff people
            in 60 units (10 bureaus × 5 divisions), with the full catalog (統一基準,
            防衛省通達 and 総務省訓令 switched on): one checklist per person and one item
            per applicable clause, plus the notices. Target: < 30 s.
answers     every checklist is then filled in bulk (85% submitted, 10% half answered,
            5% untouched; not a target), the answer tally rebuilt from the items (the
            bulk fill bypasses the services that keep it) and the database ANALYZEd.
dashboards  the dashboard rendered through the Django test client (force_login) for the
            CISO (the whole organisation) and for the 情報セキュリティ責任者 of one bureau
            (a unit dashboard with its not-submitted list), --renders times each:
            median and 95th percentile. Every render computes the figures afresh (there
            is no cache: they come from the running answer tally). Target: p95 < 300 ms.
answering   a whole checklist saved through the services (items, counters, tally, trail),
            --renders checklists: median and 95th percentile (same 300 ms target).
queries     the number of queries per dashboard render for an organisation of --small
            people and one of --staff people: they must be equal (the script exits
            non-zero if not).

Peer: none. There is no open-source self-assessment tool for the 統一基準 to run beside
this one in the same process, so no side-by-side figure is printed.

It uses a throwaway SQLite database in a temporary directory (never
MAMORI_DATABASE_URL from the environment), migrates it, and deletes it at the end.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _helpers import count_queries, main, summary, timed  # noqa: E402

DISTRIBUTE_TARGET_S = 30.0
PAGE_TARGET_MS = 300.0
BUREAUS, DIVISIONS = 10, 5
RULEBOOKS = ["toitsu", "mod", "mic_pii"]
DASHBOARD = "/self-assessment/dashboard/"


def build_org(code: str, staff: int):
    """An organisation of `staff` people in 10 bureaus × 5 divisions with realistic roles:
    CISO, 副CISO, 統括, CIO and CSIRT for the whole organisation; per bureau a
    情報セキュリティ責任者 and a 保護管理者; per division a 課室情報セキュリティ責任者 and a
    情報システムセキュリティ責任者-like officer (端末管理責任者); everyone else plain staff.
    Returns (org, people by role key, bureaus)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from mamori.org.models import Organization, OrgUnit, Person, RoleAssignment

    org = Organization.objects.create(
        code=code, name=f"ベンチ省{code}", kind="national", rulebooks=RULEBOOKS
    )
    bureaus, divisions = [], []
    for b in range(BUREAUS):
        bureau = OrgUnit.objects.create(
            organization=org, code=f"b{b}", name=f"第{b + 1}局", kind="bureau"
        )
        bureaus.append(bureau)
        for d in range(DIVISIONS):
            divisions.append(
                OrgUnit.objects.create(
                    organization=org,
                    code=f"b{b}d{d}",
                    name=f"第{b + 1}局第{d + 1}課",
                    kind="division",
                    parent=bureau,
                )
            )
    user_model = get_user_model()
    password = make_password("bench-password-123")
    users = user_model.objects.bulk_create(
        [user_model(username=f"{code}-{n:05d}", password=password) for n in range(staff)],
        batch_size=2000,
    )
    people = []
    for n, user in enumerate(users):
        # one in ten sits in a bureau itself, the rest in the divisions
        unit = bureaus[(n // 10) % BUREAUS] if n % 10 == 0 else divisions[n % len(divisions)]
        people.append(
            Person(
                user=user,
                organization=org,
                unit=unit,
                employee_number=f"{n:06d}",
                family_name="試験",
                given_name=f"{n}号",
                family_name_kana="しけん",
                given_name_kana=f"{n:05d}",
                email=f"{user.username}@bench.go.jp",
            )
        )
    Person.objects.bulk_create(people, batch_size=2000)
    people = list(Person.objects.filter(organization=org).order_by("employee_number"))
    assignments = []
    key_people = {}

    def give(person, role, unit=None):
        assignments.append(RoleAssignment(person=person, role=role, organization=org, unit=unit))

    for index, role in enumerate(("ciso", "deputy_ciso", "chief_isec_officer", "cio")):
        give(people[index * BUREAUS], role)  # bureau members of the first bureau
        key_people[role] = people[index * BUREAUS]
    for n in range(4):
        give(people[40 + n * BUREAUS], "csirt")
    taken = {a.person.pk for a in assignments}

    def free_member(unit):
        free = (p for p in people if p.pk not in taken)
        person = next((p for p in people if p.unit_id == unit.pk and p.pk not in taken), None)
        person = person or next(free)  # a small organisation: someone from elsewhere
        taken.add(person.pk)
        return person

    for b, bureau in enumerate(bureaus):
        officer = free_member(bureau)
        give(officer, "isec_officer", bureau)
        if b == 0:
            key_people["isec_officer"] = officer
        give(free_member(bureau), "pii_manager", bureau)
    for division in divisions:
        give(free_member(division), "section_isec_officer", division)
        give(free_member(division), "terminal_manager", division)
    RoleAssignment.objects.bulk_create(assignments, batch_size=2000)
    return org, key_people, bureaus


def open_plan(org, chief):
    from django.utils import timezone

    from mamori.compliance.assessments import services
    from mamori.rules import deadlines

    year = deadlines.fiscal_year(timezone.localdate())
    answer_due = min(timezone.localdate() + timedelta(days=30), deadlines.fiscal_year_end(year))
    plan = services.create_plan(
        chief,
        fiscal_year=year,
        title=f"{year}年度 自己点検",
        answer_due=answer_due,
        unit_evaluation_due=answer_due + timedelta(days=14),
        org_evaluation_due=answer_due + timedelta(days=28),
    )
    started = time.perf_counter()
    distributed = services.open_plan(plan, chief)
    return plan, distributed, time.perf_counter() - started


def fill_answers(plan) -> None:
    """85% submitted with every item answered, 10% half answered, 5% untouched; answers
    spread 70% 実施している, 15% 一部実施, 10% 実施していない, 5% 該当しない."""
    from django.db.models import Case, CharField, Count, F, Q, Value, When
    from django.db.models.functions import Mod
    from django.utils import timezone

    from mamori.compliance.assessments.models import Checklist, ChecklistItem

    now = timezone.now()
    ids = list(Checklist.objects.filter(plan=plan).order_by("pk").values_list("pk", flat=True))
    submitted = [pk for n, pk in enumerate(ids) if n % 20 < 17]
    halfway = [pk for n, pk in enumerate(ids) if 17 <= n % 20 < 19]
    mix = Case(
        When(Q(code__lt=14), then=Value("done")),
        When(Q(code__lt=17), then=Value("partial")),
        When(Q(code__lt=19), then=Value("not_done")),
        default=Value("na"),
        output_field=CharField(),
    )
    comment = Case(
        When(Q(code__gte=14, code__lt=19), then=Value("対応中")),
        default=Value(""),
        output_field=CharField(),
    )
    for group, half in ((submitted, False), (halfway, True)):
        for start in range(0, len(group), 500):
            items = ChecklistItem.objects.filter(checklist_id__in=group[start : start + 500])
            items = items.alias(code=Mod(F("pk") * 7, 20), parity=Mod(F("pk"), 2))
            if half:
                items = items.filter(parity=0)
            items.update(answer=mix, comment=comment, answered_at=now)
    Checklist.objects.filter(pk__in=submitted).update(
        state="submitted", submitted_at=now, answered_count=F("item_count")
    )
    counts = dict(
        ChecklistItem.objects.filter(checklist_id__in=halfway)
        .exclude(answer="")
        .values_list("checklist_id")
        .annotate(n=Count("pk"))
        .values_list("checklist_id", "n")
    )
    rows = list(Checklist.objects.filter(pk__in=halfway))
    for checklist in rows:
        checklist.answered_count = counts.get(checklist.pk, 0)
        checklist.state = "in_progress"
    Checklist.objects.bulk_update(rows, ["answered_count", "state"], batch_size=1000)


def signed_in(person):
    from django.test import Client

    client = Client()
    client.force_login(person.user)
    return client


def organisation(code: str, staff: int):
    from django.db import connection

    from mamori.compliance.assessments import tally
    from mamori.compliance.assessments.models import ChecklistItem

    started = time.perf_counter()
    org, key, bureaus = build_org(code, staff)
    built = time.perf_counter() - started
    plan, distributed, seconds = open_plan(org, key["chief_isec_officer"])
    items = ChecklistItem.objects.filter(checklist__plan=plan).count()
    started = time.perf_counter()
    fill_answers(plan)
    filled = time.perf_counter() - started
    # The bulk answers bypass the services, so the running tally is recounted from the
    # items, as `mamori assessment_tally --rebuild` does after such a change.
    started = time.perf_counter()
    tally_rows = tally.rebuild(plan)
    rebuilt = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "org": org,
        "key": key,
        "plan": plan,
        "built": built,
        "distributed": distributed,
        "items": items,
        "seconds": seconds,
        "filled": filled,
        "tally_rows": tally_rows,
        "rebuilt": rebuilt,
        "units": 1 + len(bureaus) * (1 + DIVISIONS) - 1,
    }


def answer_times(large, args) -> list[float]:
    """services_answers.answer_items saving every item of an unsubmitted checklist, as
    the checklist form does: the items, the checklist's counters, the running tally and
    the trail event in one transaction."""
    from mamori.compliance.assessments import services_answers
    from mamori.compliance.assessments.models import Checklist

    pending = list(
        Checklist.objects.filter(plan=large["plan"])
        .exclude(state="submitted")
        .select_related("person")
        .order_by("pk")[: args.renders]
    )
    times = []
    for checklist in pending:
        answers = {pk: ("done", "") for pk in checklist.items.values_list("pk", flat=True)}
        started = time.perf_counter()
        services_answers.answer_items(checklist, checklist.person, answers)
        times.append((time.perf_counter() - started) * 1000)
    return times


def run(args) -> int:
    from mamori.compliance.assessments.models import Checklist

    small = organisation("s", args.small)
    small_queries = (
        count_queries(signed_in(small["key"]["ciso"]), DASHBOARD),
        count_queries(signed_in(small["key"]["isec_officer"]), DASHBOARD),
    )
    large = organisation("l", args.staff)
    print(
        f"organisation: {args.staff} staff in {large['units']} units, rulebooks "
        f"{'+'.join(RULEBOOKS)} (built in {large['built']:.1f} s)"
    )
    ok = large["seconds"] < DISTRIBUTE_TARGET_S
    print(
        f"{'generate_checklists (open_plan)':<46} {large['seconds']:7.2f} s   "
        f"{large['distributed']} checklists, {large['items']} items   "
        f"{'ok' if ok else 'OVER TARGET'} (target < {DISTRIBUTE_TARGET_S:.0f} s)"
    )
    submitted = Checklist.objects.filter(plan=large["plan"], state="submitted").count()
    print(
        f"answers filled in bulk in {large['filled']:.1f} s "
        f"({submitted} of {large['distributed']} checklists submitted); answer tally "
        f"rebuilt from the items in {large['rebuilt']:.2f} s ({large['tally_rows']} rows)"
    )
    ciso = signed_in(large["key"]["ciso"])
    officer = signed_in(large["key"]["isec_officer"])
    large_queries = (count_queries(ciso, DASHBOARD), count_queries(officer, DASHBOARD))
    in_bureau = Checklist.objects.filter(
        plan=large["plan"],
        unit__path__startswith=large["key"]["isec_officer"].unit.path,
    ).count()
    # Run twice in turn: the machine is shared, a burst of other work shows in one only.
    for _round in range(2):
        ok &= summary(
            f"CISO dashboard ({args.staff} staff)",
            timed(lambda: ciso.get(DASHBOARD), args.renders),
            PAGE_TARGET_MS,
        )
        ok &= summary(
            f"unit dashboard (one bureau, {in_bureau} staff)",
            timed(lambda: officer.get(DASHBOARD), args.renders),
            PAGE_TARGET_MS,
        )
    ok &= summary("save a checklist (services + tally)", answer_times(large, args), PAGE_TARGET_MS)
    print(
        f"queries per render: CISO {small_queries[0]} ({args.small} staff) vs "
        f"{large_queries[0]} ({args.staff} staff); unit {small_queries[1]} vs {large_queries[1]}"
    )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, load average {load} (other work slows every figure)")
    print("peer: none (no comparable open-source 統一基準 self-assessment tool to run beside it)")
    if small_queries != large_queries:
        print("FAIL: the number of queries grows with the number of staff")
        return 1
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(
        main(
            __doc__,
            "compliance",
            {"staff": 5_000, "small": 500, "renders": 30},
            run,
            # Production's queue: mail delivery after distribution is a background task,
            # not part of the distribution itself.
            tasks_backend="django_tasks_db.DatabaseBackend",
            # The test client signs in without a second factor; the CISO and the 統括 must
            # use one in production, so the bench asks it only of a role nobody here holds.
            mfa_required_roles="isec_auditor",
        )
    )
