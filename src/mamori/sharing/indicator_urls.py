"""Indicator and survey URLs (行動計画 Ⅴ.1.4), included by mamori.sharing.urls (namespace
sharing)."""

from django.urls import path

from mamori.sharing import views_indicators, views_survey

urlpatterns = [
    path("indicators/", views_indicators.indicators_page, name="indicators"),
    path("indicators/export.xlsx", views_indicators.indicators_xlsx, name="indicators_xlsx"),
    path("surveys/", views_survey.survey_list, name="survey_list"),
    path("surveys/new/", views_survey.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", views_survey.survey_detail, name="survey_detail"),
    path(
        "surveys/<int:pk>/questions/", views_survey.survey_question_add, name="survey_question_add"
    ),
    path(
        "surveys/<int:pk>/questions/<int:qpk>/remove/",
        views_survey.survey_question_remove,
        name="survey_question_remove",
    ),
    path("surveys/<int:pk>/open/", views_survey.survey_open, name="survey_open"),
    path("surveys/<int:pk>/close/", views_survey.survey_close, name="survey_close"),
    path("surveys/<int:pk>/answer/", views_survey.survey_answer, name="survey_answer"),
    path("surveys/<int:pk>/self-check/", views_survey.survey_self_check, name="survey_self_check"),
    path("surveys/<int:pk>/rates/", views_survey.survey_rates, name="survey_rates"),
    path("surveys/<int:pk>/rates.xlsx", views_survey.survey_rates_xlsx, name="survey_rates_xlsx"),
]
