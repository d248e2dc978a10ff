"""Pure rules of the browser sign-in: PKCE, redirects after sign-in, session lifetime."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from kasane.auth.principal import Principal
from kasane.web.oidc_login import pkce_challenge
from kasane.web.sessions import WebSession, safe_return_to, session_alive


def test_pkce_challenge_is_unpadded_base64url_of_sha256() -> None:
    verifier = "a" * 43
    challenge = pkce_challenge(verifier)
    padded = challenge + "=" * (-len(challenge) % 4)
    assert base64.urlsafe_b64decode(padded) == hashlib.sha256(verifier.encode()).digest()
    assert len(challenge) == 43 and "=" not in challenge


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/dashboard?fiscal_year=2024", "/dashboard?fiscal_year=2024"),
        ("https://evil.example/", "/home"),
        ("//evil.example/", "/home"),
        ("/\\evil.example", "/home"),
        ("", "/home"),
        (None, "/home"),
    ],
)
def test_return_to_is_a_path_on_this_site_only(value: str | None, expected: str) -> None:
    assert safe_return_to(value, "/home") == expected


def test_session_ends_after_idle_time_and_at_max_age() -> None:
    start = datetime(2026, 4, 1, 9, tzinfo=UTC)
    principal = Principal("s", "city-chiiki-fukushi", frozenset({"city_official"}))
    idle, max_age = timedelta(minutes=30), timedelta(hours=10)

    def session(last_seen: datetime) -> WebSession:
        return WebSession(principal, "iss", None, "csrf", start, last_seen)

    assert session_alive(session(start), start + timedelta(minutes=29), idle, max_age)
    assert not session_alive(session(start), start + timedelta(minutes=30), idle, max_age)
    late = start + timedelta(hours=10)
    assert not session_alive(session(late - timedelta(minutes=1)), late, idle, max_age)
