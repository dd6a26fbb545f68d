"""Signing in: second factor by role, lock-out, idle timeout, password rules."""

import pyotp
import pytest
from django.contrib.auth import password_validation
from django.urls import reverse

from mamori.trail.models import Event

PASSWORD = "correct horse battery"


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": username, "password": password})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_staff_signs_in_with_password_only(client, staff):
    response = sign_in(client, "staff")
    assert response.status_code == 302 and signed_in(client)
    assert Event.objects.filter(action="auth.login").exists()


def test_ciso_login_demands_the_totp_code(client, ciso):
    response = sign_in(client, "ciso")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not signed_in(client)
    assert client.post(reverse("mfa_authenticate"), {"code": "000000"}).status_code == 200
    assert not signed_in(client)
    code = pyotp.TOTP(ciso.totp_secret).now()
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert signed_in(client)
    assert client.get(reverse("web:dashboard")).status_code == 200


def test_ciso_without_a_second_factor_must_set_one_up_first(client, person_with):
    person_with("ciso", username="new-ciso")
    sign_in(client, "new-ciso")
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get("/api/org/me").json()["code"] == "mfa_required"


def test_mfa_roles_are_configurable(client, person_with, settings):
    settings.MFA_REQUIRED_ROLES = ["section_isec_officer"]
    person_with("section_isec_officer", username="officer", scope="d1")
    sign_in(client, "officer")
    assert client.get(reverse("web:dashboard"))["Location"] == reverse("mfa_activate_totp")


def test_account_is_locked_after_repeated_failures(client, staff, settings):
    for _ in range(settings.LOGIN_FAILURES_ALLOWED):
        sign_in(client, "staff", "wrong password!!")
    response = sign_in(client, "staff")  # now even the right password is refused
    assert not signed_in(client)
    assert response.status_code in (200, 429)
    assert Event.objects.filter(action="auth.login_failed").count() >= 5


def test_session_expires_after_idle_minutes(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60


@pytest.mark.parametrize(
    "password,ok",
    [
        ("short1!", False),  # too short
        ("staff-staff-staff", False),  # derived from the user name
        ("123456789012345", False),  # numbers only
        ("river lantern quietly orbit", True),  # long passphrase, no symbols needed
    ],
)
def test_password_rules_prefer_length(staff, password, ok):
    try:
        password_validation.validate_password(password, staff.user)
    except Exception:
        assert not ok
    else:
        assert ok
