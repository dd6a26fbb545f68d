"""State changes of 情報連絡 (reports) and of the mode. One function per change: validate,
change inside one transaction, record a trail event in the same transaction.

Alerts (情報提供) are in services_alerts.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mamori.errors import Forbidden, InvalidInput, InvalidTransition
from mamori.org import scope
from mamori.org.models import Organization, Person
from mamori.rules import cip
from mamori.rules.refs import CIP, cite
from mamori.sharing import access, structure, workflow
from mamori.sharing.models import (
    Mode,
    ModeChange,
    PartyRole,
    Report,
    ReportNote,
    ReportStatus,
    ReportVersion,
    RouteStep,
    Tlp,
)
from mamori.sharing.numbers import placeholder_number
from mamori.trail.services import record


@dataclass
class ReportContent:
    """What the operator states in one version (別添3.2). Figures are raw numbers keyed by
    the figure codes of rules.cip; the level verdict is computed, never given."""

    title: str
    summary: str
    event_type: str
    cause_type: str
    contact_means: str
    contact_person: str
    cause_detail: str = ""
    impact_c: bool = False
    impact_i: bool = False
    impact_a: bool = False
    service: str = ""
    figures: dict[str, Any] = field(default_factory=dict)
    occurred_at: datetime | None = None
    legally_required: bool = False
    legal_basis: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    uncertain: bool = False


@dataclass
class SharingRange:
    """The range the reporter chooses (別添3.3③): a TLP 2.0 label plus the parties."""

    tlp: str = Tlp.AMBER
    share_same_sector: bool = False
    share_same_ceptoar: bool = False
    share_all_operators: bool = False
    share_ceptoars: bool = False
    share_ministries: bool = False
    share_government: bool = False
    share_relevant_orgs: bool = False
    share_vendors: bool = False
    share_org_ids: list[int] = field(default_factory=list)

    def flags(self) -> dict[str, bool]:
        return {name: bool(getattr(self, name)) for name in Report.SHARE_FLAGS}

    def parties_chosen(self) -> bool:
        return any(self.flags().values()) or bool(self.share_org_ids)


def _operator_party(person: Person):
    if not scope.has_role(person, "cip_operator"):
        raise Forbidden(_("情報連絡は重要インフラ事業者等の連絡担当者が行います。"))
    party = access.party_of(person.organization)
    if party is None or party.role != PartyRole.OPERATOR or not party.active:
        raise Forbidden(_("この組織は重要インフラ事業者等として登録されていません。"))
    return party


def _clean_content(content: ReportContent, sector: str) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if not content.title.strip():
        errors["title"] = _("件名を入力してください。")
    if not content.summary.strip():
        errors["summary"] = _("概要を入力してください。")
    if content.event_type not in cip.events():
        errors["event_type"] = _("事象の類型を選んでください。")
    if content.cause_type not in cip.causes():
        errors["cause_type"] = _("原因の類型を選んでください。")
    elif content.cause_detail:
        example = cip.cause_examples().get(content.cause_detail)
        if example is None or example[0] != content.cause_type:
            errors["cause_detail"] = _("原因の例が原因の類型に合いません。")
    if content.service:
        try:
            svc = cip.service(content.service)
        except ValueError:
            errors["service"] = _("不明な重要インフラサービスです。")
        else:
            if svc.sector != sector:
                errors["service"] = _("自分の分野の重要インフラサービスを選んでください。")
    # 別添3.2: the means of contact and the person in charge are mandatory.
    if not content.contact_means.strip():
        errors["contact_means"] = _("利用可能な連絡手段は必須です（別添3.2）。")
    if not content.contact_person.strip():
        errors["contact_person"] = _("連絡担当者は必須です（別添3.2）。")
    known = cip.figures()
    figures: dict[str, float] = {}
    for code, value in (content.figures or {}).items():
        if code not in known:
            errors["figures"] = _("不明な規模の項目です: %(code)s") % {"code": code}
            continue
        if value in (None, ""):
            continue
        number = cip.parse_figure(value)
        if number is None:
            errors["figures"] = _("規模は0以上の数値で入力してください。")
        else:
            figures[code] = int(number) if number.is_integer() else number
    if errors:
        raise InvalidInput(_("入力内容を確認してください。"), details=errors)
    verdict = (
        cip.exceeds_level(content.service, figures)
        if content.service
        else cip.Verdict(exceeds=None, reasons=(), citation=cite(CIP, "別紙2"))
    )
    return {
        "title": content.title.strip(),
        "summary": content.summary.strip(),
        "event_type": content.event_type,
        "cause_type": content.cause_type,
        "cause_detail": content.cause_detail,
        "impact_c": content.impact_c,
        "impact_i": content.impact_i,
        "impact_a": content.impact_a,
        "service": content.service,
        "figures": figures,
        "exceeds_level": verdict.exceeds,
        "level_reasons": [
            {"figure": r.figure, "threshold": r.threshold, "value": r.value, "met": r.met}
            for r in verdict.reasons
        ],
        "level_citation": verdict.citation,
        "occurred_at": content.occurred_at,
        "legally_required": content.legally_required,
        "legal_basis": content.legal_basis.strip(),
        "contact_means": content.contact_means.strip(),
        "contact_person": content.contact_person.strip(),
        "contact_phone": content.contact_phone.strip(),
        "contact_email": content.contact_email.strip(),
        "uncertain": content.uncertain,
    }


def _clean_range(sharing: SharingRange) -> None:
    problem = cip.range_problem(sharing.tlp, sharing.parties_chosen())
    if problem == "unknown_tlp":
        raise InvalidInput(_("TLPを選んでください。"), details={"tlp": "unknown"})
    if problem == "red_with_parties":
        raise InvalidInput(
            _("TLP:REDの情報は連絡経路（リエゾン、内閣官房）以外とは共有できません。"),
            details={"tlp": problem},
        )
    if problem == "no_parties":
        raise InvalidInput(
            _("共有してよい相手を一つ以上選んでください（TLP:GREEN / AMBER）。"),
            details={"tlp": problem},
        )
    if sharing.share_org_ids:
        found = Organization.objects.filter(
            pk__in=sharing.share_org_ids, sharing_party__isnull=False
        ).count()
        if found != len(set(sharing.share_org_ids)):
            raise InvalidInput(_("共有先に情報共有の関係主体でない組織が含まれています。"))


def _apply_range(report: Report, sharing: SharingRange) -> None:
    report.tlp = sharing.tlp
    for name, value in sharing.flags().items():
        setattr(report, name, value)


@transaction.atomic
def submit_report(
    person: Person,
    content: ReportContent,
    sharing: SharingRange,
    *,
    voluntary: bool = True,
) -> Report:
    """An operator's first 情報連絡: stored as version 1 and sent to its ministry's sector
    liaison (別添3.3①). Handled as 任意提供情報 unless the reporter agrees otherwise
    (別添3.4)."""
    party = _operator_party(person)
    data = _clean_content(content, party.sector)
    _clean_range(sharing)
    liaison = structure.liaison_for(party.sector)
    if liaison is None:
        raise InvalidInput(_("この分野の所管省庁リエゾンが登録されていないため、連絡できません。"))
    now = timezone.now()
    report = Report(
        number=placeholder_number(),
        organization=person.organization,
        reporter=person,
        sector=party.sector,
        liaison=liaison,
        handled_as_voluntary=voluntary,
        created=now,
        updated=now,
    )
    _apply_range(report, sharing)
    report.save()
    report.number = f"R-{now:%Y}-{report.pk:06d}"
    version = ReportVersion.objects.create(report=report, number=1, author=person, **data)
    report.current = version
    report.save(update_fields=["number", "current"])
    if sharing.share_org_ids:
        report.share_orgs.set(sharing.share_org_ids)
    RouteStep.objects.create(
        report=report,
        sender_org=person.organization,
        sender=person,
        recipient_org=liaison.ministry,
        version=1,
        sent_at=now,
    )
    record(
        "sharing.report.submitted",
        actor=person.user,
        obj=report,
        data={
            "sector": report.sector,
            "to": liaison.ministry.code,
            "tlp": report.tlp,
            "exceeds_level": version.exceeds_level,
            "voluntary": voluntary,
        },
        organization_id=person.organization_id,
    )
    _notify_liaison(liaison, report)
    return report


def _notify_liaison(liaison, report: Report) -> None:
    from django.urls import reverse
    from django.utils.translation import gettext_noop

    from mamori.notices.services import notify

    for member in liaison.people.filter(active=True):
        notify(
            member,
            gettext_noop(
                "情報連絡 %(number)s が届きました。内容を確認し内閣官房へ連絡してください。"
            ),
            {"number": report.number},
            reverse("sharing:report_detail", args=[report.pk]),
        )


def _own_report(person: Person, report: Report) -> None:
    _operator_party(person)
    if report.organization_id != person.organization_id:
        raise Forbidden(_("自組織の情報連絡のみ更新できます。"))


@transaction.atomic
def add_version(
    person: Person,
    report: Report,
    content: ReportContent,
    *,
    change_note: str = "",
    sharing: SharingRange | None = None,
) -> ReportVersion:
    """A later update (別添3.2: facts are sent as they become known). Every version is
    kept; the new one goes to the liaison again, who forwards it to NISC."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    _own_report(person, report)
    if report.status == ReportStatus.CLOSED:
        raise InvalidTransition(_("終結した情報連絡は更新できません。"))
    data = _clean_content(content, report.sector)
    if sharing is not None:
        _clean_range(sharing)
        _apply_range(report, sharing)
        report.share_orgs.set(sharing.share_org_ids)
    number = report.versions.count() + 1
    version = ReportVersion.objects.create(
        report=report, number=number, author=person, change_note=change_note.strip(), **data
    )
    now = timezone.now()
    report.current = version
    report.updated = now
    if report.status == ReportStatus.FORWARDED:
        workflow.check(report.status, ReportStatus.SUBMITTED)
        report.status = ReportStatus.SUBMITTED
    report.save()
    RouteStep.objects.create(
        report=report,
        sender_org=person.organization,
        sender=person,
        recipient_org=report.liaison.ministry,
        version=number,
        sent_at=now,
    )
    record(
        "sharing.report.updated",
        actor=person.user,
        obj=report,
        data={"version": number, "tlp": report.tlp, "exceeds_level": version.exceeds_level},
        organization_id=person.organization_id,
    )
    _notify_liaison(report.liaison, report)
    return version


