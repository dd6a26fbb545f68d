"""The JSON API at /api/, OpenAPI at /api/openapi.json, docs at /api/docs.

Every error has one shape, {code, message, details}, with the message in the
caller's language (Accept-Language or their session's choice); bad input is a 4xx.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from mamori.api.auth import PersonSessionAuth, TokenAuth
from mamori.errors import MamoriError

log = logging.getLogger(__name__)

api = NinjaAPI(
    title="mamori API",
    version="1",
    description=(
        "Requests and approvals, organisation and roles. Authenticate with a personal "
        "access token (Authorization: Bearer mamori_…) or the browser session. Errors "
        "are {code, message, details} with the message in the caller's language."
    ),
    auth=[TokenAuth(), PersonSessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
)


def error(request, status: int, code: str, message, details=None):
    return api.create_response(
        request, {"code": code, "message": str(message), "details": details or {}}, status=status
    )


@api.exception_handler(MamoriError)
def _mamori_error(request, exc: MamoriError):
    return error(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    details = {
        "errors": [
            {
                "location": [str(part) for part in item.get("loc", ())],
                "type": item.get("type", ""),
                "message": item.get("msg", ""),
            }
            for item in exc.errors
        ]
    }
    return error(request, 400, "invalid_input", _("入力内容に誤りがあります。"), details)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return error(
        request,
        401,
        "unauthenticated",
        _("認証が必要です。有効なAPIトークン又はログインが必要です。"),
    )


@api.exception_handler(AuthorizationError)
def _unauthorized(request, exc):
    return error(request, 403, "forbidden", _("この操作を行う権限がありません。"))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error(request, 404, "not_found", _("対象が見つかりません。"))


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return error(
            request, 400, "malformed_body", _("リクエスト本文をJSONとして解釈できません。")
        )
    if exc.status_code == 403:  # ninja's CSRF refusal for session callers
        return error(
            request, 403, "csrf_failed", _("CSRFトークンが無効です。画面を再読み込みしてください。")
        )
    return error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(Exception)
def _unexpected(request, exc: Exception):
    log.exception("unexpected API error")
    if settings.DEBUG:
        raise exc
    return error(
        request,
        500,
        "server_error",
        _("サーバーで予期しないエラーが発生しました。管理者に連絡してください。"),
    )


def _mount() -> None:
    from mamori.api.tokens_api import router as tokens_router
    from mamori.approvals.api import router as approvals_router
    from mamori.assets.api import router as assets_router
    from mamori.assets.handling_api import router as handling_router
    from mamori.assets.scan_api import router as scan_router
    from mamori.compliance.api import router as compliance_router
    from mamori.compliance.assessments.api import router as assessments_router
    from mamori.compliance.audits.api import router as audits_router
    from mamori.compliance.exceptions.api import router as exceptions_router
    from mamori.incidents.api import router as incidents_router
    from mamori.org.api import router as org_router
    from mamori.sharing.api import router as sharing_router

    api.add_router("/approvals", approvals_router)
    api.add_router("/assets", assets_router)
    api.add_router("/handling", handling_router)
    api.add_router("/incidents", incidents_router)
    api.add_router("/scan", scan_router)
    api.add_router("/compliance", compliance_router)
    api.add_router("/self-assessment", assessments_router)
    api.add_router("/audits", audits_router)
    api.add_router("/exceptions", exceptions_router)
    api.add_router("/sharing", sharing_router)
    api.add_router("/org", org_router)
    api.add_router("/tokens", tokens_router)


_mount()
