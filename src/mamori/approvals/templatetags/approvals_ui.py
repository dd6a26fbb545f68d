from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

ACTION_LABELS = {
    "approvals.request.created": _("作成"),
    "approvals.request.updated": _("修正"),
    "approvals.request.submitted": _("申請"),
    "approvals.request.approved": _("承認"),
    "approvals.request.rejected": _("却下"),
    "approvals.request.returned": _("差戻し"),
    "approvals.request.withdrawn": _("取下げ"),
    "approvals.request.revoked": _("取消し"),
    "approvals.request.expired": _("期限切れ"),
    "approvals.request.closed": _("終了"),
    "approvals.request.commented": _("コメント"),
    "approvals.request.attached": _("ファイル添付"),
}


@register.filter
def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code)
