"""The request kind of this app: a 例外措置 request naming a catalog clause, decided by
the 許可権限者 (統一基準(H30) 2.2.2). Filed and corrected from this app's own form, not
the generic one; guard_request keeps the approvals pages from bypassing it."""

from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from mamori.approvals.registry import Kind, register
from mamori.approvals.workflow import State
from mamori.errors import InvalidInput, InvalidTransition
from mamori.rules.refs import TOITSU_H30, cite

KIND_CODE = "compliance.exception"
MAX_PERIOD_DAYS = 366


def _on_approved(request) -> None:
    from mamori.compliance.exceptions.services import record_from_request

    record_from_request(request)


EXCEPTION_KIND = register(
    Kind(
        code=KIND_CODE,
        label=_("例外措置の申請（台帳登録）"),
        description=_(
            "遵守事項を指定し、理由・対象範囲・期間・代替措置を示して例外措置の適用を申請します。"
            "許可権限者が審査し、許可されると例外措置の台帳に登録されます。"
        ),
        approver_roles=("permit_authority",),
        citation=cite(TOITSU_H30, "2.2.2(2)"),
        due_working_days=10,
        requires_period=True,
        max_period_days=MAX_PERIOD_DAYS,
        generic_form=False,
        on_approved=_on_approved,
    )
)


def _normal(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").strip()


@receiver(pre_save, sender="approvals.Request", dispatch_uid="compliance_exceptions.guard")
def guard_request(sender, instance, raw=False, **kwargs) -> None:
    """The approvals pages serve every kind. For a 例外措置 request they must not:
    - close it (「終了する」): an exception ends with the owner's end report (2.2.2(2)),
      which closes the request itself;
    - change its text alone in the generic edit form: the ledger takes the statement
      from the request's details, which only this app's form edits with the text.
    Raising here rolls back the service's transaction; the page shows the message.
    A revocation there reaches the ledger in the same transaction."""
    if raw or instance.kind != KIND_CODE or instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).values("state", "description").first()
    if old is None:
        return
    from mamori.compliance.exceptions.models import ExceptionRecord, RecordState
    from mamori.compliance.exceptions.services import described

    if instance.state == State.REVOKED and old["state"] != State.REVOKED:
        from mamori.compliance.exceptions.services import follow_revocation

        follow_revocation(instance)
    if instance.state == State.CLOSED and old["state"] != State.CLOSED:
        record = ExceptionRecord.objects.filter(request_id=instance.pk).first()
        if record is not None and record.state != RecordState.ENDED:
            raise InvalidTransition(
                _("例外措置は、例外措置の台帳（%(ref)s）で終了報告をして終了してください。")
                % {"ref": record.reference},
                code="end_report_required",
            )
    text = _normal(instance.description)
    if text != _normal(old["description"]) and text != _normal(described(instance)):
        raise InvalidInput(
            _("例外措置の申請は、例外措置の画面の「申請を修正する」から修正してください。"),
            code="use_exception_form",
            details={"description": "use_exception_form"},
        )
