"""情報提供 (alerts) by NISC: compose from reports with the reporter anonymised, check the
reporters' ranges, fan out along the routes, record deliveries and acknowledgements.

- 別添2.1: an alert reaches only recipients that every source report's range allows.
- 別添2.2: the reporter's identity, organisation and contact never appear in it.
- 別添2.3①–③: NISC → sector liaisons → CEPTOAR points of contact → member operators.
- 別添2.3④: early warnings go directly to CEPTOARs or operators, with a copy to their
  liaison, and only to recipients with a handling agreement on file.
- 別紙4-2: in large-scale IT failure mode the alert also reaches 内閣官房（安全保障・危機管理
  担当）, the disaster-related and the incident-response ministries.

The fan-out is set-based (a handful of queries and one bulk_create, whatever the number
of recipients): bench/sharing.py fans out to 5,000 recipients.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from mamori.errors import Forbidden, InvalidInput, InvalidTransition
from mamori.org import scope
from mamori.org.models import Organization, Person
from mamori.rules import cip
from mamori.sharing import access, structure
from mamori.sharing.models import (
    Alert,
    AlertCategory,
    AlertStatus,
    Delivery,
    DeliveryVia,
    Importance,
    Party,
    PartyRole,
    Report,
    ReportVersion,
    SectorLiaison,
    Tlp,
)
from mamori.sharing.numbers import placeholder_number
from mamori.trail.services import record

# TLP labels from least to most restrictive.
TLP_ORDER = (Tlp.CLEAR, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT, Tlp.RED)


@dataclass(frozen=True)
class Planned:
    recipient_id: int
    via: str
    relay_id: int | None
    hop: int


@dataclass
class AlertDraft:
    """What NISC composes. `direct_org_ids` are the recipients of an early warning."""

    title: str
    body: str
    importance: str = Importance.MEDIUM
    category: str = AlertCategory.RELATED
    tlp: str = Tlp.AMBER
    sectors: list[str] = field(default_factory=list)
    report_ids: list[int] = field(default_factory=list)
    early_warning: bool = False
    direct_org_ids: list[int] = field(default_factory=list)


@dataclass
class AlertCheck:
    """The result of checking a draft before it is sent (shown on the compose page)."""

    planned: list[Planned]
    outside_range: dict[str, list[str]]  # report number → names of recipients outside it
    identifying: list[str]  # identifying details still in title/body
    without_agreement: list[str]  # early-warning recipients without an agreement
    tlp_too_loose: list[str]  # report numbers stricter than the alert's TLP
    errors: list[str]

    @property
    def ok(self) -> bool:
        return not (
            self.outside_range
            or self.identifying
            or self.without_agreement
            or self.tlp_too_loose
            or self.errors
        )


def _require_nisc(person: Person) -> None:
    if not (scope.has_role(person, "cip_nisc") and access.is_nisc(person)):
        raise Forbidden(_("情報提供を行えるのは内閣官房（NISC）の担当者です。"))


# --- anonymisation (別添2.2) ----------------------------------------------------------


def reporter_identifiers(reports: Iterable[Report]) -> list[str]:
    """Everything that names a reporter: organisation names and code, the reporter's
    name and contact, and every version's contact person, telephone and e-mail."""
    reports = list(reports)
    values: list[str] = []
    people = Person.objects.filter(pk__in=[r.reporter_id for r in reports])
    orgs = Organization.objects.filter(pk__in=[r.organization_id for r in reports])
    for org in orgs:
        values += [org.name, org.name_en, org.code]
    for person in people:
        values += [
            f"{person.family_name} {person.given_name}",
            f"{person.family_name}{person.given_name}",
            f"{person.family_name}　{person.given_name}",
            person.family_name,
            person.name_en,
            person.email,
        ]
    for row in ReportVersion.objects.filter(report__in=reports).values(
        "contact_person", "contact_phone", "contact_email"
    ):
        values += [row["contact_person"], row["contact_phone"], row["contact_email"]]
        values += row["contact_person"].replace("　", " ").split(" ")
    return [v for v in values if v]


