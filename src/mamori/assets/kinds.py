"""Request kinds of the assets module."""

from django.utils.translation import gettext_lazy as _

from mamori.approvals.registry import Kind, register
from mamori.rules.refs import TOITSU_R7, cite

HANDLING_PERMISSION = register(
    Kind(
        code="assets.handling",
        label=_("情報の取扱いの許可申請"),
        description=_(
            "取扱いの確認で「許可が必要」と判断された取扱いについて、規程が定める者に許可を求めます。"
            "判断結果と根拠条項が申請に記録されます。"
        ),
        approver_roles=("section_isec_officer",),
        roles_from_request=True,
        generic_form=False,
        citation=cite(TOITSU_R7, "3.1.1"),
        due_working_days=3,
    )
)

RECLASSIFICATION = register(
    Kind(
        code="assets.reclassification",
        label=_("格付・取扱制限の見直し依頼"),
        description=_(
            "情報の格付又は取扱制限が適切でないと考えるときに、決定者等に見直しを求めます。"
        ),
        approver_roles=("decider", "section_isec_officer"),
        citation=cite(TOITSU_R7, "3.1.1(3)(c)"),
        due_working_days=5,
        generic_form=False,
        # The asset's own 決定者 decides; approving applies the proposal to the asset.
        named_decider=lambda request: _reclassification().named_decider(request),
        on_approved=lambda request: _reclassification().apply_on_approval(request),
    )
)


def _reclassification():
    from mamori.assets import reclassification  # imports models: only after app set-up

    return reclassification
