"""Second factor required by role (settings.MFA_REQUIRED_ROLES).

allauth asks for the second factor at login once a user has one; this middleware
makes sure that holders of the configured roles (CISO, CSIRT, auditors … by default)
cannot use mamori until they have set one up."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from mamori.org import scope

# Paths a user who still has to set up MFA may reach: sign-in, MFA set-up, language, assets.
_OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/jsi18n/")


def mfa_required(user) -> bool:
    if not user.is_authenticated:
        return False
    if settings.MFA_REQUIRED_FOR_ALL:
        return True
    person = getattr(user, "person", None)
    return person is not None and scope.has_role(person, *settings.MFA_REQUIRED_ROLES)


def has_second_factor(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class MfaRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (
            request.user.is_authenticated
            and not path.startswith(_OPEN_PREFIXES)
            and not getattr(request, "api_token", None)
            and mfa_required(request.user)
            and not has_second_factor(request.user)
        ):
            message = _("あなたの役割では二要素認証が必須です。認証アプリを登録してください。")
            if path.startswith("/api/"):
                return JsonResponse(
                    {"code": "mfa_required", "message": message, "details": {}}, status=403
                )
            messages.warning(request, message)
            return redirect("mfa_activate_totp")
        return self.get_response(request)
