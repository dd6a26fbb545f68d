"""The 浸透状況 survey (行動計画 Ⅴ.1.4.2(1), Ⅳ2.6.1⑤): one service function per change,
each in one transaction with its trail event.

- NISC (`cip_nisc` at the NISC party): `create_survey` (with the default questions taken
  from what the plan expects of operators, Ⅳ2.6), `add_question` / `remove_question`
  while a draft, `open_survey` (sectors, due date; notices to the operators),
  `close_survey`.
- An operator (`cip_operator` at an operator party): `save_answers` (all or nothing; draft
  or submit; edits until the due date while the survey is open).
- `send_reminders`: the operators who have not submitted, on the reminder days before the
  due date (`mamori sharing_survey_reminders`).
Reading: `surveys_visible_to`, `response_for`, `self_check`, `rates`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Avg, Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mamori.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from mamori.notices.services import notify
from mamori.org import scope
from mamori.org.models import Person
from mamori.rules import cip
from mamori.rules import deadlines as rules_deadlines
from mamori.rules.refs import CIP, cite
from mamori.sharing import access, structure
from mamori.sharing.indicator_models import (
    CHOICE_POINTS,
    AnswerKind,
    Choice,
    ResponseStatus,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)
from mamori.sharing.models import Party, PartyRole
from mamori.sharing.survey_questions import DEFAULT_QUESTIONS
from mamori.trail.services import record

CITATION = cite(CIP, "Ⅴ.1.4.2(1)")
SELF_CHECK_CITATION = cite(CIP, "Ⅴ.1.4")

# The survey's transition map (DESIGN principle 3).
TRANSITIONS: dict[str, frozenset[str]] = {
    SurveyStatus.DRAFT: frozenset({SurveyStatus.OPEN}),
    SurveyStatus.OPEN: frozenset({SurveyStatus.CLOSED}),
    SurveyStatus.CLOSED: frozenset(),
}


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, frozenset()):
        raise InvalidTransition(
            _("調査は「%(current)s」から「%(target)s」には進めません。")
            % {"current": SurveyStatus(current).label, "target": SurveyStatus(target).label}
        )


# --- who is who -------------------------------------------------------------------------


def is_nisc_officer(person: Person) -> bool:
    return scope.has_role(person, "cip_nisc") and access.is_nisc(person)


def _nisc(person: Person) -> None:
    if not is_nisc_officer(person):
        raise Forbidden(_("浸透状況調査を管理できるのは内閣官房です。"))


def operator_party(person: Person) -> Party | None:
    """The operator party the person answers for (cip_operator at an active operator)."""
    if not scope.has_role(person, "cip_operator"):
        return None
    party = access.party_of(access.organization_of(person))
    if party is None or not party.active or party.role != PartyRole.OPERATOR:
        return None
    return party


def liaison_sectors(person: Person) -> list[str]:
    if not scope.has_role(person, "cip_liaison") or access.organization_of(person) is None:
        return []
    return [
        s.sector for s in structure.liaisons_of(person) if s.ministry_id == person.organization_id
    ]


def readable_sectors(person: Person) -> list[str] | None:
    """Whose rates a person may read: None = every sector (NISC); a liaison's sectors."""
    if is_nisc_officer(person):
        return None
    sectors = liaison_sectors(person)
    if sectors:
        return sectors
    raise Forbidden(_("調査の集計を見られるのは内閣官房と所管省庁のリエゾンです。"))


def surveys_visible_to(person: Person) -> QuerySet[Survey]:
    if is_nisc_officer(person):
        return Survey.objects.all()
    live = Survey.objects.exclude(status=SurveyStatus.DRAFT)
    if liaison_sectors(person):
        return live
    party = operator_party(person)
    if party is None:
        return Survey.objects.none()
    ids = [s.pk for s in live if s.targets(party.sector)]
    return Survey.objects.filter(pk__in=ids)


# --- NISC: defining, opening, closing ------------------------------------------------------


def _event(verb: str, person: Person | None, survey: Survey, data: dict) -> None:
    record(
        f"sharing.survey.{verb}",
        actor=person.user if person else None,
        obj=survey,
        data={**data, "citation": CITATION},
        organization_id=person.organization_id if person else survey.organization_id,
    )


