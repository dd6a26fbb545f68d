from datetime import date, timedelta

import pytest

from mamori.assets import services
from mamori.assets.models import AssetState, InformationAsset
from mamori.assets.scan_services import Upload
from mamori.errors import Forbidden, InvalidInput, InvalidTransition
from mamori.trail.models import Event

PUBLISHED_FILE = Upload("お知らせ.txt", "来週の会議は予定どおり開催します。".encode())


def asset(person, **fields):
    fields.setdefault("title", "人事評価記録")
    fields.setdefault("confidentiality", 2)
    return services.create(person, **fields)


# --- who may edit --------------------------------------------------------------------


def test_creator_is_decider_and_may_edit(staff):
    a = asset(staff)
    assert a.decider == staff and services.can_edit(staff, a)


def test_colleague_without_role_may_not_edit(staff, person_with):
    colleague = person_with(unit="d1")
    assert not services.can_edit(colleague, asset(staff))


def test_section_officer_of_the_unit_may_edit(staff, section_officer):
    assert services.can_edit(section_officer, asset(staff))


def test_section_officer_of_another_unit_may_not(other_staff, section_officer):
    assert not services.can_edit(section_officer, asset(other_staff))


def test_bureau_isec_officer_may_edit_below(other_staff, isec_officer):
    assert services.can_edit(isec_officer, asset(other_staff))


def test_org_wide_ciso_may_edit_anywhere(outsider, ciso):
    assert services.can_edit(ciso, asset(outsider))


def test_auditor_may_not_edit(staff, auditor):
    assert not services.can_edit(auditor, asset(staff))


def test_creator_loses_edit_when_someone_else_decides(staff, person_with):
    boss = person_with(unit="d1")
    a = asset(staff, decider=boss)
    assert not services.can_edit(staff, a) and services.can_edit(boss, a)


def test_update_by_someone_without_right_is_forbidden(staff, other_staff):
    with pytest.raises(Forbidden):
        services.update(asset(staff), other_staff, title="x")


def test_staff_cannot_register_in_another_unit(staff, units):
    with pytest.raises(InvalidInput) as error:
        asset(staff, unit=units["d2"])
    assert "unit" in error.value.details


def test_officer_registers_in_a_unit_of_their_scope(isec_officer, units):
    assert asset(isec_officer, unit=units["d2"]).unit == units["d2"]


# --- validation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"confidentiality": 4}, "confidentiality"),
        ({"confidentiality": 0}, "confidentiality"),
        ({"integrity": 3}, "integrity"),
        ({"availability": "x"}, "availability"),
        ({"restrictions": [{"code": "shout_prohibited"}]}, "restrictions"),
        ({"restrictions": [{"code": "viewers_limited"}]}, "restrictions"),
        ({"title": "  "}, "title"),
        ({"types": ["secret_recipe"]}, "types"),
    ],
)
def test_bad_fields_are_named(staff, fields, field):
    with pytest.raises(InvalidInput) as error:
        asset(staff, **fields)
    assert field in error.value.details
    assert not InformationAsset.objects.exists()


def test_paper_rejects_integrity_and_availability(staff):
    with pytest.raises(InvalidInput) as error:
        asset(staff, medium="paper", integrity=2, availability=1)
    assert set(error.value.details) >= {"integrity", "availability"}
    assert "書面には完全性・可用性の格付はありません" in error.value.details["integrity"]


def test_restrictions_are_kept_in_vocabulary_order_with_details(staff):
    a = asset(
        staff,
        restrictions=[{"code": "copy_prohibited"}, {"code": "viewers_limited", "detail": "人事課"}],
    )
    assert a.restrictions == [
        {"code": "viewers_limited", "detail": "人事課"},
        {"code": "copy_prohibited"},
    ]
    assert a.marking == "機密性２情報・人事課限り・複製禁止"


def test_sources_must_be_visible(staff, outsider):
    hidden = asset(outsider)
    with pytest.raises(InvalidInput) as error:
        asset(staff, sources=[hidden.pk])
    assert "sources" in error.value.details


def test_an_asset_cannot_derive_from_what_was_made_from_it(staff):
    base = asset(staff)
    child = asset(staff, sources=[base])
    with pytest.raises(InvalidInput):
        services.update(base, staff, sources=[child.pk])


# --- inheritance (統一基準(R7) 3.1.1(3)(b)) ---------------------------------------------


def test_save_inherits_highest_confidentiality_and_all_restrictions(staff):
    s1 = asset(staff, confidentiality=3, restrictions=[{"code": "copy_prohibited"}])
    s2 = asset(staff, confidentiality=2, restrictions=[{"code": "takeout_prohibited"}])
    made = asset(staff, title="集計表", confidentiality=1, sources=[s1.pk, s2.pk])
    made.refresh_from_db()
    assert made.confidentiality == 3
    assert [r["code"] for r in made.restrictions] == ["copy_prohibited", "takeout_prohibited"]
    assert made.inherited["citation"] == "統一基準(R7) 3.1.1(3)(b)"
    assert made.inherited["confidentiality_from"] == 1
    event = Event.objects.get(action="assets.asset.created", object_id=str(made.pk))
    assert event.data["inherited"]["confidentiality"] == 3


