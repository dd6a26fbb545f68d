"""Who sees which report and alert on the sharing hub. The UI, the JSON API and TAXII all
use these querysets, so the rule is written once.

A report (情報連絡) is visible to exactly
- the reporting organisation,
- the parties its route has reached (the sector liaison's ministry, then NISC; 別添3.3),
- the parties its sharing range allows (別添3.3③): every party on the hub for TLP:CLEAR;
  for GREEN / AMBER / AMBER+STRICT the party groups ticked and the organisations named;
  for TLP:RED nobody beyond the route.
An alert (情報提供) is visible to NISC and, once issued, to its recipients (one Delivery
row per recipient organisation).

`who` is an org.Person (who must hold one of SHARING_ROLES) or an org.Organization (an
API token of a party). Everything is decided per organisation.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from mamori.org.models import Organization, Person
from mamori.sharing.models import (
    Alert,
    AlertStatus,
    Delivery,
    Party,
    PartyRole,
    Report,
    RouteStep,
    Tlp,
)

SHARING_ROLES = ("cip_nisc", "cip_liaison", "cip_ceptoar_poc", "cip_operator", "cip_party")

# Party roles covered by the report range flag `share_government` (別紙4-1, 4-2).
GOVERNMENT_ROLES = (
    PartyRole.SECURITY_MINISTRY,
    PartyRole.INCIDENT_MINISTRY,
    PartyRole.DISASTER_MINISTRY,
    PartyRole.CABINET_CRISIS,
)


def organization_of(who: Person | Organization | None) -> Organization | None:
    """The organisation `who` acts for, or None if it has no standing on the hub."""
    if who is None:
        return None
    if isinstance(who, Organization):
        return who
    from mamori.org import scope

    if not who.active or not scope.has_role(who, *SHARING_ROLES):
        return None
    return who.organization


def party_of(org: Organization | None) -> Party | None:
    if org is None:
        return None
    try:
        return org.sharing_party
    except Party.DoesNotExist:
        return None


def is_nisc(who: Person | Organization | None) -> bool:
    party = party_of(organization_of(who))
    return party is not None and party.role == PartyRole.NISC and party.active


def _range_q(party: Party) -> Q:
    """Reports whose range flags admit this party (TLP:RED excluded by the caller)."""
    role = party.role
    query = Q(pk__in=[])
    if role == PartyRole.OPERATOR:
        query |= Q(share_all_operators=True)
        if party.sector:
            query |= Q(share_same_sector=True, sector=party.sector)
        if party.ceptoar_id:
            query |= Q(
                share_same_ceptoar=True, organization__sharing_party__ceptoar_id=party.ceptoar_id
            )
    elif role == PartyRole.CEPTOAR:
        query |= Q(share_ceptoars=True)
        query |= Q(share_same_ceptoar=True, organization__sharing_party__ceptoar_id=party.pk)
    elif role == PartyRole.CI_MINISTRY:
        query |= Q(share_ministries=True)
    elif role in GOVERNMENT_ROLES:
        query |= Q(share_government=True)
    elif role == PartyRole.RELEVANT_ORG:
        query |= Q(share_relevant_orgs=True)
    elif role == PartyRole.CYBER_VENDOR:
        query |= Q(share_vendors=True)
    return query


def reports_visible_to(who: Person | Organization | None) -> QuerySet[Report]:
    org = organization_of(who)
    if org is None:
        return Report.objects.none()
    query = Q(organization_id=org.pk) | Q(
        pk__in=RouteStep.objects.filter(recipient_org_id=org.pk).values("report_id")
    )
    party = party_of(org)
    if party is not None and party.active:
        query |= Q(tlp=Tlp.CLEAR)
        ranged = Q(
            pk__in=Report.share_orgs.through.objects.filter(organization_id=org.pk).values(
                "report_id"
            )
        ) | _range_q(party)
        query |= ranged & ~Q(tlp=Tlp.RED)
    return Report.objects.filter(query)


def orgs_allowed_for_report(report: Report) -> QuerySet[Organization]:
    """Every organisation that may see `report`: the inverse of reports_visible_to."""
    query = Q(pk=report.organization_id) | Q(
        pk__in=RouteStep.objects.filter(report=report).values("recipient_org_id")
    )
    active_party = Q(sharing_party__isnull=False, sharing_party__active=True)
    if report.tlp == Tlp.CLEAR:
        query |= active_party
    elif report.tlp != Tlp.RED:
        groups = Q(pk__in=report.share_orgs.values("pk"))
        by_role: list[Q] = []
        if report.share_all_operators:
            by_role.append(Q(sharing_party__role=PartyRole.OPERATOR))
        if report.share_same_sector:
            by_role.append(
                Q(sharing_party__role=PartyRole.OPERATOR, sharing_party__sector=report.sector)
            )
        if report.share_same_ceptoar:
            reporter_party = party_of(report.organization)
            if reporter_party is not None and reporter_party.ceptoar_id:
                by_role.append(
                    Q(
                        sharing_party__role=PartyRole.OPERATOR,
                        sharing_party__ceptoar_id=reporter_party.ceptoar_id,
                    )
                    | Q(sharing_party__pk=reporter_party.ceptoar_id)
                )
        if report.share_ceptoars:
            by_role.append(Q(sharing_party__role=PartyRole.CEPTOAR))
        if report.share_ministries:
            by_role.append(Q(sharing_party__role=PartyRole.CI_MINISTRY))
        if report.share_government:
            by_role.append(Q(sharing_party__role__in=GOVERNMENT_ROLES))
        if report.share_relevant_orgs:
            by_role.append(Q(sharing_party__role=PartyRole.RELEVANT_ORG))
        if report.share_vendors:
            by_role.append(Q(sharing_party__role=PartyRole.CYBER_VENDOR))
        for extra in by_role:
            groups |= extra & active_party
        query |= groups
    return Organization.objects.filter(query)


def can_see_report(who: Person | Organization | None, report: Report) -> bool:
    return reports_visible_to(who).filter(pk=report.pk).exists()


def alerts_visible_to(who: Person | Organization | None) -> QuerySet[Alert]:
    org = organization_of(who)
    if org is None:
        return Alert.objects.none()
    if is_nisc(org):
        return Alert.objects.all()
    return Alert.objects.filter(
        status=AlertStatus.ISSUED,
        pk__in=Delivery.objects.filter(recipient_id=org.pk).values("alert_id"),
    )


def can_see_alert(who: Person | Organization | None, alert: Alert) -> bool:
    return alerts_visible_to(who).filter(pk=alert.pk).exists()


def contact_report_ids(who: Person | Organization | None, report_ids) -> set[int]:
    """Of `report_ids`, the reports whose contact means and person (別添3.2) `who` may see:
    the reporter's own organisation and the parties on its route (liaison ministry, NISC).
    Others in the sharing range see the report without them. One query."""
    org = organization_of(who)
    if org is None:
        return set()
    return set(
        Report.objects.filter(pk__in=list(report_ids))
        .filter(
            Q(organization_id=org.pk)
            | Q(pk__in=RouteStep.objects.filter(recipient_org_id=org.pk).values("report_id"))
        )
        .values_list("pk", flat=True)
    )


def sees_contact(who: Person | Organization | None, report: Report) -> bool:
    return report.pk in contact_report_ids(who, [report.pk])
