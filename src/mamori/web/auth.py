"""Sign-in policy: accounts come from the personnel roster, never from self sign-up;
sign-ins, failures and second-factor changes are written to the trail."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from mamori.trail.services import record


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False


def _org_id(user):
    person = getattr(user, "person", None) if user is not None else None
    return person.organization_id if person else None


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(
        "auth.login",
        actor=user,
        organization_id=_org_id(user),
        data={"ip": request.META.get("REMOTE_ADDR", "")} if request else {},
    )


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record("auth.logout", actor=user, organization_id=_org_id(user))


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Only the name typed is kept, never the password.
    username = str(credentials.get("username") or credentials.get("login") or "")[:150]
    record(
        "auth.login_failed",
        actor=None,
        actor_label=username or "?",
        data={"username": username, "ip": request.META.get("REMOTE_ADDR", "") if request else ""},
    )


@receiver(authenticator_added)
def _mfa_added(sender, request, user, authenticator, **kwargs):
    record(
        "auth.mfa_added",
        actor=user,
        organization_id=_org_id(user),
        data={"type": authenticator.type},
    )


@receiver(authenticator_removed)
def _mfa_removed(sender, request, user, authenticator, **kwargs):
    record(
        "auth.mfa_removed",
        actor=user,
        organization_id=_org_id(user),
        data={"type": authenticator.type},
    )
