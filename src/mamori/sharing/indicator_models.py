"""The 浸透状況 survey of the action plan among CI operators (行動計画 Ⅴ.1.4.2(1)): NISC
defines a survey for a 年度 with questions, opens it to the operators (all or chosen
sectors) with a due date; each operator organisation answers once, and its answers are
also its own self-check (Ⅴ.1.4: 自己評価). The services are in services_survey.py.

- `Survey`: one per 年度; draft → open → closed (services_survey.TRANSITIONS).
- `SurveyQuestion`: text, optional help, the answer kind and the clause it serves.
- `SurveyResponse`: one per operator organisation; draft until submitted, with its score.
- `SurveyAnswer`: one per question of a response.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("作成中")
    OPEN = "open", _("回答受付中")
    CLOSED = "closed", _("締切済み")


class Survey(models.Model):
    fiscal_year = models.PositiveIntegerField(_("年度"), unique=True)
    title = models.CharField(_("件名"), max_length=200)
    status = models.CharField(
        _("状態"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    # the sectors whose operators are asked; empty: every CI operator
    sectors = models.JSONField(_("対象分野"), default=list, blank=True)
    due = models.DateField(_("回答期限"), null=True, blank=True)
    organization = models.ForeignKey(
        "org.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("実施主体")
    )
    created_by = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("作成者")
    )
    created = models.DateTimeField(_("作成日時"), default=timezone.now)
    opened_at = models.DateTimeField(_("開始日時"), null=True, blank=True)
    closed_at = models.DateTimeField(_("締切日時"), null=True, blank=True)
    last_reminded_on = models.DateField(_("最終督促日"), null=True, blank=True)

    class Meta:
        verbose_name = _("浸透状況調査")
        verbose_name_plural = _("浸透状況調査")
        ordering = ["-fiscal_year"]

    def __str__(self) -> str:
        return self.title

    def targets(self, sector: str) -> bool:
        return not self.sectors or sector in self.sectors


class AnswerKind(models.TextChoices):
    CHOICE = "choice", _("はい／一部／いいえ／該当なし")
    NUMBER = "number", _("数値")
    TEXT = "text", _("自由記述")


class Choice(models.TextChoices):
    YES = "yes", _("はい")
    PARTLY = "partly", _("一部")
    NO = "no", _("いいえ")
    NA = "na", _("該当なし")


# Points of a choice answer for the self-check score (該当なし is left out).
CHOICE_POINTS = {Choice.YES: 1.0, Choice.PARTLY: 0.5, Choice.NO: 0.0}


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("調査")
    )
    order = models.PositiveIntegerField(_("順序"), default=0)
    area = models.CharField(_("施策"), max_length=100, blank=True)
    text = models.CharField(_("設問"), max_length=500)
    help = models.TextField(_("補足"), blank=True)
    kind = models.CharField(
        _("回答の形式"), max_length=10, choices=AnswerKind.choices, default=AnswerKind.CHOICE
    )
    citation = models.CharField(_("根拠"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("調査の設問")
        verbose_name_plural = _("調査の設問")
        ordering = ["survey_id", "order", "id"]

    def __str__(self) -> str:
        return self.text


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    SUBMITTED = "submitted", _("提出済み")


class SurveyResponse(models.Model):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("調査")
    )
    organization = models.ForeignKey(
        "org.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("回答者")
    )
    sector = models.CharField(_("重要インフラ分野"), max_length=30, db_index=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    # 0–100 over the choice questions answered (該当なし left out); None: nothing to score
    score = models.FloatField(_("自己点検の得点"), null=True, blank=True)
    updated_by = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("更新者")
    )
    updated = models.DateTimeField(_("更新日時"), default=timezone.now)
    submitted_at = models.DateTimeField(_("提出日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("調査への回答")
        verbose_name_plural = _("調査への回答")
        ordering = ["survey_id", "sector", "organization_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "organization"], name="sharing_survey_response_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} — {self.organization}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="answers", verbose_name=_("回答")
    )
    question = models.ForeignKey(
        SurveyQuestion, on_delete=models.CASCADE, related_name="answers", verbose_name=_("設問")
    )
    choice = models.CharField(_("選択"), max_length=10, choices=Choice.choices, blank=True)
    number = models.DecimalField(_("数値"), max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.TextField(_("記述"), blank=True)

    class Meta:
        verbose_name = _("設問への回答")
        verbose_name_plural = _("設問への回答")
        ordering = ["response_id", "question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="sharing_survey_answer_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.response}: {self.question_id}"
