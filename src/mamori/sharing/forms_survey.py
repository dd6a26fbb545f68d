"""Forms of the indicators page and the 浸透状況 survey; the rules live in services_survey."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mamori.sharing import structure
from mamori.sharing.indicator_models import AnswerKind, Choice
from mamori.sharing.services_survey import field_name


class SurveyCreateForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("件名（空欄なら既定の件名）"), max_length=200, required=False)


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("設問"), max_length=500)
    help = forms.CharField(
        label=_("補足"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(label=_("回答の形式"), choices=AnswerKind.choices)
    citation = forms.CharField(label=_("根拠"), max_length=120, required=False)


class OpenForm(forms.Form):
    due = forms.DateField(label=_("回答期限"), widget=forms.DateInput(attrs={"type": "date"}))
    sectors = forms.MultipleChoiceField(
        label=_("対象分野（選ばなければ全分野の重要インフラ事業者等）"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].choices = structure.sector_choices()


class AnswerForm(forms.Form):
    """One field per question, named q<id>; blanks are allowed here (the service decides
    what submitting needs)."""

    def __init__(self, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            name = field_name(question)
            label = question.text
            help_text = " ".join(part for part in (question.help, question.citation) if part)
            if question.kind == AnswerKind.CHOICE:
                self.fields[name] = forms.ChoiceField(
                    label=label,
                    choices=Choice.choices,
                    required=False,
                    widget=forms.RadioSelect,
                    help_text=help_text,
                )
            elif question.kind == AnswerKind.NUMBER:
                self.fields[name] = forms.CharField(
                    label=label,
                    required=False,
                    help_text=help_text,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                )
            else:
                self.fields[name] = forms.CharField(
                    label=label,
                    required=False,
                    help_text=help_text,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )


def initial_answers(questions, answers: dict) -> dict:
    initial = {}
    for question in questions:
        answer = answers.get(question.pk)
        if answer is None:
            continue
        if question.kind == AnswerKind.CHOICE:
            initial[field_name(question)] = answer.choice
        elif question.kind == AnswerKind.NUMBER:
            initial[field_name(question)] = "" if answer.number is None else str(answer.number)
        else:
            initial[field_name(question)] = answer.text
    return initial