@transaction.atomic
def create_survey(person: Person, *, year: int, title: str = "", defaults: bool = True) -> Survey:
    _nisc(person)
    if Survey.objects.filter(fiscal_year=year).exists():
        raise InvalidInput(
            _("%(year)s年度の調査は既にあります。") % {"year": year}, details={"year": "taken"}
        )
    survey = Survey.objects.create(
        fiscal_year=year,
        title=(title or "").strip()[:200]
        or _("%(year)s年度 安全基準等の浸透状況等に関する調査") % {"year": year},
        organization=person.organization,
        created_by=person,
    )
    if defaults:
        SurveyQuestion.objects.bulk_create(
            SurveyQuestion(
                survey=survey,
                order=(n + 1) * 10,
                area=_(area),
                text=_(text),
                help=_(help_text) if help_text else "",
                kind=kind,
                citation=cite(CIP, clause),
            )
            for n, (area, text, help_text, kind, clause) in enumerate(DEFAULT_QUESTIONS)
        )
    _event("created", person, survey, {"year": year, "questions": survey.questions.count()})
    return survey


def _draft(survey: Survey) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != SurveyStatus.DRAFT:
        raise InvalidTransition(_("設問を変更できるのは作成中の調査だけです。"))
    return survey


@transaction.atomic
def add_question(
    person: Person, survey: Survey, *, text: str, kind: str, help: str = "", citation: str = ""
) -> SurveyQuestion:
    _nisc(person)
    survey = _draft(survey)
    text = (text or "").strip()
    errors = {}
    if not text:
        errors["text"] = _("設問を入力してください。")
    if kind not in AnswerKind.values:
        errors["kind"] = _("回答の形式を選んでください。")
    if errors:
        raise InvalidInput(next(iter(errors.values())), details=errors)
    last = survey.questions.order_by("-order").values_list("order", flat=True).first() or 0
    question = SurveyQuestion.objects.create(
        survey=survey,
        order=last + 10,
        text=text[:500],
        help=(help or "").strip(),
        kind=kind,
        citation=(citation or "").strip()[:120] or CITATION,
    )
    _event("question_added", person, survey, {"question": question.pk, "kind": kind})
    return question


@transaction.atomic
def remove_question(person: Person, question: SurveyQuestion) -> None:
    _nisc(person)
    survey = _draft(question.survey)
    pk = question.pk
    question.delete()
    _event("question_removed", person, survey, {"question": pk})


def target_parties(survey: Survey) -> QuerySet[Party]:
    parties = Party.objects.filter(role=PartyRole.OPERATOR, active=True)
    if survey.sectors:
        parties = parties.filter(sector__in=survey.sectors)
    return parties


def _operator_people(org_ids) -> QuerySet[Person]:
    return Person.objects.filter(
        active=True, organization_id__in=list(org_ids), role_assignments__role="cip_operator"
    ).distinct()


@transaction.atomic
def open_survey(
    person: Person, survey: Survey, *, due: date, sectors: list[str] | None = None
) -> Survey:
    _nisc(person)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    check_transition(survey.status, SurveyStatus.OPEN)
    sectors = sorted(set(sectors or []))
    errors = {}
    unknown = [code for code in sectors if code not in cip.sectors()]
    if unknown:
        errors["sectors"] = _("不明な分野です: %(codes)s") % {"codes": ", ".join(unknown)}
    if due is None or due < timezone.localdate():
        errors["due"] = _("回答期限は今日以降の日付にしてください。")
    if not survey.questions.exists():
        errors["questions"] = _("設問のない調査は開始できません。")
    if errors:
        raise InvalidInput(next(iter(errors.values())), details=errors)
    survey.status = SurveyStatus.OPEN
    survey.sectors = sectors
    survey.due = due
    survey.opened_at = timezone.now()
    survey.save(update_fields=["status", "sectors", "due", "opened_at"])
    org_ids = list(target_parties(survey).values_list("organization_id", flat=True))
    url = reverse("sharing:survey_answer", args=[survey.pk])
    people = list(_operator_people(org_ids))
    for operator in people:
        notify(
            operator,
            gettext_noop("浸透状況調査「%(title)s」への回答をお願いします（回答期限 %(due)s）。"),
            {"title": survey.title, "due": due.isoformat()},
            url,
        )
    _event(
        "opened",
        person,
        survey,
        {"due": due.isoformat(), "sectors": sectors, "operators": len(org_ids)},
    )
    return survey


@transaction.atomic
def close_survey(person: Person, survey: Survey) -> Survey:
    _nisc(person)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    check_transition(survey.status, SurveyStatus.CLOSED)
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at"])
    submitted = survey.responses.filter(status=ResponseStatus.SUBMITTED).count()
    _event("closed", person, survey, {"submitted": submitted})
    return survey


# --- operators: answering ---------------------------------------------------------------


def response_for(person: Person, survey: Survey) -> SurveyResponse | None:
    party = operator_party(person)
    if party is None:
        return None
    return SurveyResponse.objects.filter(
        survey=survey, organization_id=party.organization_id
    ).first()


