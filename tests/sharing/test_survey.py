"""The 浸透状況 survey (行動計画 Ⅴ.1.4.2(1)): NISC defines and opens it, operators answer
(all or nothing, draft then submit, edits until the due date), the self-check with the
sector average, rates per sector for NISC and liaisons, isolation, refusals, the
transition map, notices, reminders, the calendar and the Excel export."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mamori.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from mamori.rules.deadlines import fiscal_year, reminder_dates
from mamori.sharing import services_survey as svc
from mamori.sharing.indicator_models import (
    AnswerKind,
    ResponseStatus,
    Survey,
    SurveyAnswer,
    SurveyResponse,
    SurveyStatus,
)

YEAR = fiscal_year(timezone.localdate())


def due_in(days=14):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def survey(hub):
    made = svc.create_survey(hub.nisc_person, year=YEAR)
    return svc.open_survey(hub.nisc_person, made, due=due_in())


def answers(survey, choice="yes", number="2", text="", **override):
    out = {}
    for q in survey.questions.all():
        name = svc.field_name(q)
        out[name] = {AnswerKind.CHOICE: choice, AnswerKind.NUMBER: number}.get(q.kind, text)
    out.update(override)
    return out


def events(action):
    from mamori.trail.models import Event

    return Event.objects.filter(action=action).count()


def test_default_questions_come_from_the_plan_with_clauses(hub):
    made = svc.create_survey(hub.nisc_person, year=YEAR)
    questions = list(made.questions.all())
    assert len(questions) == len(svc.DEFAULT_QUESTIONS)
    areas = {q.area for q in questions}
    assert {"安全基準等の整備及び浸透", "情報共有体制の強化", "障害対応体制の強化"} <= areas
    assert {"リスクマネジメント", "防護基盤の強化"} <= areas
    assert all(q.citation.startswith("行動計画 ") for q in questions)
    assert any("セプター" in q.text for q in questions)
    assert made.status == SurveyStatus.DRAFT and events("sharing.survey.created") == 1
    with pytest.raises(InvalidInput):
        svc.create_survey(hub.nisc_person, year=YEAR)


def test_opening_notifies_the_target_operators_only(hub):
    from mamori.notices.models import Notification

    made = svc.create_survey(hub.nisc_person, year=YEAR)
    svc.open_survey(hub.nisc_person, made, due=due_in(), sectors=["electricity"])
    notified = set(Notification.objects.values_list("recipient__user__username", flat=True))
    assert notified == {"elec1", "elec2"}
    assert events("sharing.survey.opened") == 1


def test_transition_map_refusals(hub, survey):
    with pytest.raises(InvalidTransition):
        svc.open_survey(hub.nisc_person, survey, due=due_in())
    with pytest.raises(InvalidTransition):  # questions are fixed once open
        svc.add_question(hub.nisc_person, survey, text="追加", kind="choice")
    svc.close_survey(hub.nisc_person, survey)
    with pytest.raises(InvalidTransition):
        svc.close_survey(hub.nisc_person, survey)
    with pytest.raises(InvalidTransition):
        svc.save_answers(hub.elec1_person, survey, answers(survey))
    assert svc.TRANSITIONS[SurveyStatus.CLOSED] == frozenset()


def test_open_needs_a_future_due_date_and_questions(hub):
    made = svc.create_survey(hub.nisc_person, year=YEAR, defaults=False)
    with pytest.raises(InvalidInput) as error:
        svc.open_survey(hub.nisc_person, made, due=due_in())
    assert "questions" in error.value.details
    svc.add_question(hub.nisc_person, made, text="体制はありますか", kind="choice")
    with pytest.raises(InvalidInput) as error:
        svc.open_survey(hub.nisc_person, made, due=timezone.localdate() - timedelta(days=1))
    assert "due" in error.value.details
    made.refresh_from_db()
    assert made.status == SurveyStatus.DRAFT


@pytest.mark.parametrize(
    "who", ["meti_liaison", "elec1_person", "elec_poc", "vendor_person", "elec1_norole"]
)
def test_only_nisc_manages_surveys(hub, survey, who):
    person = getattr(hub, who)
    with pytest.raises(Forbidden):
        svc.create_survey(person, year=YEAR + 1)
    with pytest.raises(Forbidden):
        svc.close_survey(person, survey)


def test_draft_then_submit_with_score_and_trail(hub, survey):
    first = svc.save_answers(hub.elec1_person, survey, answers(survey, choice="", number=""))
    assert first.status == ResponseStatus.DRAFT and first.score is None
    q = list(survey.questions.filter(kind=AnswerKind.CHOICE))
    mix = answers(survey, choice="yes")
    mix[svc.field_name(q[0])] = "no"
    mix[svc.field_name(q[1])] = "partly"
    mix[svc.field_name(q[2])] = "na"
    done = svc.save_answers(hub.elec1_person, survey, mix, submit=True)
    scored = len(q) - 1  # 該当なし left out
    assert done.pk == first.pk and done.status == ResponseStatus.SUBMITTED
    assert done.score == round(100 * (scored - 1 - 0.5) / scored, 1)
    assert events("sharing.survey.saved") == 1 and events("sharing.survey.submitted") == 1
    assert SurveyResponse.objects.filter(survey=survey).count() == 1  # one per organisation


def test_all_or_nothing_save(hub, survey):
    svc.save_answers(hub.elec1_person, survey, answers(survey, choice="yes"))
    number_q = survey.questions.get(kind=AnswerKind.NUMBER)
    bad = answers(survey, choice="no")
    bad[svc.field_name(number_q)] = "たくさん"
    with pytest.raises(InvalidInput) as error:
        svc.save_answers(hub.elec1_person, survey, bad)
    assert svc.field_name(number_q) in error.value.details
    # nothing changed: still the first answers
    assert set(SurveyAnswer.objects.exclude(choice="").values_list("choice", flat=True)) == {"yes"}
    # submitting with a blank choice is refused as a whole as well
    blank = answers(survey, choice="yes")
    blank[svc.field_name(survey.questions.filter(kind=AnswerKind.CHOICE).first())] = ""
    with pytest.raises(InvalidInput):
        svc.save_answers(hub.elec1_person, survey, blank, submit=True)
    assert SurveyResponse.objects.get().status == ResponseStatus.DRAFT


def test_edits_until_the_due_date_only(hub, survey):
    svc.save_answers(hub.elec1_person, survey, answers(survey), submit=True)
    svc.save_answers(hub.elec1_person, survey, answers(survey, choice="no"), submit=True)
    Survey.objects.filter(pk=survey.pk).update(due=timezone.localdate() - timedelta(days=1))
    with pytest.raises(InvalidTransition):
        svc.save_answers(hub.elec1_person, survey, answers(survey))
    assert SurveyResponse.objects.get().score == 0.0


def test_non_target_and_non_operators_cannot_answer(hub):
    made = svc.create_survey(hub.nisc_person, year=YEAR)
    svc.open_survey(hub.nisc_person, made, due=due_in(), sectors=["electricity"])
    with pytest.raises(NotFound):
        svc.save_answers(hub.bank1_person, made, answers(made))
    for person in (hub.nisc_person, hub.meti_liaison, hub.elec_poc, hub.elec1_norole):
        with pytest.raises(Forbidden):
            svc.save_answers(person, made, answers(made))


def test_self_check_shows_own_score_and_sector_average_only(client, hub, survey):
    svc.save_answers(hub.elec1_person, survey, answers(survey, choice="yes"), submit=True)
    svc.save_answers(hub.elec2_person, survey, answers(survey, choice="no"), submit=True)
    svc.save_answers(hub.bank1_person, survey, answers(survey, choice="partly", text="銀行の秘密の意見"), submit=True)  # fmt: skip
    check = svc.self_check(hub.elec1_person, survey)
    assert (check.score, check.sector_average, check.sector_submitted) == (100.0, 50.0, 2)
    client.force_login(hub.elec1_person.user)
    response = client.get(reverse("sharing:survey_self_check", args=[survey.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="own-score">100.0' in html and 'id="sector-average">50.0' in html
    assert "銀行の秘密の意見" not in html
    # the answer page shows only the organisation's own answers
    html = client.get(reverse("sharing:survey_answer", args=[survey.pk])).content.decode()
    assert "銀行の秘密の意見" not in html
    # operators cannot read rates, nor the NISC page
    for name in ("survey_rates", "survey_rates_xlsx", "survey_detail"):
        assert client.get(reverse(f"sharing:{name}", args=[survey.pk])).status_code == 403


def test_answer_page_flow_and_errors(client, hub, survey):
    client.force_login(hub.elec1_person.user)
    url = reverse("sharing:survey_answer", args=[survey.pk])
    page = client.get(url)
    assert page.status_code == 200 and "提出する" in page.content.decode()
    data = answers(survey)
    data[svc.field_name(survey.questions.get(kind=AnswerKind.NUMBER))] = "abc"
    bad = client.post(url, {**data, "submit": "1"})
    assert bad.status_code == 200 and "数値を入力してください。" in bad.content.decode()
    assert not SurveyResponse.objects.exists()
    good = client.post(url, {**answers(survey), "submit": "1"})
    assert good.status_code == 302
    assert SurveyResponse.objects.get().status == ResponseStatus.SUBMITTED


def test_rates_per_sector_with_liaison_scoping(client, hub, survey):
    svc.save_answers(hub.elec1_person, survey, answers(survey, choice="yes", number="4"), submit=True)  # fmt: skip
    svc.save_answers(hub.elec2_person, survey, answers(survey, choice="no"))  # a draft: not counted
    svc.save_answers(hub.bank1_person, survey, answers(survey, choice="partly", number="2"), submit=True)  # fmt: skip
    result = svc.rates(hub.nisc_person, survey)
    rows = {row.code: row for row in result.rows}
    elec, bank = rows["electricity"], rows["bank"]
    assert (elec.operators, elec.submitted, elec.drafts, elec.response_rate) == (2, 1, 1, 50.0)
    assert elec.average == 100.0 and bank.average == 50.0 and bank.response_rate == 100.0
    first_choice = survey.questions.filter(kind=AnswerKind.CHOICE).first().pk
    assert elec.distribution[first_choice] == {"yes": 1}
    assert result.total.distribution[first_choice] == {"yes": 1, "partly": 1}
    number_q = survey.questions.get(kind=AnswerKind.NUMBER).pk
    assert result.total.numbers[number_q] == (6.0, 2)
    assert (result.total.operators, result.total.submitted, result.total.average) == (3, 2, 75.0)

    meti = svc.rates(hub.meti_liaison, survey)
    assert [row.code for row in meti.rows] == ["electricity", "gas"]
    assert meti.total.submitted == 1 and meti.total.distribution[first_choice] == {"yes": 1}
    client.force_login(hub.fsa_liaison.user)
    html = client.get(reverse("sharing:survey_rates", args=[survey.pk])).content.decode()
    assert 'data-sector="bank"' in html and 'data-sector="electricity"' not in html
    assert 'data-sharing-chart="chart-rates"' in html
    assert client.get(reverse("sharing:survey_detail", args=[survey.pk])).status_code == 403


@pytest.mark.parametrize("who", ["elec_poc", "vendor_person", "crisis_person", "elec1_norole"])
def test_rates_and_list_refused_to_others(client, hub, survey, who):
    client.force_login(getattr(hub, who).user)
    assert client.get(reverse("sharing:survey_list")).status_code == 403
    assert client.get(reverse("sharing:survey_rates", args=[survey.pk])).status_code in (403, 404)
    assert client.post(reverse("sharing:survey_close", args=[survey.pk])).status_code == 403
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.OPEN


def test_drafts_are_hidden_from_operators_and_liaisons(client, hub):
    made = svc.create_survey(hub.nisc_person, year=YEAR)
    assert not svc.surveys_visible_to(hub.elec1_person).exists()
    assert not svc.surveys_visible_to(hub.meti_liaison).exists()
    client.force_login(hub.elec1_person.user)
    assert client.get(reverse("sharing:survey_answer", args=[made.pk])).status_code == 404


def test_nisc_pages_create_add_open_close(client, hub):
    client.force_login(hub.nisc_person.user)
    assert client.get(reverse("sharing:survey_list")).status_code == 200
    response = client.post(reverse("sharing:survey_create"), {"year": YEAR, "title": ""})
    made = Survey.objects.get()
    assert response.status_code == 302 and made.fiscal_year == YEAR
    detail = reverse("sharing:survey_detail", args=[made.pk])
    assert "安全基準等" in client.get(detail).content.decode()
    client.post(
        reverse("sharing:survey_question_add", args=[made.pk]),
        {"text": "CSIRTを設置していますか", "kind": "choice", "help": "", "citation": ""},
    )
    assert made.questions.filter(text="CSIRTを設置していますか").exists()
    bad = client.post(reverse("sharing:survey_open", args=[made.pk]), {"due": "2000-01-01"})
    assert bad.status_code == 200 and "回答期限は今日以降" in bad.content.decode()
    client.post(
        reverse("sharing:survey_open", args=[made.pk]),
        {"due": due_in().isoformat(), "sectors": ["bank"]},
    )
    made.refresh_from_db()
    assert made.status == SurveyStatus.OPEN and made.sectors == ["bank"]
    client.post(reverse("sharing:survey_close", args=[made.pk]))
    made.refresh_from_db()
    assert made.status == SurveyStatus.CLOSED
    assert client.get(reverse("sharing:survey_create")).status_code == 405


def test_rates_excel_opens_with_the_numbers(client, hub, survey):
    from openpyxl import load_workbook

    svc.save_answers(hub.elec1_person, survey, answers(survey, choice="yes"), submit=True)
    client.force_login(hub.nisc_person.user)
    response = client.get(reverse("sharing:survey_rates_xlsx", args=[survey.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["分野別", "設問別"]
    rows = {r[0]: r[1:] for r in book["分野別"].iter_rows(min_row=2, values_only=True)}
    assert rows["電力"] == (2, 1, 0, 50.0, 100.0)
    assert rows["合計"][:2] == (3, 1)


def test_rates_queries_stay_constant(client, hub, survey):
    client.force_login(hub.nisc_person.user)
    url = reverse("sharing:survey_rates", args=[survey.pk])
    svc.save_answers(hub.elec1_person, survey, answers(survey), submit=True)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    svc.save_answers(hub.elec2_person, survey, answers(survey, choice="no"), submit=True)
    svc.save_answers(hub.bank1_person, survey, answers(survey, choice="partly"), submit=True)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_reminders_once_a_day_to_those_not_submitted(hub, survey):
    from mamori.notices.models import Notification

    svc.save_answers(hub.elec1_person, survey, answers(survey), submit=True)
    day = reminder_dates(survey.due)[0]
    Notification.objects.all().delete()
    call_command("sharing_survey_reminders", date=day.isoformat())
    assert set(Notification.objects.values_list("recipient__user__username", flat=True)) == {
        "elec2",
        "bank1",
    }
    call_command("sharing_survey_reminders", date=day.isoformat())
    assert Notification.objects.count() == 2
    assert events("sharing.survey.reminded") == 1
    assert svc.send_reminders(today=survey.due + timedelta(days=1)) == 0


def test_calendar_shows_the_due_date_until_submitted(hub, survey):
    from mamori.web.deadlines import providers

    provider = providers()["sharing_survey"]
    start, end = timezone.localdate(), due_in(30)
    items = list(provider(hub.elec1_person, start, end))
    assert [i.due for i in items] == [survey.due]
    assert items[0].citation == "行動計画 Ⅴ.1.4.2(1)"
    svc.save_answers(hub.elec1_person, survey, answers(survey), submit=True)
    assert list(provider(hub.elec1_person, start, end)) == []
    assert list(provider(hub.nisc_person, start, end)) == []


def test_menu_items(client, hub):
    from mamori.web.nav import items_for

    keys = {i.key for i in items_for(hub.elec1_person)}
    assert "sharing_surveys" in keys and "sharing_indicators" not in keys
    keys = {i.key for i in items_for(hub.meti_liaison)}
    assert {"sharing_surveys", "sharing_indicators"} <= keys


def test_demo_builds_once(db):
    from django.contrib.auth.hashers import make_password

    from mamori.sharing.demo import build_sharing
    from mamori.sharing.survey_demo import build_survey

    build_sharing(make_password("demo"))
    assert build_survey() > 0
    made = Survey.objects.get()
    assert made.status == SurveyStatus.OPEN
    statuses = sorted(made.responses.values_list("status", flat=True))
    assert statuses == [ResponseStatus.DRAFT, ResponseStatus.SUBMITTED]
    assert build_survey() == 0


def test_rates_page_shows_one_sectors_distribution(client, hub, survey):
    svc.save_answers(hub.elec1_person, survey, answers(survey, choice="yes"), submit=True)
    svc.save_answers(hub.bank1_person, survey, answers(survey, choice="no"), submit=True)
    client.force_login(hub.nisc_person.user)
    url = reverse("sharing:survey_rates", args=[survey.pk])
    first = survey.questions.filter(kind=AnswerKind.CHOICE).first()
    total = client.get(url).context["distribution"]
    assert total[0]["question"] == first and total[0]["counts"][:3] == [1, 0, 1]
    bank = client.get(url, {"sector": "bank"}).context["distribution"]
    assert bank[0]["counts"][:3] == [0, 0, 1]
