"""Who is calling the API: a personal access token, or the signed-in browser session."""

from __future__ import annotations

from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from mamori.api import services


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = services.authenticate(token)
        if found is None:
            return None
        person, api_token = found
        request.person = person
        request.api_token = api_token
        request.user = person.user
        return person


class PersonSessionAuth(SessionAuth):
    """The browser's session (CSRF checked by ninja); the user must be on the roster."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        person = getattr(user, "person", None) if user is not None else None
        if person is None or not person.active:
            return None
        request.person = person
        return person
