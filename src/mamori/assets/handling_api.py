"""POST /api/handling/decide: the handling engine over HTTP, for mail gateways, DLP
tools and scripts. The same engine and the same answers as `mamori decide`.

The body is checked by the engine itself, not by a schema: its errors name each field
and the values it allows, and for a list they say which request is wrong."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Body, Router

from mamori.errors import InvalidInput
from mamori.rules import handling

router = Router(tags=["handling"])

MAX_REQUESTS = 10_000

DESCRIPTION = f"""\
Decide what may be done with information. The body is one request object, or a list of
up to {MAX_REQUESTS:,} of them; the answer is one decision, or the list of decisions in
the same order:

    {{"verdict": "allow|allow_with_measures|needs_permission|deny",
     "permission_from": [role codes], "measures": [measure codes],
     "citations": ["統一基準(R7) 3.1.1(4)(b)", ...], "reason": {{"ja": ..., "en": ...}}}}

A bad request is a 400 with code `invalid_request` and details
`{{"errors": [{{"field", "allowed", "message": {{"ja", "en"}}}}], "index": i}}` (`index`
is the position in the list, null for a single request); nothing is decided then.
More than {MAX_REQUESTS:,} requests is a 400 with code `batch_too_large`.
"""


def _invalid(error: handling.InvalidRequest) -> InvalidInput:
    english = (get_language() or "ja").startswith("en")
    first = error.errors[0] if error.errors else None
    text = (first.en if english else first.ja) if first else ""
    if error.index is None:
        message = _("判断の要求に誤りがあります: %(error)s") % {"error": text}
    else:
        message = _("%(index)d番目の要求（0から数えて）に誤りがあります: %(error)s") % {
            "index": error.index,
            "error": text,
        }
    return InvalidInput(
        message,
        code="invalid_request",
        details={"errors": [e.as_dict() for e in error.errors], "index": error.index},
    )


@router.post("/decide", summary="Decide one handling request or a list", description=DESCRIPTION)
def decide(request, payload: Body[dict[str, Any] | list[Any]]):
    try:
        if isinstance(payload, list):
            if len(payload) > MAX_REQUESTS:
                raise InvalidInput(
                    _("一度に判断できる要求は%(limit)d件までです（%(count)d件）。")
                    % {"limit": MAX_REQUESTS, "count": len(payload)},
                    code="batch_too_large",
                    details={"limit": MAX_REQUESTS, "count": len(payload)},
                )
            return handling.decide_many(payload, settings.HANDLING_POLICY)
        return handling.decide(payload, settings.HANDLING_POLICY)
    except handling.InvalidRequest as error:
        raise _invalid(error) from error
