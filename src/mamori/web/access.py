"""View helpers every app uses: who is asking, and turning service errors into messages."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from mamori.errors import MamoriError


def person_required(view):
    """Signed in and on the roster: sets request.person, otherwise 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        person = getattr(request.user, "person", None)
        if person is None or not person.active:
            raise PermissionDenied(_("職員等として登録されていないため利用できません。"))
        request.person = person
        return view(request, *args, **kwargs)

    return wrapper


def report(request, error: MamoriError, form=None) -> None:
    """Show a service error on the page: on the form's field when it names one."""
    if form is not None:
        for field in error.details:
            if field in form.fields:
                form.add_error(field, str(error.message))
                return
        form.add_error(None, str(error.message))
    else:
        messages.error(request, str(error.message))
