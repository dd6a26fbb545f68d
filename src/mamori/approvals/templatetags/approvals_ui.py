from django import template
from django.utils.translation import pgettext_lazy

register = template.Library()

ACTION_LABELS = {
    "approvals.request.created": pgettext_lazy("history", "作成"),
    "approvals.request.updated": pgettext_lazy("history", "修正"),
    "approvals.request.submitted": pgettext_lazy("history", "申請"),
    "approvals.request.approved": pgettext_lazy("history", "承認"),
    "approvals.request.rejected": pgettext_lazy("history", "却下"),
    "approvals.request.returned": pgettext_lazy("history", "差戻し"),
    "approvals.request.withdrawn": pgettext_lazy("history", "取下げ"),
    "approvals.request.revoked": pgettext_lazy("history", "取消し"),
    "approvals.request.expired": pgettext_lazy("history", "期限切れ"),
    "approvals.request.closed": pgettext_lazy("history", "終了"),
    "approvals.request.commented": pgettext_lazy("history", "コメント"),
    "approvals.request.attached": pgettext_lazy("history", "ファイル添付"),
}


@register.filter
def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code)
