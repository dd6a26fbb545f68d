"""Menu items and the calendar provider of the indicators and the 浸透状況 survey
(行動計画 Ⅴ.1.4); imported from SharingConfig.ready()."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mamori.web.deadlines import Deadline
from mamori.web.deadlines import register as register_deadlines
from mamori.web.nav import NavItem, register

register(
    NavItem(
        "sharing_indicators",
        _("共有の指標"),
        "sharing:indicators",
        ("cip_nisc", "cip_liaison"),
        75,
        group="sharing",
    )
)
register(
    NavItem(
        "sharing_surveys",
        _("浸透状況調査"),
        "sharing:survey_list",
        ("cip_nisc", "cip_liaison", "cip_operator"),
        76,
        group="sharing",
    )
)


def survey_deadlines(person, start, end):
    """The answer due date of each open survey, for the operators whose organisation
    has not submitted yet (two queries)."""
    from mamori.sharing import services_survey
    from mamori.sharing.indicator_models import ResponseStatus, Survey, SurveyStatus

    party = services_survey.operator_party(person)
    if party is None:
        return
    surveys = [
        s
        for s in Survey.objects.filter(status=SurveyStatus.OPEN, due__range=(start, end))
        if s.targets(party.sector)
    ]
    done = set(
        Survey.objects.filter(
            pk__in=[s.pk for s in surveys],
            responses__organization_id=party.organization_id,
            responses__status=ResponseStatus.SUBMITTED,
        ).values_list("pk", flat=True)
    )
    for survey in surveys:
        if survey.pk in done:
            continue
        yield Deadline(
            uid=f"sharing.survey.{survey.pk}.org.{party.organization_id}.answer",
            due=survey.due,
            title=str(_("浸透状況調査の回答期限: %(title)s") % {"title": survey.title}),
            url=reverse("sharing:survey_answer", args=[survey.pk]),
            module="sharing_survey",
            citation=services_survey.CITATION,
        )


register_deadlines("sharing_survey", survey_deadlines, label=_("浸透状況調査"))
