"""「取扱いの確認」: ask, read the answer with its clauses, and act on it (file the
permission request, or confirm the measures). Every step goes through
assets.handling_services; the page works without JavaScript, and with htmx the answer
replaces only the result area."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mamori.assets import handling_services as services
from mamori.assets.handling_forms import CheckForm, ConfirmForm, PermissionForm
from mamori.errors import MamoriError
from mamori.rules import roles as role_catalogue
from mamori.web.access import person_required, report

MULTI_VALUED = ("restrictions", "types")
# The verdict badge borrows the request-state colours: green, blue, yellow, red.
VERDICT_BADGES = {
    "allow": "approved",
    "allow_with_measures": "submitted",
    "needs_permission": "returned",
    "deny": "rejected",
}


def _result_context(form: CheckForm, decision: dict | None, **extra) -> dict:
    if decision is None:
        return {"form": form, "decision": None, **extra}
    language = services.language()
    labels = services.measure_lines(decision["measures"])
    return {
        "form": form,
        "decision": decision,
        "verdict_label": services.VERDICT_LABELS[decision["verdict"]],
        "verdict_badge": VERDICT_BADGES[decision["verdict"]],
        "carried": form.carried(),
        "reason": decision["reason"][language],
        "measures": list(zip(decision["measures"], labels, strict=True)),
        "permitters": [
            role_catalogue.get(code).label(language) for code in decision["permission_from"]
        ],
        "permission_form": extra.pop("permission_form", None) or PermissionForm(),
        "confirm_form": extra.pop("confirm_form", None)
        or ConfirmForm(measures=list(zip(decision["measures"], labels, strict=True))),
        **extra,
    }


def _render(request, form: CheckForm, decision: dict | None, **extra) -> HttpResponse:
    context = _result_context(form, decision, **extra)
    if request.headers.get("HX-Request") and form.is_bound:
        if form.is_valid() and not extra.get("error"):
            return render(request, "assets/check_result.html", context)
        # Field errors belong beside the fields: swap the whole form area instead.
        response = render(request, "assets/check.html", context)
        response["HX-Retarget"] = "#check-area"
        response["HX-Reselect"] = "#check-area"
        response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "assets/check.html", context)


@person_required
def check(request):
    person = request.person
    if request.method != "POST" or "refresh" in request.POST:
        # GET (or the no-JavaScript "show the questions for this action" button): show
        # the form with what is known so far; nothing is decided or recorded.
        source = request.POST if request.method == "POST" else request.GET
        form = CheckForm(person=person, initial=_initial_from(source))
        return render(request, "assets/check.html", {"form": form, "decision": None})
    form = CheckForm(request.POST, person=person)
    decision = None
    error = None
    if form.is_valid():
        try:
            decision = services.check(person, **form.engine_inputs())
        except MamoriError as exc:
            report(request, exc, form)
            error = exc
    return _render(request, form, decision, error=error)


def _initial_from(source) -> dict:
    """Prefill from the query string (?asset=12, ?action=…): links from the register,
    and the htmx refresh of the circumstances when the action changes."""
    initial: dict = {}
    for name, values in source.lists():
        if name == "csrfmiddlewaretoken":
            continue
        initial[name] = values if name in MULTI_VALUED else values[-1]
    return initial


@require_POST
@person_required
def file_request(request):
    """File the permission request for a needs_permission answer."""
    person = request.person
    form = CheckForm(request.POST, person=person)
    permission_form = PermissionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("確認の内容が正しくありません。もう一度確認してください。"))
        return render(request, "assets/check.html", {"form": form, "decision": None})
    inputs = form.engine_inputs()
    decision = None
    try:
        decision = services.decision_for(person, **inputs)
        if permission_form.is_valid():
            filed = services.request_permission(
                person, **inputs, reason_text=permission_form.cleaned_data["reason_text"]
            )
        else:
            filed = []
    except MamoriError as exc:
        # A missing reason belongs beside its box; anything else (no approver, nothing to
        # request) is a message above the answer, which may have no form at all.
        report(request, exc, permission_form if "reason_text" in exc.details else None)
        filed = []
    if not filed:
        return render(
            request,
            "assets/check.html",
            _result_context(form, decision, permission_form=permission_form),
        )
    messages.success(
        request,
        _("許可申請を送信しました（%(count)d件）。承認されるまで、この取扱いはできません。")
        % {"count": len(filed)},
    )
    if len(filed) == 1:
        return redirect("approvals:detail", filed[0].pk)
    return redirect(f"{reverse('approvals:list')}?mine=1")


@require_POST
@person_required
def confirm(request):
    """The applicant confirms every measure of an allow_with_measures answer."""
    person = request.person
    form = CheckForm(request.POST, person=person)
    if not form.is_valid():
        messages.error(request, _("確認の内容が正しくありません。もう一度確認してください。"))
        return render(request, "assets/check.html", {"form": form, "decision": None})
    inputs = form.engine_inputs()
    ticked = request.POST.getlist("measures")
    decision = None
    try:
        decision = services.decision_for(person, **inputs)
        services.confirm_measures(person, **inputs, measures_ticked=ticked)
    except MamoriError as exc:
        if decision is None:
            report(request, exc, form)
            return render(request, "assets/check.html", {"form": form, "decision": None})
        labels = services.measure_lines(decision["measures"])
        confirm_form = ConfirmForm(
            request.POST, measures=list(zip(decision["measures"], labels, strict=True))
        )
        confirm_form.is_valid()
        confirm_form.add_error("measures", str(exc.message))
        return render(
            request,
            "assets/check.html",
            _result_context(form, decision, confirm_form=confirm_form),
        )
    messages.success(
        request,
        _("すべての対策を講じることを確認し、記録しました。対策を講じたうえで取り扱ってください。"),
    )
    return render(
        request, "assets/check.html", {**_result_context(form, decision), "confirmed": True}
    )
