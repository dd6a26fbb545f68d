"""Errors a service raises on purpose. Views and the API turn them into a localised
message and a 4xx answer with one shape: {code, message, details}."""

from __future__ import annotations

from typing import Any


class MamoriError(Exception):
    status = 400
    code = "invalid"

    def __init__(
        self, message: Any, *, code: str | None = None, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(str(message))
        self.message = message  # may be a lazy translation: rendered in the user's language
        if code:
            self.code = code
        self.details = details or {}


class InvalidInput(MamoriError):
    status = 400
    code = "invalid_input"


class InvalidTransition(MamoriError):
    status = 409
    code = "invalid_transition"


class Forbidden(MamoriError):
    status = 403
    code = "forbidden"


class NotFound(MamoriError):
    status = 404
    code = "not_found"
