"""Pages of the 浸透状況 survey (行動計画 Ⅴ.1.4.2(1)): the list, NISC's survey page
(questions, open, close), the operator's answer form and self-check, the rates per
sector with chart and Excel. Every change goes through mamori.sharing.services_survey."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mamori.errors import Forbidden, MamoriError, NotFound
from mamori.rules.deadlines import fiscal_year
from mamori.sharing import indicators, structure
from mamori.sharing import services_survey as survey_services
from mamori.sharing.forms_survey import (
    AnswerForm,
    OpenForm,
    QuestionForm,
    SurveyCreateForm,
    initial_answers,
)
from mamori.sharing.indicator_models import Choice, Survey, SurveyQuestion, SurveyStatus
from mamori.sharing.views import hub_person, page
from mamori.web.access import person_required, report
from mamori.web.pdf import content_disposition

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _survey(request, pk: int) -> Survey:
    hub_person(request)
    return get_object_or_404(survey_services.surveys_visible_to(request.person), pk=pk)


def _require_nisc(request) -> None:
    hub_person(request)
    if not survey_services.is_nisc_officer(request.person):
        raise PermissionDenied(_("浸透状況調査を管理できるのは内閣官房です。"))


@person_required
def survey_list(request):
    hub_person(request)
    person = request.person
    nisc = survey_services.is_nisc_officer(person)
    party = survey_services.operator_party(person)
    liaison = bool(survey_services.liaison_sectors(person))
    if not (nisc or party or liaison):
        raise PermissionDenied(
            _("浸透状況調査は内閣官房、リエゾン及び重要インフラ事業者等のものです。")
        )
    surveys = list(survey_services.surveys_visible_to(person))
    mine = {}
    if party is not None:
        from mamori.sharing.indicator_models import SurveyResponse

        mine = {
            r.survey_id: r
            for r in SurveyResponse.objects.filter(
                organization_id=party.organization_id, survey__in=surveys
            )
        }
    rows = [{"survey": s, "mine": mine.get(s.pk)} for s in surveys]
    form = None
    if nisc:
        form = SurveyCreateForm(initial={"year": fiscal_year(timezone.localdate())})
    return page(
        request,
        "sharing/survey_list.html",
        {
            "rows": rows,
            "form": form,
            "is_operator": party is not None,
            "can_read_rates": nisc or liaison,
            "citation": survey_services.CITATION,
        },
    )


@person_required
@require_POST
def survey_create(request):
    _require_nisc(request)
    form = SurveyCreateForm(request.POST)
    if form.is_valid():
        try:
            survey = survey_services.create_survey(
                request.person, year=form.cleaned_data["year"], title=form.cleaned_data["title"]
            )
        except MamoriError as error:
            report(request, error, form)
        else:
            messages.success(request, _("調査を作成しました。"))
            return redirect("sharing:survey_detail", survey.pk)
    return page(
        request,
        "sharing/survey_list.html",
        {
            "rows": [{"survey": s} for s in Survey.objects.all()],
            "form": form,
            "can_read_rates": True,
            "citation": survey_services.CITATION,
        },
    )


def _detail(request, survey, question_form=None, open_form=None):
    return page(
        request,
        "sharing/survey_detail.html",
        {
            "survey": survey,
            "questions": list(survey.questions.all()),
            "sector_labels": [structure.sector_label(code) for code in survey.sectors],
            "question_form": question_form or QuestionForm(),
            "open_form": open_form or OpenForm(),
            "citation": survey_services.CITATION,
        },
    )


@person_required
def survey_detail(request, pk: int):
    _require_nisc(request)
    return _detail(request, _survey(request, pk))


@person_required
@require_POST
def survey_question_add(request, pk: int):
    _require_nisc(request)
    survey = _survey(request, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            survey_services.add_question(request.person, survey, **form.cleaned_data)
        except MamoriError as error:
            report(request, error, form)
        else:
            messages.success(request, _("設問を追加しました。"))
            return redirect("sharing:survey_detail", survey.pk)
    return _detail(request, survey, question_form=form)


@person_required
@require_POST
def survey_question_remove(request, pk: int, qpk: int):
    _require_nisc(request)
    survey = _survey(request, pk)
    question = get_object_or_404(SurveyQuestion, survey=survey, pk=qpk)
    try:
        survey_services.remove_question(request.person, question)
    except MamoriError as error:
        report(request, error)
    else:
        messages.success(request, _("設問を削除しました。"))
    return redirect("sharing:survey_detail", survey.pk)


@person_required
@require_POST
def survey_open(request, pk: int):
    _require_nisc(request)
    survey = _survey(request, pk)
    form = OpenForm(request.POST)
    if form.is_valid():
        try:
            survey_services.open_survey(
                request.person,
                survey,
                due=form.cleaned_data["due"],
                sectors=form.cleaned_data["sectors"],
            )
        except MamoriError as error:
            report(request, error, form)
        else:
            messages.success(request, _("調査を開始し、重要インフラ事業者等に通知しました。"))
            return redirect("sharing:survey_detail", survey.pk)
    return _detail(request, survey, open_form=form)


@person_required
@require_POST
def survey_close(request, pk: int):
    _require_nisc(request)
    survey = _survey(request, pk)
    try:
        survey_services.close_survey(request.person, survey)
    except MamoriError as error:
        report(request, error)
    else:
        messages.success(request, _("調査を締め切りました。"))
    return redirect("sharing:survey_detail", survey.pk)


def _operator(request):
    hub_person(request)
    party = survey_services.operator_party(request.person)
    if party is None:
        raise PermissionDenied(_("調査に回答できるのは重要インフラ事業者等の担当者です。"))
    return party


def _editable(survey: Survey) -> bool:
    return survey.status == SurveyStatus.OPEN and (
        survey.due is None or timezone.localdate() <= survey.due
    )


@person_required
def survey_answer(request, pk: int):
    _operator(request)
    survey = _survey(request, pk)
    questions = list(survey.questions.all())
    check = survey_services.self_check(request.person, survey)
    if request.method == "POST":
        form = AnswerForm(questions, request.POST)
        form.is_valid()
        submit = "submit" in request.POST
        try:
            survey_services.save_answers(request.person, survey, request.POST, submit=submit)
        except NotFound as error:
            raise Http404(str(error.message)) from error
        except MamoriError as error:
            for name, message in error.details.items():
                if name in form.fields:
                    form.add_error(name, message)
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request, _("回答を提出しました。") if submit else _("下書きを保存しました。")
            )
            return redirect("sharing:survey_self_check", survey.pk)
    else:
        form = AnswerForm(questions, initial=initial_answers(questions, check.answers))
    return page(
        request,
        "sharing/survey_answer.html",
        {
            "survey": survey,
            "form": form,
            "check": check,
            "editable": _editable(survey),
            "citation": survey_services.CITATION,
        },
    )


@require_GET
@person_required
def survey_self_check(request, pk: int):
    _operator(request)
    survey = _survey(request, pk)
    check = survey_services.self_check(request.person, survey)
    labels = dict(Choice.choices)
    lines = []
    for question in survey.questions.all():
        answer = check.answers.get(question.pk)
        shown = ""
        if answer is not None:
            if answer.choice:
                shown = labels.get(answer.choice, answer.choice)
            elif answer.number is not None:
                shown = answer.number
            else:
                shown = answer.text
        lines.append({"question": question, "answer": shown})
    return page(
        request,
        "sharing/survey_self_check.html",
        {
            "survey": survey,
            "check": check,
            "lines": lines,
            "editable": _editable(survey),
            "citation": survey_services.SELF_CHECK_CITATION,
        },
    )


def _rates(request, pk: int):
    survey = _survey(request, pk)
    try:
        return survey_services.rates(request.person, survey)
    except Forbidden as error:
        raise PermissionDenied(str(error.message)) from error


def _distribution_rows(result, line):
    """Per question: the counts of each choice in `line` (a sector or the total), or the
    mean of a number question."""
    rows = []
    for question in result.questions:
        counts = line.distribution.get(question.pk, {})
        s, n = line.numbers.get(question.pk, (0.0, 0))
        rows.append(
            {
                "question": question,
                "counts": [counts.get(c, 0) for c in Choice.values],
                "mean": round(s / n, 2) if n else None,
                "n": n,
            }
        )
    return rows


@require_GET
@person_required
def survey_rates(request, pk: int):
    result = _rates(request, pk)
    labels = [row.label for row in result.rows]
    chosen = next((r for r in result.rows if r.code == request.GET.get("sector")), None)
    chart = {
        "type": "bar",
        "data": {
            "labels": labels,
            "datasets": [
                {"label": _("回答率（％）"), "data": [r.response_rate for r in result.rows]},
                {"label": _("平均得点"), "data": [r.average for r in result.rows]},
            ],
        },
        "options": {"indexAxis": "y", "percent": True},
    }
    return page(
        request,
        "sharing/survey_rates.html",
        {
            "result": result,
            "survey": result.survey,
            "chart": chart,
            "choices": Choice.choices,
            "distribution": _distribution_rows(result, chosen or result.total),
            "chosen": chosen,
            "citation": survey_services.CITATION,
        },
    )


@require_GET
@person_required
def survey_rates_xlsx(request, pk: int):
    from openpyxl import Workbook

    result = _rates(request, pk)
    workbook = Workbook()
    workbook.remove(workbook.active)
    indicators.write_sheet(
        workbook,
        _("分野別"),
        [_("分野"), _("対象事業者数"), _("提出"), _("下書き"), _("回答率（％）"), _("平均得点")],
        [
            (r.label, r.operators, r.submitted, r.drafts, r.response_rate, r.average)
            for r in [*result.rows, result.total]
        ],
    )
    choice_labels = [str(label) for _v, label in Choice.choices]
    indicators.write_sheet(
        workbook,
        _("設問別"),
        [_("分野"), _("設問"), _("根拠"), *choice_labels, _("平均値"), _("回答数")],
        [
            (
                row.label,
                question.text,
                question.citation,
                *[row.distribution.get(question.pk, {}).get(c, 0) for c in Choice.values],
                round(row.numbers[question.pk][0] / row.numbers[question.pk][1], 2)
                if question.pk in row.numbers
                else None,
                row.numbers.get(question.pk, (0, 0))[1]
                + sum(row.distribution.get(question.pk, {}).values()),
            )
            for row in [*result.rows, result.total]
            for question in result.questions
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition(
        _("浸透状況調査_%(year)s年度.xlsx") % {"year": result.survey.fiscal_year}
    )
    return response
