"""A review request goes to the asset's own 決定者, and approving it changes the asset."""

import pytest
from django.urls import reverse

from mamori.approvals import services as approvals
from mamori.approvals.workflow import Action, State
from mamori.assets import reclassification, services
from mamori.errors import InvalidInput
from mamori.trail.models import Event


@pytest.fixture
def asset(staff, person_with):
    decider = person_with(unit="d1", username="decider-person")
    return services.create(
        staff,
        title="会議資料",
        unit=staff.unit,
        decider=decider,
        confidentiality=3,
        medium="electronic",
        restrictions=[],
        types=[],
        marking_method="header",
    )


def test_review_goes_to_the_assets_decider_and_applies_on_approval(asset, other_staff, staff):
    filed = reclassification.request_review(
        staff, asset, reason="公表資料の抜粋のため", confidentiality=2
    )
    assert filed.state == State.SUBMITTED
    assert filed.approver == asset.decider and filed.approver_role == "decider"
    approvals.decide(filed, asset.decider, Action.APPROVE)
    asset.refresh_from_db()
    assert asset.confidentiality == 2
    assert Event.objects.filter(action="approvals.request.approved").exists()


def test_rejecting_leaves_the_asset_as_it_was(asset, staff):
    filed = reclassification.request_review(staff, asset, reason="x", confidentiality=1)
    approvals.decide(filed, asset.decider, Action.REJECT, "機密性3のままとする")
    asset.refresh_from_db()
    assert asset.confidentiality == 3


def test_an_unchanged_proposal_or_missing_reason_is_refused(asset, staff):
    with pytest.raises(InvalidInput):
        reclassification.request_review(staff, asset, reason="x", confidentiality=3)
    with pytest.raises(InvalidInput):
        reclassification.request_review(staff, asset, reason=" ", confidentiality=2)


def test_review_page_files_the_request(client, login, asset, staff):
    login(staff)
    url = reverse("assets:review", args=[asset.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"confidentiality": "2", "reason": "抜粋のみ"})
    assert response.status_code == 302
    assert "/approvals/" in response["Location"]


def test_outsider_cannot_open_the_review_page(client, login, asset, outsider):
    login(outsider)
    assert client.get(reverse("assets:review", args=[asset.pk])).status_code == 404