def _parse(question: SurveyQuestion, raw) -> tuple[dict, str | None]:
    """(field values, error) for one raw answer; blank is allowed here."""
    raw = "" if raw is None else str(raw).strip()
    if question.kind == AnswerKind.CHOICE:
        if raw and raw not in Choice.values:
            return {}, _("選択肢から選んでください。")
        return {"choice": raw, "number": None, "text": ""}, None
    if question.kind == AnswerKind.NUMBER:
        if not raw:
            return {"choice": "", "number": None, "text": ""}, None
        try:
            number = Decimal(raw.replace(",", ""))
        except InvalidOperation:
            return {}, _("数値を入力してください。")
        if not number.is_finite() or number < 0 or number >= Decimal("1e12"):
            return {}, _("0以上の数値を入力してください。")
        return {"choice": "", "number": number.quantize(Decimal("0.01")), "text": ""}, None
    return {"choice": "", "number": None, "text": raw[:5000]}, None


def _blank(question: SurveyQuestion, values: dict) -> bool:
    if question.kind == AnswerKind.CHOICE:
        return not values["choice"]
    if question.kind == AnswerKind.NUMBER:
        return values["number"] is None
    return False  # free text is optional


def score_of(choices) -> float | None:
    points = [CHOICE_POINTS[c] for c in choices if c in CHOICE_POINTS]
    return round(100 * sum(points) / len(points), 1) if points else None


def field_name(question: SurveyQuestion) -> str:
    return f"q{question.pk}"


@transaction.atomic
def save_answers(
    person: Person, survey: Survey, answers: dict, *, submit: bool = False
) -> SurveyResponse:
    """Save every answer of the person's organisation, or none: `answers` maps
    "q<question id>" to the raw value. Submitting requires every choice and number
    question answered; a submitted response stays editable until the due date."""
    party = operator_party(person)
    if party is None:
        raise Forbidden(_("調査に回答できるのは重要インフラ事業者等の担当者です。"))
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if not survey.targets(party.sector) or survey.status == SurveyStatus.DRAFT:
        raise NotFound(_("この調査の対象ではありません。"))
    if survey.status != SurveyStatus.OPEN:
        raise InvalidTransition(_("締め切られた調査には回答できません。"))
    if survey.due and timezone.localdate() > survey.due:
        raise InvalidTransition(_("回答期限を過ぎたため変更できません。"))
    questions = list(survey.questions.all())
    parsed, errors = {}, {}
    for question in questions:
        values, error = _parse(question, answers.get(field_name(question)))
        if error:
            errors[field_name(question)] = error
            continue
        if submit and _blank(question, values):
            errors[field_name(question)] = _("提出するには回答してください。")
            continue
        parsed[question.pk] = values
    if errors:
        raise InvalidInput(
            _("回答に誤りがあります（%(count)d件）。保存していません。") % {"count": len(errors)},
            details=errors,
        )
    now = timezone.now()
    response, created = SurveyResponse.objects.select_for_update().get_or_create(
        survey=survey,
        organization_id=party.organization_id,
        defaults={"sector": party.sector, "updated_by": person, "updated": now},
    )
    SurveyAnswer.objects.filter(response=response).delete()
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=response, question_id=pk, **values) for pk, values in parsed.items()
    )
    was_submitted = response.status == ResponseStatus.SUBMITTED
    response.score = score_of(values["choice"] for values in parsed.values())
    response.updated_by, response.updated = person, now
    if submit:
        response.status = ResponseStatus.SUBMITTED
        response.submitted_at = now
    response.save()
    verb = "submitted" if submit else "saved"
    record(
        f"sharing.survey.{verb}",
        actor=person.user,
        obj=response,
        data={
            "survey": survey.pk,
            "score": response.score,
            "resubmitted": submit and was_submitted,
            "citation": CITATION,
        },
        organization_id=person.organization_id,
    )
    return response


# --- reading: self-check and rates -------------------------------------------------------


@dataclass
class SelfCheck:
    response: SurveyResponse | None
    score: float | None
    sector_average: float | None
    sector_submitted: int
    answers: dict  # question id -> SurveyAnswer


def self_check(person: Person, survey: Survey) -> SelfCheck:
    """The operator's own answers with its score and its sector's average (submitted
    responses only). Nothing of another operator is shown, only the sector average."""
    party = operator_party(person)
    if party is None:
        raise Forbidden(_("自己点検を見られるのは重要インフラ事業者等の担当者です。"))
    response = response_for(person, survey)
    sector = SurveyResponse.objects.filter(
        survey=survey, sector=party.sector, status=ResponseStatus.SUBMITTED
    ).aggregate(avg=Avg("score"), n=Count("id"))
    answers = {a.question_id: a for a in response.answers.all()} if response else {}
    return SelfCheck(
        response,
        response.score if response else None,
        round(sector["avg"], 1) if sector["avg"] is not None else None,
        sector["n"],
        answers,
    )