def test_edit_adding_a_source_raises_the_level(staff):
    secret = asset(staff, confidentiality=3)
    plain = asset(staff, confidentiality=1)
    updated = services.update(plain, staff, sources=[secret.pk])
    assert updated.confidentiality == 3 and updated.inherited
    assert (
        "confidentiality"
        in Event.objects.filter(action="assets.asset.updated").get().data["changes"]
    )


def test_nothing_to_inherit_says_nothing(staff):
    low = asset(staff, confidentiality=1)
    assert asset(staff, confidentiality=2, sources=[low.pk]).inherited is None


# --- the trail ---------------------------------------------------------------------------


def test_every_change_names_the_changed_fields(staff):
    a = asset(staff)
    services.update(a, staff, title="新しい名称", place="書庫A")
    event = Event.objects.get(action="assets.asset.updated")
    assert event.data["changes"]["title"] == ["人事評価記録", "新しい名称"]
    assert set(event.data["changes"]) == {"title", "place"}


def test_an_unchanged_save_writes_no_event(staff):
    a = asset(staff)
    services.update(a, staff, title=a.title)
    assert not Event.objects.filter(action="assets.asset.updated").exists()


# --- state changes -----------------------------------------------------------------------


def test_publish_refused_for_confidentiality_2_with_the_clause(staff):
    a = asset(staff, confidentiality=2)
    with pytest.raises(InvalidInput) as error:
        services.mark_published(a, staff)
    assert "3.1.1(5)(a)" in str(error.value.message)
    assert error.value.details["citation"] == "統一基準(R7) 3.1.1(5)(a)"
    a.refresh_from_db()
    assert a.state == AssetState.IN_USE


def test_publish_refused_when_a_restriction_forbids_it(staff):
    a = asset(staff, confidentiality=1, restrictions=[{"code": "distribution_prohibited"}])
    with pytest.raises(InvalidInput) as error:
        services.mark_published(a, staff)
    assert "統一基準(R7) 3.1.1(4)(a)" in error.value.details["citations"]


def test_publish_confidentiality_1(staff):
    # Publishing takes the file being published, which is scanned (assets.publication).
    a = services.mark_published(asset(staff, confidentiality=1), staff, [PUBLISHED_FILE])
    assert a.state == AssetState.PUBLISHED
    assert Event.objects.filter(action="assets.asset.published").exists()


def test_provide_records_the_recipient(staff):
    a = services.mark_provided(asset(staff), staff, "総務省 行政管理局")
    assert a.state == AssetState.PROVIDED and a.provided_to == "総務省 行政管理局"
    with pytest.raises(InvalidTransition):
        services.mark_published(a, staff)


def test_dispose_needs_a_method(staff):
    with pytest.raises(InvalidInput):
        services.dispose(asset(staff), staff, "")


def test_confidential_electronic_records_must_be_unrecoverable(staff):
    a = asset(staff, confidentiality=2)
    with pytest.raises(InvalidInput) as error:
        services.dispose(a, staff, "delete")
    assert error.value.details["citation"] == "統一基準(R7) 3.1.1(7)(b)"
    done = services.dispose(a, staff, "crypto_erase", "証明書 第12号", date.today())
    assert (done.state, done.disposal_method, done.disposal_certificate) == (
        "disposed",
        "crypto_erase",
        "証明書 第12号",
    )


def test_confidential_paper_must_be_shredded(staff):
    a = asset(staff, confidentiality=3, medium="paper")
    with pytest.raises(InvalidInput) as error:
        services.dispose(a, staff, "discard")
    assert error.value.details["citation"] == "統一基準(R7) 3.1.1(7)(c)"
    with pytest.raises(InvalidInput):  # a method for the other medium
        services.dispose(a, staff, "overwrite")


def test_plain_information_may_simply_be_deleted(staff):
    assert services.dispose(asset(staff, confidentiality=1), staff, "delete").state == "disposed"


def test_disposal_date_cannot_be_in_the_future(staff):
    with pytest.raises(InvalidInput):
        services.dispose(asset(staff), staff, "overwrite", on=date.today() + timedelta(days=1))


@pytest.mark.parametrize("first", ["publish", "provide"])
def test_published_or_provided_may_then_be_disposed(staff, first):
    a = asset(staff, confidentiality=1)
    if first == "publish":
        services.mark_published(a, staff, [PUBLISHED_FILE])
    else:
        services.mark_provided(a, staff, "県")
    assert services.dispose(a, staff, "delete").state == "disposed"


def test_disposed_is_final(staff):
    a = services.dispose(asset(staff, confidentiality=1), staff, "delete")
    for move in (
        lambda: services.mark_published(a, staff),
        lambda: services.mark_provided(a, staff, "x"),
        lambda: services.dispose(a, staff, "delete"),
        lambda: services.update(a, staff, title="x"),
    ):
        with pytest.raises(InvalidTransition):
            move()
    assert Event.objects.filter(action="assets.asset.disposed").count() == 1


def test_state_changes_need_the_right_to_edit(staff, other_staff):
    with pytest.raises(Forbidden):
        services.dispose(asset(staff), other_staff, "overwrite")
