"""The request kind of 適用除外: decided by the 情報保証統括責任者 (防衛省通達 第1の3(2)).
Filed and corrected from the systems pages (it needs the seven items), never the generic
form; guard_request keeps the approvals edit form from changing the text alone."""

from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from mamori.approvals.registry import Kind, register
from mamori.errors import InvalidInput
from mamori.rules.refs import MOD, cite

KIND_CODE = "systems.exemption"
CITATION_APPLICATION = cite(MOD, "第1の3(1)")
CITATION_DECISION = cite(MOD, "第1の3(2)")


def _on_approved(request) -> None:
    from mamori.systems.exemption_services import fill_permitted

    fill_permitted(request)


EXEMPTION_KIND = register(
    Kind(
        code=KIND_CODE,
        label=_("適用除外の申請"),
        description=_(
            "情報保証責任者が、訓令の規定の適用除外を情報保証統括責任者に申請します。"
            "審査の結果は適用除外通知書で通知されます。"
        ),
        approver_roles=("ia_chief",),
        citation=CITATION_DECISION,
        due_working_days=10,
        requires_period=True,
        generic_form=False,
        on_approved=_on_approved,
    )
)


def _normal(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").strip()


def _same_application(values: dict, request) -> bool:
    return (
        _normal(values["description"]) == _normal(request.description)
        and _normal(values["conditions"]) == _normal(request.conditions)
        and values["period_start"] == request.period_start
        and values["period_end"] == request.period_end
    )


@receiver(pre_save, sender="approvals.Request", dispatch_uid="systems.exemption.guard")
def guard_request(sender, instance, raw=False, **kwargs) -> None:
    """The seven items live on the Exemption and the notice is made from them: the
    generic approvals edit form must not change the request's text, period or measures
    without them (exemption_services.revise changes both together). Raising here rolls
    back the service's transaction; the page shows the message."""
    if raw or instance.kind != KIND_CODE or instance.pk is None:
        return
    from mamori.systems.exemption_services import describe
    from mamori.systems.exemptions import Exemption

    old = (
        sender.objects.filter(pk=instance.pk)
        .values("description", "conditions", "period_start", "period_end")
        .first()
    )
    if old is None or _same_application(old, instance):
        return
    exemption = Exemption.objects.filter(request_id=instance.pk).select_related("system").first()
    if exemption is None:  # nothing to compare with
        return
    items = {
        "description": describe(exemption),
        "conditions": exemption.measures,
        "period_start": exemption.period_start,
        "period_end": exemption.period_end,
    }
    if not _same_application(items, instance):
        raise InvalidInput(
            _("適用除外の申請書は、適用除外の画面の「申請書を修正する」から修正してください。"),
            code="use_exemption_form",
            details={"description": "use_exemption_form"},
        )
