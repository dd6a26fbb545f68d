"""Publishing an asset scans the files being published (統一基準(R7) 3.1.1(5)(a),
総務省訓令 第12条の2): the page, the API and the service refuse the same things."""

import pytest
from django.urls import reverse
from tests.assets.test_assets_api import bearer
from tests.assets.test_scan_api import (
    CLEAN_TEXT,
    MY_NUMBER,
    clean_txt,
    make_docx,
    marked_docx,
    my_number_txt,
)

from mamori.assets import publication, services
from mamori.assets.models import AssetState
from mamori.assets.scan_services import Upload
from mamori.errors import InvalidInput
from mamori.trail.models import Event


def plain_asset(person, **fields):
    fields.setdefault("title", "会議のお知らせ")
    fields.setdefault("confidentiality", 1)
    return services.create(person, **fields)


def personal_file() -> Upload:
    return Upload("名簿.docx", make_docx(body=f"職員名簿\n個人番号 {MY_NUMBER}\n"))


def test_personal_information_stops_publication_and_nothing_changes(staff):
    a = plain_asset(staff)
    with pytest.raises(InvalidInput) as refused:
        publication.mark_published(a, staff, [personal_file()])
    error = refused.value
    assert error.code == "publish_refused"
    assert "個人情報" in str(error.message)
    assert "総務省訓令 第12条の2" in error.details["citations"]
    assert error.details["summary"]["my_number"] == 1
    assert MY_NUMBER not in str(error.message) + str(error.details)
    a.refresh_from_db()
    assert (a.state, a.state_changed_on) == (AssetState.IN_USE, None)
    assert not Event.objects.filter(action="assets.asset.published").exists()
    # The attempt is on the record, without the number.
    attempt = Event.objects.get(action="assets.asset.publish_refused")
    assert attempt.data["scan"]["summary"]["my_number"] == 1
    assert MY_NUMBER not in str(attempt.data)


def test_a_marking_stops_publication_with_its_clause(staff):
    a = plain_asset(staff)
    marked = Upload("資料.docx", make_docx(header="機密性２"))
    with pytest.raises(InvalidInput) as refused:
        publication.mark_published(a, staff, [marked])
    assert refused.value.details["citation"] == "統一基準(R7) 3.1.1(5)(a)"
    a.refresh_from_db()
    assert a.state == AssetState.IN_USE


def test_a_clean_file_is_published_and_the_trail_keeps_the_scan(staff):
    a = plain_asset(staff)
    published = publication.mark_published(a, staff, [Upload("お知らせ.txt", CLEAN_TEXT)])
    assert published.state == AssetState.PUBLISHED
    event = Event.objects.get(action="assets.asset.published")
    scan = event.data["scan"]
    assert scan["files"][0]["name"] == "お知らせ.txt"
    assert scan["files"][0]["size"] == len(CLEAN_TEXT)
    assert len(scan["files"][0]["sha256"]) == 64
    assert scan["summary"] == {} and scan["blocked"] is False


def test_an_electronic_asset_needs_the_file(staff):
    a = plain_asset(staff)
    with pytest.raises(InvalidInput) as refused:
        publication.mark_published(a, staff, [])
    assert refused.value.code == "publish_file_required"
    a.refresh_from_db()
    assert a.state == AssetState.IN_USE


def test_a_paper_asset_may_be_published_without_a_file(staff):
    a = plain_asset(staff, medium="paper")
    assert publication.mark_published(a, staff).state == AssetState.PUBLISHED


def test_the_asset_checks_come_first_and_still_hold(staff):
    """機密性２ is refused whatever the file says; so is a restriction forbidding it."""
    with pytest.raises(InvalidInput) as refused:
        publication.mark_published(plain_asset(staff, confidentiality=2), staff, [])
    assert refused.value.details["citation"] == "統一基準(R7) 3.1.1(5)(a)"
    restricted = plain_asset(staff, restrictions=[{"code": "distribution_prohibited"}])
    with pytest.raises(InvalidInput) as refused:
        publication.mark_published(restricted, staff, [Upload("a.txt", CLEAN_TEXT)])
    assert "統一基準(R7) 3.1.1(4)(a)" in refused.value.details["citations"]


def test_the_old_name_in_services_still_publishes(staff):
    a = services.mark_published(plain_asset(staff), staff, [Upload("a.txt", CLEAN_TEXT)])
    assert a.state == AssetState.PUBLISHED


# --- the page --------------------------------------------------------------------------


def test_the_detail_page_asks_for_the_file(client, login, staff):
    a = plain_asset(staff)
    login(staff)
    page = client.get(reverse("assets:detail", args=[a.pk])).content.decode()
    assert 'id="publish-form"' in page and 'enctype="multipart/form-data"' in page
    assert 'name="files"' in page


def test_the_page_shows_why_publication_was_refused(client, login, staff):
    a = plain_asset(staff)
    login(staff)
    response = client.post(
        reverse("assets:state", args=[a.pk]), {"action": "publish", "files": [my_number_txt()]}
    )
    page = response.content.decode()
    assert "公表できません" in page and "総務省訓令 第12条の2" in page
    assert "個人番号（マイナンバー）" in page
    assert MY_NUMBER not in page
    a.refresh_from_db()
    assert a.state == AssetState.IN_USE


def test_the_page_publishes_with_a_clean_file(client, login, staff):
    a = plain_asset(staff)
    login(staff)
    response = client.post(
        reverse("assets:state", args=[a.pk]),
        {"action": "publish", "files": [clean_txt()]},
        follow=True,
    )
    assert "公表済にしました" in response.content.decode()
    a.refresh_from_db()
    assert a.state == AssetState.PUBLISHED


def test_the_page_without_a_file_says_it_is_needed(client, login, staff):
    a = plain_asset(staff)
    login(staff)
    response = client.post(reverse("assets:state", args=[a.pk]), {"action": "publish"}, follow=True)
    assert "公表するファイルを添えてください" in response.content.decode()
    a.refresh_from_db()
    assert a.state == AssetState.IN_USE


def test_someone_who_may_not_edit_cannot_publish(client, login, staff, other_staff):
    a = plain_asset(staff)
    login(other_staff)
    client.post(reverse("assets:state", args=[a.pk]), {"action": "publish", "files": [clean_txt()]})
    a.refresh_from_db()
    assert a.state == AssetState.IN_USE


# --- the API ---------------------------------------------------------------------------


def test_the_api_refuses_a_marked_file_with_reasons(client, staff):
    a = plain_asset(staff)
    response = client.post(
        f"/api/assets/{a.pk}/publish", {"files": [marked_docx()]}, **bearer(staff)
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "publish_refused"
    assert body["details"]["reasons"][0]["code"] == "classification_marking"
    assert body["details"]["citation"] == "統一基準(R7) 3.1.1(5)(a)"
    a.refresh_from_db()
    assert a.state == AssetState.IN_USE


def test_the_api_publishes_with_a_clean_file(client, staff):
    a = plain_asset(staff)
    response = client.post(f"/api/assets/{a.pk}/publish", {"files": [clean_txt()]}, **bearer(staff))
    assert response.status_code == 200
    assert response.json()["state"] == "published"
    assert Event.objects.get(action="assets.asset.published").data["scan"]["blocked"] is False


def test_the_api_without_a_file_is_refused(client, staff):
    a = plain_asset(staff)
    response = client.post(f"/api/assets/{a.pk}/publish", **bearer(staff))
    assert response.status_code == 400
    assert response.json()["code"] == "publish_file_required"