def anonymised_text(reports: Sequence[Report]) -> tuple[str, str]:
    """A first draft of title and body from the reports' latest versions, with the
    reporters' identity removed. NISC edits it before sending."""
    language = get_language() or "ja"
    identifiers = reporter_identifiers(reports)
    titles: list[str] = []
    parts: list[str] = []
    for report in reports:
        version = report.current
        event = cip.events().get(version.event_type)
        cause = cip.causes().get(version.cause_type)
        heading = _("【%(sector)s分野の重要インフラ事業者等】%(event)s／%(cause)s") % {
            "sector": structure.sector_label(report.sector),
            "event": event.label(language) if event else version.event_type,
            "cause": cause.label(language) if cause else version.cause_type,
        }
        lines = [heading, cip.anonymise(version.summary, identifiers)]
        if version.exceeds_level:
            lines.append(_("サービス維持レベルを超える障害として連絡されています。"))
        parts.append("\n".join(lines))
        titles.append(cip.anonymise(version.title, identifiers))
    return "／".join(titles)[:200], "\n\n".join(parts)


# --- fan-out (別添2.3, 別紙4-2) -------------------------------------------------------------


def _sector_ministries(sectors: Iterable[str]) -> dict[str, int]:
    return dict(
        SectorLiaison.objects.filter(sector__in=list(sectors)).values_list("sector", "ministry_id")
    )


def plan_recipients(
    *,
    sectors: Sequence[str],
    mode: str,
    early_warning: bool = False,
    direct_org_ids: Sequence[int] = (),
) -> list[Planned]:
    """Who an alert reaches and how. One row per organisation (the first route wins)."""
    planned: dict[int, Planned] = {}

    def add(org_id: int, via: str, relay_id: int | None, hop: int) -> None:
        if org_id not in planned:
            planned[org_id] = Planned(org_id, via, relay_id, hop)

    if early_warning:
        direct = list(
            Party.objects.filter(organization_id__in=list(direct_org_ids)).values_list(
                "organization_id", "sector"
            )
        )
        for org_id, _sector in direct:
            add(org_id, DeliveryVia.DIRECT, None, 1)
        for _sector, ministry_id in _sector_ministries({s for _o, s in direct if s}).items():
            add(ministry_id, DeliveryVia.COPY, None, 1)
    else:
        ministry_of = _sector_ministries(sectors)
        for ministry_id in ministry_of.values():
            add(ministry_id, DeliveryVia.LIAISON, None, 1)
        ceptoars = list(
            Party.objects.filter(
                role=PartyRole.CEPTOAR, active=True, sector__in=list(sectors)
            ).values_list("pk", "organization_id", "sector")
        )
        ceptoar_org = {pk: org_id for pk, org_id, _s in ceptoars}
        for _pk, org_id, sector in ceptoars:
            add(org_id, DeliveryVia.LIAISON, ministry_of.get(sector), 2)
        members = Party.objects.filter(role=PartyRole.OPERATOR, active=True).filter(
            ceptoar_id__in=list(ceptoar_org)
        )
        for org_id, ceptoar_id in members.values_list("organization_id", "ceptoar_id"):
            add(org_id, DeliveryVia.CEPTOAR, ceptoar_org[ceptoar_id], 3)
        # Operators outside any CEPTOAR hear from their liaison directly (別紙5).
        loose = Party.objects.filter(
            role=PartyRole.OPERATOR, active=True, ceptoar__isnull=True, sector__in=list(sectors)
        )
        for org_id, sector in loose.values_list("organization_id", "sector"):
            add(org_id, DeliveryVia.LIAISON, ministry_of.get(sector), 2)
    for org_id in Party.objects.filter(
        role__in=cip.mode_route(mode).added_roles, active=True
    ).values_list("organization_id", flat=True):
        add(org_id, DeliveryVia.DIRECT, None, 1)
    return list(planned.values())


def _names(org_ids: Iterable[int], limit: int = 10) -> list[str]:
    ids = list(org_ids)
    names = [str(o) for o in Organization.objects.filter(pk__in=ids[:limit])]
    if len(ids) > limit:
        names.append(_("ほか%(count)d組織") % {"count": len(ids) - limit})
    return names