def can_forward(person: Person, report: Report) -> bool:
    return (
        report.liaison_id is not None
        and report.status == ReportStatus.SUBMITTED
        and scope.has_role(person, "cip_liaison")
        and person.organization_id == report.liaison.ministry_id
        and report.liaison.people.filter(pk=person.pk).exists()
    )


@transaction.atomic
def forward_report(person: Person, report: Report, *, note: str = "") -> RouteStep:
    """The sector liaison passes the report (its latest version) on to NISC, optionally
    with a note (別添3.3②)."""
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("liaison__ministry")
        .get(pk=report.pk)
    )
    if not (
        report.liaison_id
        and scope.has_role(person, "cip_liaison")
        and person.organization_id == report.liaison.ministry_id
        and report.liaison.people.filter(pk=person.pk).exists()
    ):
        raise Forbidden(_("この分野のリエゾンのみ内閣官房へ連絡できます。"))
    workflow.check(report.status, ReportStatus.FORWARDED)
    nisc = structure.nisc_org()
    if nisc is None:
        raise InvalidInput(_("内閣官房（NISC）が登録されていません。"))
    now = timezone.now()
    step = RouteStep.objects.create(
        report=report,
        sender_org=person.organization,
        sender=person,
        recipient_org=nisc,
        version=report.current.number,
        sent_at=now,
        note=note.strip(),
    )
    report.status = ReportStatus.FORWARDED
    report.updated = now
    report.save(update_fields=["status", "updated"])
    record(
        "sharing.report.forwarded",
        actor=person.user,
        obj=report,
        data={"version": step.version, "to": nisc.code, "note": bool(step.note)},
        organization_id=person.organization_id,
    )
    return step


