"""Kinds the foundation itself registers. Modules register theirs the same way."""

from django.utils.translation import gettext_lazy as _

from mamori.approvals.registry import Kind, register
from mamori.rules.refs import TOITSU_H30, cite

GENERAL_PERMISSION = register(
    Kind(
        code="general.permission",
        label=_("許可申請（一般）"),
        description=_(
            "情報セキュリティ関係規程が求める承認又は許可のうち、専用の様式がないものの申請。"
            "課室情報セキュリティ責任者（不在なら上位の情報セキュリティ責任者）が判断します。"
        ),
        approver_roles=("section_isec_officer", "isec_officer"),
        citation=cite(TOITSU_H30, "2.1.1(8)(a)(ア)"),
        due_working_days=5,
        requires_period=True,
    )
)

# Superseded by the 例外措置 module (mamori.compliance.exceptions, kind compliance.exception),
# which records the requirement, scope and alternative measures in its ledger. Kept
# registered so requests filed before it still open; no longer offered on the generic form.
EXCEPTION = register(
    Kind(
        code="general.exception",
        label=_("例外措置の申請"),
        generic_form=False,
        description=_(
            "情報セキュリティ関係規程の遵守が困難な場合に、代替措置を示して例外措置の適用を申請します。"
            "許可権限者が審査します。"
        ),
        approver_roles=("permit_authority", "chief_isec_officer"),
        citation=cite(TOITSU_H30, "2.2.2(2)"),
        due_working_days=10,
        requires_period=True,
        max_period_days=366,
    )
)