def check_alert(draft: AlertDraft, *, mode: str | None = None) -> AlertCheck:
    """Every refusal reason for a draft, without changing anything."""
    mode = mode or structure.current_mode()
    errors: list[str] = []
    if not draft.title.strip():
        errors.append(_("件名を入力してください。"))
    if not draft.body.strip():
        errors.append(_("内容を入力してください。"))
    if draft.tlp not in Tlp.values:
        errors.append(_("TLPを選んでください。"))
    if draft.importance not in Importance.values:
        errors.append(_("重要度を選んでください。"))
    if draft.category not in AlertCategory.values:
        errors.append(_("情報の種類を選んでください。"))
    unknown = [s for s in draft.sectors if s not in cip.sectors()]
    if unknown:
        errors.append(_("不明な分野です: %(codes)s") % {"codes": ", ".join(unknown)})
    if draft.early_warning:
        if not draft.direct_org_ids:
            errors.append(_("早期警戒情報の提供先（セプター又は事業者）を選んでください。"))
        wrong = Organization.objects.filter(pk__in=draft.direct_org_ids).exclude(
            sharing_party__role__in=(PartyRole.CEPTOAR, PartyRole.OPERATOR)
        )
        if wrong.exists():
            errors.append(
                _("早期警戒情報を直接提供できるのはセプター又は重要インフラ事業者等です。")
            )
    elif not draft.sectors:
        errors.append(_("提供先の分野を選んでください。"))

    reports = list(
        Report.objects.filter(pk__in=draft.report_ids).select_related("current", "organization")
    )
    if len(reports) != len(set(draft.report_ids)):
        errors.append(_("元になる情報連絡が見つかりません。"))
    planned = plan_recipients(
        sectors=draft.sectors,
        mode=mode,
        early_warning=draft.early_warning,
        direct_org_ids=draft.direct_org_ids,
    )
    planned_ids = {p.recipient_id for p in planned}

    outside: dict[str, list[str]] = {}
    tlp_too_loose: list[str] = []
    alert_rank = TLP_ORDER.index(draft.tlp) if draft.tlp in Tlp.values else 0
    for report in reports:
        allowed = set(access.orgs_allowed_for_report(report).values_list("pk", flat=True))
        beyond = planned_ids - allowed
        if beyond:
            outside[report.number] = _names(beyond)
        if TLP_ORDER.index(report.tlp) > alert_rank:
            tlp_too_loose.append(report.number)

    identifying = list(
        cip.identifying_details(f"{draft.title}\n{draft.body}", reporter_identifiers(reports))
    )

    without_agreement: list[str] = []
    if draft.early_warning:
        lacking = Organization.objects.filter(pk__in=draft.direct_org_ids).filter(
            sharing_party__handling_agreement_on__isnull=True
        )
        without_agreement = [str(o) for o in lacking]
    if not planned and not errors:
        errors.append(_("提供先がありません。"))
    return AlertCheck(planned, outside, identifying, without_agreement, tlp_too_loose, errors)


def _refusal(check: AlertCheck) -> InvalidInput:
    details: dict[str, object] = {}
    messages: list[str] = list(check.errors)
    if check.without_agreement:
        messages.append(
            _(
                "早期警戒情報は、情報の取扱いに関する取決めが合意されている提供先にのみ"
                "提供できます（別添2.3④）。取決めのない提供先: %(names)s"
            )
            % {"names": "、".join(check.without_agreement)}
        )
        details["without_agreement"] = check.without_agreement
    if check.outside_range:
        for number, names in check.outside_range.items():
            messages.append(
                _(
                    "情報連絡 %(number)s の連絡元が示した共有範囲を越える提供先があります"
                    "（別添2.1）: %(names)s"
                )
                % {"number": number, "names": "、".join(names)}
            )
        details["outside_range"] = check.outside_range
    if check.tlp_too_loose:
        messages.append(
            _("情報連絡 %(numbers)s のTLPより緩いTLPでは提供できません。")
            % {"numbers": "、".join(check.tlp_too_loose)}
        )
        details["tlp_too_loose"] = check.tlp_too_loose
    if check.identifying:
        messages.append(
            _("連絡元を特定できる情報が残っています（別添2.2）: %(items)s")
            % {"items": "、".join(check.identifying)}
        )
        details["identifying"] = check.identifying
    return InvalidInput(" ".join(messages), details=details)