@transaction.atomic
def add_note(person: Person, report: Report, text: str) -> ReportNote:
    """A liaison or NISC adds a remark to a report it has received."""
    if not text.strip():
        raise InvalidInput(_("付記を入力してください。"), details={"text": "required"})
    if not (
        scope.has_role(person, "cip_liaison", "cip_nisc")
        and access.can_see_report(person, report)
        and (
            report.route.filter(recipient_org_id=person.organization_id).exists()
            or report.organization_id == person.organization_id
        )
    ):
        raise Forbidden(_("付記できるのは連絡経路上のリエゾン又は内閣官房です。"))
    note = ReportNote.objects.create(
        report=report, author=person, organization=person.organization, text=text.strip()
    )
    record(
        "sharing.report.noted",
        actor=person.user,
        obj=report,
        data={"note": note.pk},
        organization_id=person.organization_id,
    )
    return note


@transaction.atomic
def close_report(person: Person, report: Report) -> Report:
    if not access.is_nisc(person) or not scope.has_role(person, "cip_nisc"):
        raise Forbidden(_("情報連絡を終結できるのは内閣官房です。"))
    report = Report.objects.select_for_update().get(pk=report.pk)
    workflow.check(report.status, ReportStatus.CLOSED)
    report.status = ReportStatus.CLOSED
    report.updated = timezone.now()
    report.save(update_fields=["status", "updated"])
    record(
        "sharing.report.closed",
        actor=person.user,
        obj=report,
        data={},
        organization_id=person.organization_id,
    )
    return report


@transaction.atomic
def switch_mode(person: Person, mode: str, *, reason: str = "") -> ModeChange:
    """NISC switches between 平時 (別紙4-1) and 大規模ＩＴ障害対応時 (別紙4-2)."""
    if not access.is_nisc(person) or not scope.has_role(person, "cip_nisc"):
        raise Forbidden(_("体制を切り替えられるのは内閣官房（NISC）です。"))
    if mode not in Mode.values:
        raise InvalidInput(_("不明な体制です。"))
    if mode == structure.current_mode():
        raise InvalidTransition(_("既にその体制です。"))
    change = ModeChange.objects.create(mode=mode, reason=reason.strip(), changed_by=person)
    record(
        "sharing.mode.switched",
        actor=person.user,
        obj=change,
        data={"mode": mode, "reason": change.reason, "citation": cip.mode_route(mode).citation},
        organization_id=person.organization_id,
    )
    return change