@dataclass
class SectorRates:
    code: str
    label: str
    operators: int = 0
    submitted: int = 0
    drafts: int = 0
    score_sum: float = 0.0
    scored: int = 0
    distribution: dict = field(default_factory=dict)  # question id -> {choice: n}
    numbers: dict = field(default_factory=dict)  # question id -> (sum, n)

    @property
    def response_rate(self) -> float | None:
        return round(100 * self.submitted / self.operators, 1) if self.operators else None

    @property
    def average(self) -> float | None:
        return round(self.score_sum / self.scored, 1) if self.scored else None


@dataclass
class Rates:
    survey: Survey
    questions: list
    rows: list
    total: SectorRates


def rates(person: Person, survey: Survey) -> Rates:
    """Response rate, average score and per-question distribution per sector, over the
    submitted responses; a liaison sees only their sectors. A constant number of queries."""
    sectors = readable_sectors(person)
    codes = [
        c
        for c in cip.sectors()
        if (sectors is None or c in sectors) and (not survey.sectors or c in survey.sectors)
    ]
    rows = {c: SectorRates(c, structure.sector_label(c)) for c in codes}
    total = SectorRates("", _("合計"))
    for line in (
        target_parties(survey).filter(sector__in=codes).values("sector").annotate(n=Count("id"))
    ):
        rows[line["sector"]].operators = line["n"]
    responses = SurveyResponse.objects.filter(survey=survey, sector__in=codes)
    for line in responses.values("sector").annotate(
        submitted=Count("id", filter=Q(status=ResponseStatus.SUBMITTED)),
        drafts=Count("id", filter=Q(status=ResponseStatus.DRAFT)),
        scored=Count("score", filter=Q(status=ResponseStatus.SUBMITTED)),
        avg=Avg("score", filter=Q(status=ResponseStatus.SUBMITTED)),
    ):
        row = rows[line["sector"]]
        row.submitted, row.drafts, row.scored = line["submitted"], line["drafts"], line["scored"]
        row.score_sum = (line["avg"] or 0) * line["scored"]
    answers = SurveyAnswer.objects.filter(
        response__survey=survey,
        response__sector__in=codes,
        response__status=ResponseStatus.SUBMITTED,
    )
    for line in (
        answers.exclude(choice="")
        .values("response__sector", "question_id", "choice")
        .annotate(n=Count("id"))
    ):
        for row in (rows[line["response__sector"]], total):
            counts = row.distribution.setdefault(line["question_id"], {})
            counts[line["choice"]] = counts.get(line["choice"], 0) + line["n"]
    for line in (
        answers.filter(number__isnull=False)
        .values("response__sector", "question_id")
        .annotate(n=Count("id"), avg=Avg("number"))
    ):
        for row in (rows[line["response__sector"]], total):
            s, n = row.numbers.get(line["question_id"], (0.0, 0))
            row.numbers[line["question_id"]] = (s + float(line["avg"]) * line["n"], n + line["n"])
    for row in rows.values():
        total.operators += row.operators
        total.submitted += row.submitted
        total.drafts += row.drafts
        total.scored += row.scored
        total.score_sum += row.score_sum
    return Rates(survey, list(survey.questions.all()), list(rows.values()), total)


# --- reminders ----------------------------------------------------------------------------


def send_reminders(today: date | None = None) -> int:
    """Remind the operators of open surveys who have not submitted, on the reminder days
    before the due date (mamori.rules.deadlines.reminder_dates) and on the due date; once
    a day per survey. Returns how many people were reminded."""
    today = today or timezone.localdate()
    reminded = 0
    for survey in Survey.objects.filter(status=SurveyStatus.OPEN, due__isnull=False):
        if today > survey.due:
            continue
        if today != survey.due and today not in rules_deadlines.reminder_dates(survey.due):
            continue
        with transaction.atomic():
            locked = Survey.objects.select_for_update().get(pk=survey.pk)
            if locked.last_reminded_on == today:
                continue
            done = SurveyResponse.objects.filter(
                survey=survey, status=ResponseStatus.SUBMITTED
            ).values("organization_id")
            org_ids = target_parties(survey).exclude(organization_id__in=done)
            people = list(_operator_people(org_ids.values_list("organization_id", flat=True)))
            url = reverse("sharing:survey_answer", args=[survey.pk])
            for operator in people:
                notify(
                    operator,
                    gettext_noop(
                        "浸透状況調査「%(title)s」の回答期限が近づいています（回答期限 %(due)s）。"
                    ),
                    {"title": survey.title, "due": survey.due.isoformat()},
                    url,
                )
            locked.last_reminded_on = today
            locked.save(update_fields=["last_reminded_on"])
            _event("reminded", None, survey, {"reminded": len(people), "date": today.isoformat()})
            reminded += len(people)
    return reminded
