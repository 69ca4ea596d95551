"""Access tokens: a verified token is remembered, but its expiry is checked on every use,
and nothing about a failed or differently-keyed check is remembered."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import jwt
import pytest

from fiscus.auth import tokens
from fiscus.auth.tokens import AccessClaims, InvalidToken, issue_access_token, read_access_token
from fiscus.config import Settings

ISSUED = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)


def _settings(tmp_path: Path, secret: str = "k" * 40) -> Settings:
    return Settings(env="test", var_dir=tmp_path, secret_key=secret)


def _claims() -> AccessClaims:
    return AccessClaims(uuid.uuid4(), uuid.uuid4(), "owner", uuid.uuid4())


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The tokens module's clock, settable by the test (PyJWT's own check reads the real
    clock, so tokens are issued relative to it)."""
    now = [ISSUED.timestamp()]
    monkeypatch.setattr(tokens, "_now", lambda: now[0])
    return now


def _issue_at_real_time(settings: Settings, claims: AccessClaims) -> tuple[str, int]:
    token = issue_access_token(settings, claims, datetime.now(UTC))
    return token, int(jwt.decode(token, options={"verify_signature": False})["exp"])


def test_a_verified_token_is_decoded_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings, claims = _settings(tmp_path), _claims()
    token, _ = _issue_at_real_time(settings, claims)
    decoded: list[str] = []
    real_decode = jwt.decode

    def counting_decode(*args: object, **kwargs: object) -> object:
        decoded.append("once")
        return real_decode(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jwt, "decode", counting_decode)
    assert [read_access_token(settings, token) for _ in range(3)] == [claims] * 3
    assert decoded == ["once"]


def test_a_remembered_token_is_refused_once_it_expires(tmp_path: Path, clock: list[float]) -> None:
    settings = _settings(tmp_path)
    token, expires_at = _issue_at_real_time(settings, _claims())
    clock[0] = expires_at - 1
    read_access_token(settings, token)  # verified and remembered
    clock[0] = expires_at  # PyJWT's rule: expired once `exp` is reached
    with pytest.raises(InvalidToken):
        read_access_token(settings, token)


def test_a_token_verified_with_one_secret_is_refused_with_another(tmp_path: Path) -> None:
    old, new = _settings(tmp_path, "a" * 40), _settings(tmp_path, "b" * 40)
    token, _ = _issue_at_real_time(old, _claims())
    read_access_token(old, token)
    with pytest.raises(InvalidToken):
        read_access_token(new, token)


def test_a_failure_is_not_remembered(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    token, _ = _issue_at_real_time(settings, _claims())
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for _ in range(2):
        with pytest.raises(InvalidToken):
            read_access_token(settings, tampered)
    assert read_access_token(settings, token).role == "owner"
