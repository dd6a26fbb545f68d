"""Who is calling the TAXII server: a personal access token of mamori.api.

TAXII clients send HTTP Basic (the OASIS taxii2-client does), so both work:
- `Authorization: Bearer mamori_…`
- `Authorization: Basic base64(username:mamori_…)`, the username being the token
  owner's (a token presented under someone else's name is refused).
The token narrows its owner to the roles chosen when it was made
(mamori.api.services.authenticate); the party is the owner's organisation if one of
those roles is a sharing role (mamori.sharing.access.organization_of).
"""

from __future__ import annotations

import base64
import binascii
import hmac

from mamori.api import services as token_services
from mamori.sharing import access


class TaxiiError(Exception):
    """An answer in TAXII's error envelope (TAXII 2.1 §3.6.1)."""

    def __init__(self, status: int, title: str, description: str = "", headers=None):
        super().__init__(title)
        self.status = status
        self.title = title
        self.description = description
        self.headers = headers or {}


REALM = 'Basic realm="mamori TAXII", Bearer realm="mamori TAXII"'


def _unauthorized(description: str) -> TaxiiError:
    return TaxiiError(401, "Unauthorized", description, {"WWW-Authenticate": REALM})


def _credentials(header: str) -> tuple[str | None, str]:
    """(username or None, token) from an Authorization header; raises on anything else."""
    scheme, _space, value = header.partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer" and value:
        return None, value
    if scheme.lower() == "basic" and value:
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise _unauthorized("Malformed Basic credentials.") from None
        username, colon, password = decoded.partition(":")
        if colon and password:
            return username, password
    raise _unauthorized("Send an API token as Bearer, or as the password of HTTP Basic.")


def authenticate(request):
    """(person, organization) of the caller, or TaxiiError 401 / 403."""
    header = request.headers.get("Authorization", "")
    if not header:
        raise _unauthorized("Authentication is required.")
    username, token = _credentials(header)
    found = token_services.authenticate(token)
    if found is None:
        raise _unauthorized("The token is unknown, expired or revoked.")
    person, api_token = found
    if username is not None and not hmac.compare_digest(
        username.encode(), person.user.get_username().encode()
    ):
        raise _unauthorized("The token does not belong to this user.")
    organization = access.organization_of(person)
    if organization is None or access.party_of(organization) is None:
        raise TaxiiError(
            403,
            "Forbidden",
            "The token's owner takes no part in the sharing hub with the token's roles.",
        )
    request.person = person
    request.api_token = api_token
    return person, organization
