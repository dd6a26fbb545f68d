"""The 「取扱いの確認」 page: ask, see the decision with its clauses and measures, file
the permission request, confirm the measures. Works without JavaScript; with htmx the
answer alone comes back."""

import pytest
from django.urls import reverse

from mamori.approvals.models import Request
from mamori.assets.handling_forms import ACTION_LABELS, context_fields
from mamori.assets.models import InformationAsset
from mamori.rules.handling_rules.base import ACTIONS
from mamori.trail.models import Event

CHECK = reverse("assets:check")
C3_OUTSIDE = {"confidentiality": "3", "medium": "electronic", "action": "process_outside_area"}


@pytest.fixture
def signed_in(client, staff, login):
    login(staff)
    return client


def actions(prefix):
    return list(Event.objects.filter(action__startswith=prefix).values_list("action", flat=True))


def test_every_engine_action_has_a_plain_label():
    assert set(ACTION_LABELS) == set(ACTIONS)


def test_only_the_questions_an_action_needs_are_asked():
    assert context_fields("send") == ["location", "terminal", "channel", "recipient", "media"]
    assert context_fields("publish") == []
    assert context_fields("dispose") == ["outsourced"]
    assert "terminal" not in context_fields("use_issued_terminal_outside")


def test_the_page_is_for_all_staff(signed_in):
    response = signed_in.get(CHECK)
    assert response.status_code == 200
    assert "取扱いの確認" in response.content.decode()


def test_the_questions_follow_the_chosen_action(signed_in):
    page = signed_in.get(CHECK, {"action": "send"}).content.decode()
    assert 'name="channel"' in page and 'name="recipient"' in page
    page = signed_in.get(CHECK, {"action": "publish"}).content.decode()
    assert 'name="channel"' not in page and 'name="recipient"' not in page


def test_an_asset_can_be_preselected(signed_in, org, units, staff):
    asset = InformationAsset.objects.create(
        organization=org,
        unit=units["d1"],
        title="予算要求資料",
        confidentiality=2,
        created_by=staff,
    )
    page = signed_in.get(CHECK, {"asset": asset.pk}).content.decode()
    assert f'<option value="{asset.pk}" selected>' in page


def test_needs_permission_shows_the_clause_and_the_request_button(signed_in):
    response = signed_in.post(CHECK, C3_OUTSIDE)
    page = response.content.decode()
    assert response.status_code == 200
    assert "許可が必要" in page
    assert "統一基準(R7) 3.1.1(4)(b)" in page
    assert "課室情報セキュリティ責任者" in page
    assert 'id="file-request"' in page
    assert actions("assets.handling.") == ["assets.handling.checked"]
    assert not Request.objects.exists()


def test_filing_routes_to_the_section_officer(signed_in, section_officer):
    response = signed_in.post(
        reverse("assets:check_request"), {**C3_OUTSIDE, "reason_text": "出張先での作業のため"}
    )
    (filed,) = Request.objects.all()
    assert response.status_code == 302
    assert response.url == reverse("approvals:detail", args=[filed.pk])
    assert filed.state == "submitted" and filed.approver == section_officer
    assert filed.kind == "assets.handling"
    assert "approvals.request.submitted" in actions("approvals.")
    assert "assets.handling.requested" in actions("assets.handling.")


def test_filing_without_a_reason_asks_for_one(signed_in, section_officer):
    response = signed_in.post(reverse("assets:check_request"), C3_OUTSIDE)
    page = response.content.decode()
    assert response.status_code == 200
    assert "このフィールドは必須です" in page and 'id="file-request"' in page
    assert not Request.objects.exists()


def test_deny_explains_and_files_nothing(signed_in, section_officer):
    body = {"confidentiality": "2", "medium": "electronic", "action": "publish"}
    page = signed_in.post(CHECK, body).content.decode()
    assert "不可" in page and "統一基準(R7) 3.1.1(5)(a)" in page
    assert 'id="file-request"' not in page
    response = signed_in.post(reverse("assets:check_request"), {**body, "reason_text": "広報"})
    assert response.status_code == 200
    assert "許可申請は要りません" in response.content.decode()
    assert not Request.objects.exists()
    assert actions("assets.handling.") == ["assets.handling.checked"]


def test_allow_with_measures_needs_every_measure_ticked(signed_in):
    body = {"confidentiality": "2", "medium": "electronic", "action": "carry_outside"}
    page = signed_in.post(CHECK, body).content.decode()
    assert "対策を講じれば可能" in page
    assert 'name="measures" value="safety_measures"' in page
    confirm = reverse("assets:check_confirm")
    response = signed_in.post(confirm, {**body, "measures": ["safety_measures"]})
    assert "すべての対策を確認してください" in response.content.decode()
    assert "assets.handling.confirmed" not in actions("assets.handling.")
    response = signed_in.post(
        confirm, {**body, "measures": ["safety_measures", "follow_procedure"]}
    )
    assert "すべての対策を講じることを確認しました" in response.content.decode()
    assert actions("assets.handling.").count("assets.handling.confirmed") == 1


def test_a_missing_answer_is_a_field_error_not_a_decision(signed_in):
    page = signed_in.post(CHECK, {"confidentiality": "2", "action": "send"}).content.decode()
    assert 'id="verdict"' not in page
    assert "has-error" in page
    assert not actions("assets.handling.")


def test_manual_entry_needs_a_confidentiality(signed_in):
    page = signed_in.post(CHECK, {"action": "print"}).content.decode()
    assert "機密性の格付を選んでください" in page


def test_htmx_gets_only_the_answer(signed_in):
    response = signed_in.post(CHECK, C3_OUTSIDE, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="check-result"')
    assert "許可が必要" in page and "<html" not in page


def test_htmx_with_errors_swaps_the_whole_form(signed_in):
    response = signed_in.post(CHECK, {"action": "print"}, HTTP_HX_REQUEST="true")
    assert response["HX-Retarget"] == "#check-area"
    assert "機密性の格付を選んでください" in response.content.decode()


def test_english(signed_in):
    signed_in.cookies["django_language"] = "en"
    page = signed_in.post(CHECK, C3_OUTSIDE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "you need permission from" in page  # the engine's reason, in English
    assert "Needs permission" in page and "Request permission" in page


def test_someone_elses_asset_cannot_be_chosen(signed_in, org, units, outsider):
    asset = InformationAsset.objects.create(
        organization=org,
        unit=units["d3"],
        title="他課の資料",
        confidentiality=3,
        created_by=outsider,
    )
    page = signed_in.post(CHECK, {"asset": asset.pk, "action": "print"}).content.decode()
    assert 'id="verdict"' not in page
    assert not actions("assets.handling.")


def test_without_javascript_the_questions_come_with_a_refresh(signed_in):
    response = signed_in.post(CHECK, {"confidentiality": "2", "action": "send", "refresh": "1"})
    page = response.content.decode()
    assert 'name="channel"' in page and 'id="verdict"' not in page
    assert not actions("assets.handling.")