@transaction.atomic
def issue_alert(person: Person, draft: AlertDraft) -> Alert:
    """NISC issues an alert: checks every rule above, then writes the alert and one
    Delivery per recipient organisation in one bulk insert."""
    _require_nisc(person)
    wanted = set(draft.report_ids)
    if wanted and access.reports_visible_to(person).filter(pk__in=wanted).count() != len(wanted):
        raise InvalidInput(_("元になる情報連絡が見つかりません。"))  # not (yet) received
    mode = structure.current_mode()
    check = check_alert(draft, mode=mode)
    if not check.ok:
        raise _refusal(check)
    now = timezone.now()
    alert = Alert.objects.create(
        number=placeholder_number(),
        title=draft.title.strip(),
        body=draft.body.strip(),
        importance=draft.importance,
        category=AlertCategory.EARLY_WARNING if draft.early_warning else draft.category,
        tlp=draft.tlp,
        early_warning=draft.early_warning,
        sectors=sorted(set(draft.sectors)),
        mode=mode,
        status=AlertStatus.ISSUED,
        author=person,
        organization=person.organization,
        created=now,
        issued_at=now,
    )
    alert.number = f"A-{now:%Y}-{alert.pk:06d}"
    alert.save(update_fields=["number"])
    if draft.report_ids:
        alert.source_reports.set(draft.report_ids)
    Delivery.objects.bulk_create(
        [
            Delivery(
                alert=alert,
                recipient_id=p.recipient_id,
                via=p.via,
                relay_id=p.relay_id,
                hop=p.hop,
                delivered_at=now,
            )
            for p in check.planned
        ],
        batch_size=1000,
    )
    record(
        "sharing.alert.issued",
        actor=person.user,
        obj=alert,
        data={
            "recipients": len(check.planned),
            "sectors": alert.sectors,
            "early_warning": alert.early_warning,
            "mode": mode,
            "tlp": alert.tlp,
            "reports": sorted(draft.report_ids),
        },
        organization_id=person.organization_id,
    )
    # liaisons and CEPTOARs are in the first two hops; operators never need a notice
    _notify_contacts(alert, {p.recipient_id for p in check.planned if p.hop <= 2})
    return alert


def _notify_contacts(alert: Alert, recipient_ids: set[int]) -> None:
    """Tell the liaisons and CEPTOAR points of contact (a bounded set of people); member
    operators see the alert in their inbox."""
    from django.urls import reverse

    from mamori.notices.services import notify

    url = reverse("sharing:alert_detail", args=[alert.pk])
    people = set(
        Person.objects.filter(
            active=True,
            sharing_liaisons__ministry_id__in=recipient_ids,
            sharing_liaisons__sector__in=alert.sectors or list(cip.sectors()),
        )
    )
    people |= set(
        Person.objects.filter(
            active=True,
            pk__in=Party.objects.filter(
                role=PartyRole.CEPTOAR, organization_id__in=recipient_ids
            ).values("poc_person_id"),
        )
    )
    for member in people:
        notify(
            member,
            gettext_noop("情報提供 %(number)s（%(importance)s）が届きました。"),
            {"number": alert.number, "importance": alert.get_importance_display()},
            url,
        )


@transaction.atomic
def acknowledge(person: Person, delivery: Delivery) -> Delivery:
    """The recipient confirms it has received the alert (one acknowledgement per
    recipient organisation: who and when)."""
    delivery = (
        Delivery.objects.select_for_update(of=("self",)).select_related("alert").get(pk=delivery.pk)
    )
    if access.organization_of(person) is None or person.organization_id != delivery.recipient_id:
        raise Forbidden(_("受領確認できるのは提供先の組織の担当者です。"))
    if delivery.acknowledged_at is not None:
        raise InvalidTransition(_("既に受領確認済みです。"))
    delivery.acknowledged_at = timezone.now()
    delivery.acknowledged_by = person
    delivery.save(update_fields=["acknowledged_at", "acknowledged_by"])
    record(
        "sharing.alert.acknowledged",
        actor=person.user,
        obj=delivery.alert,
        data={"delivery": delivery.pk, "recipient": delivery.recipient_id},
        organization_id=person.organization_id,
    )
    return delivery


def delivery_for(person: Person, alert: Alert) -> Delivery | None:
    """The delivery of `alert` to the person's organisation, if any."""
    return Delivery.objects.filter(alert=alert, recipient_id=person.organization_id).first()
