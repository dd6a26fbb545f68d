"""Demo data of the 浸透状況 survey (行動計画 Ⅴ.1.4.2(1)).

`build_survey() -> int` runs after mamori.sharing.demo.build_sharing: NISC (cip-nisc)
creates this 年度's survey with the default questions and opens it to every CI operator;
the electricity demo operator (cip-elec-operator) submits its answers, the bank demo
operator (cip-bank-operator) keeps a draft. Returns the number of records created; a
second run (or a run without the sharing demo) creates nothing and returns 0.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from mamori.org.models import Person
from mamori.rules.deadlines import add_working_days, fiscal_year
from mamori.sharing import services_survey
from mamori.sharing.indicator_models import AnswerKind, Survey


def _person(username: str) -> Person | None:
    return Person.objects.filter(user__username=username, active=True).first()


def _answers(survey: Survey, choices: list[str], number: str, text: str) -> dict:
    answers, n = {}, 0
    for question in survey.questions.all():
        name = services_survey.field_name(question)
        if question.kind == AnswerKind.CHOICE:
            answers[name] = choices[n % len(choices)]
            n += 1
        elif question.kind == AnswerKind.NUMBER:
            answers[name] = number
        else:
            answers[name] = text
    return answers


def build_survey() -> int:
    nisc = _person("cip-nisc")
    today = timezone.localdate()
    year = fiscal_year(today)
    if nisc is None or Survey.objects.filter(fiscal_year=year).exists():
        return 0
    with transaction.atomic():
        survey = services_survey.create_survey(nisc, year=year)
        survey = services_survey.open_survey(
            nisc, survey, due=add_working_days(today, 20), sectors=[]
        )
        made = 1 + survey.questions.count()
        elec = _person("cip-elec-operator")
        if elec is not None:
            services_survey.save_answers(
                elec,
                survey,
                _answers(
                    survey, ["yes", "yes", "partly", "yes", "no"], "3", "早期警戒情報が役立った。"
                ),
                submit=True,
            )
            made += 1
        bank = _person("cip-bank-operator")
        if bank is not None:
            services_survey.save_answers(
                bank, survey, _answers(survey, ["yes", "partly", "na"], "", ""), submit=False
            )
            made += 1
    return made
