"""Registration, login, token refresh and rotation, logout, password change."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, select, update

from fiscus.auth.models import RefreshToken
from tests.support.builders import PASSWORD, Account, create_tenant, register


def login(client: TestClient, email: str, password: str = PASSWORD) -> dict:
    response = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


def test_register_returns_tokens_user_and_personal_tenant(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/register",
        json={"email": "Ada@Example.com", "password": PASSWORD, "name": "Ada"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    assert body["user"]["email"] == "ada@example.com"
    assert body["tenant"]["kind"] == "personal"
    assert body["tenant"]["role"] == "owner"
    assert len(body["refresh_token"]) >= 43  # 256 bits, URL-safe base64
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    assert {"sub", "tid", "role", "aud", "iss", "exp"} <= claims.keys()
    assert claims["exp"] - claims["iat"] == 900
    assert claims["tid"] == body["tenant"]["id"]


def test_register_twice_with_same_email_conflicts(client: TestClient) -> None:
    account = register(client)
    response = client.post(
        "/api/v1/auth/register",
        json={"email": account.email.upper(), "password": PASSWORD, "name": "Again"},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"
    assert response.json()["errors"][0]["field"] == "email"


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short7!", "at least 8"),
        ("x" * 129, "at most 128"),
        ("password123", "most common"),
        ("iloveyou", "most common"),
    ],
)
def test_password_policy(client: TestClient, password: str, message: str) -> None:
    response = client.post(
        "/api/v1/auth/register",
        json={"email": f"{uuid.uuid4().hex}@example.com", "password": password, "name": "P"},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "weak_password"
    assert body["errors"][0]["field"] == "password"
    assert message in body["detail"]


def test_long_passphrase_without_composition_rules_is_accepted(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/register",
        json={"email": "long@example.com", "password": "a" * 20 + " plain words" * 8, "name": "L"},
    )
    assert response.status_code == 201


def test_failed_registration_leaves_nothing_behind(client: TestClient) -> None:
    bad = client.post(
        "/api/v1/auth/register",
        json={"email": "w@example.com", "password": "password", "name": "W"},
    )
    assert bad.status_code == 422
    response = client.post(
        "/api/v1/auth/login", json={"email": "w@example.com", "password": "password"}
    )
    assert response.status_code == 401


def test_login_failure_does_not_reveal_whether_email_exists(client: TestClient) -> None:
    account = register(client)
    wrong_password = client.post(
        "/api/v1/auth/login", json={"email": account.email, "password": "not the password"}
    )
    unknown_email = client.post(
        "/api/v1/auth/login", json={"email": "nobody@example.com", "password": "not the password"}
    )
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json()["detail"] == unknown_email.json()["detail"]
    assert wrong_password.json()["code"] == unknown_email.json()["code"] == "invalid_credentials"


def test_login_into_a_named_tenant(client: TestClient) -> None:
    account = register(client)
    business = create_tenant(client, account)
    response = client.post(
        "/api/v1/auth/login",
        json={"email": account.email, "password": PASSWORD, "tenant_id": str(business)},
    )
    assert response.status_code == 200
    assert response.json()["tenant"]["id"] == str(business)


def _age_refresh_tokens(connection: Connection, seconds: int) -> None:
    """Pretend every used refresh token was used `seconds` ago."""
    tokens = RefreshToken.__table__
    for row in connection.execute(select(tokens.c.id, tokens.c.used_at)).all():
        if row.used_at is not None:
            connection.execute(
                update(tokens)
                .where(tokens.c.id == row.id)
                .values(used_at=row.used_at - timedelta(seconds=seconds))
            )


def test_refresh_rotates_and_reuse_revokes_the_whole_family(
    client: TestClient, connection: Connection
) -> None:
    account = register(client)
    first = account.refresh_token
    rotated = client.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert rotated.status_code == 200
    second = rotated.json()["refresh_token"]
    assert second != first

    # A replay seconds later looks like two tabs refreshing at once: refused, no revocation.
    racing = client.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert racing.status_code == 401
    assert racing.json()["code"] == "invalid_refresh_token"
    headers = {"Authorization": f"Bearer {rotated.json()['access_token']}"}
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 200

    # An attacker replays it later: rejected, and the family is revoked.
    _age_refresh_tokens(connection, seconds=60)
    replay = client.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert replay.status_code == 401
    assert replay.json()["code"] == "refresh_token_reused"

    # The legitimate holder's next refresh fails too, and so does their access token.
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": second}).status_code == 401
    new_access = {"Authorization": f"Bearer {rotated.json()['access_token']}"}
    assert client.get("/api/v1/auth/me", headers=new_access).status_code == 401

    # The reuse is on the audit trail (read by logging in again).
    fresh = login(client, account.email)
    logs = client.get(
        "/api/v1/audit/logs",
        params={"action": "auth.refresh_token_reused"},
        headers={"Authorization": f"Bearer {fresh['access_token']}"},
    )
    assert logs.json()["total"] == 1


def test_unknown_refresh_token_is_rejected(client: TestClient) -> None:
    response = client.post("/api/v1/auth/refresh", json={"refresh_token": "made-up"})
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_refresh_token"


def test_logout_ends_the_session_only(client: TestClient) -> None:
    account = register(client)
    other = login(client, account.email)
    assert client.post("/api/v1/auth/logout", headers=account.headers).status_code == 204
    assert client.get("/api/v1/auth/me", headers=account.headers).status_code == 401
    refresh = client.post("/api/v1/auth/refresh", json={"refresh_token": account.refresh_token})
    assert refresh.status_code == 401
    other_headers = {"Authorization": f"Bearer {other['access_token']}"}
    assert client.get("/api/v1/auth/me", headers=other_headers).status_code == 200


def test_logout_all_ends_every_session(client: TestClient) -> None:
    account = register(client)
    other = login(client, account.email)
    response = client.post("/api/v1/auth/logout-all", headers=account.headers)
    assert response.json() == {"sessions_revoked": 2}
    other_headers = {"Authorization": f"Bearer {other['access_token']}"}
    assert client.get("/api/v1/auth/me", headers=other_headers).status_code == 401
    assert client.get("/api/v1/auth/me", headers=account.headers).status_code == 401


def test_change_password(client: TestClient) -> None:
    account = register(client)
    other = login(client, account.email)
    wrong = client.post(
        "/api/v1/auth/change-password",
        json={"current_password": "nope nope", "new_password": "another long passphrase"},
        headers=account.headers,
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "current_password"
    weak = client.post(
        "/api/v1/auth/change-password",
        json={"current_password": PASSWORD, "new_password": "qwertyuiop"},
        headers=account.headers,
    )
    assert weak.json()["errors"][0]["field"] == "new_password"
    ok = client.post(
        "/api/v1/auth/change-password",
        json={"current_password": PASSWORD, "new_password": "another long passphrase"},
        headers=account.headers,
    )
    assert ok.status_code == 204
    # This session survives; the other one is ended; only the new password works.
    assert client.get("/api/v1/auth/me", headers=account.headers).status_code == 200
    other_headers = {"Authorization": f"Bearer {other['access_token']}"}
    assert client.get("/api/v1/auth/me", headers=other_headers).status_code == 401
    old = client.post("/api/v1/auth/login", json={"email": account.email, "password": PASSWORD})
    assert old.status_code == 401
    login(client, account.email, "another long passphrase")


def test_switch_tenant_returns_tokens_for_the_other_tenant(client: TestClient) -> None:
    account = register(client)
    business = create_tenant(client, account, "Side Business")
    response = client.post(
        "/api/v1/auth/switch-tenant", json={"tenant_id": str(business)}, headers=account.headers
    )
    assert response.status_code == 200
    body = response.json()
    assert body["tenant"]["id"] == str(business)
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    me = client.get("/api/v1/auth/me", headers=headers).json()
    assert me["tenant"]["name"] == "Side Business"
    assert {t["id"] for t in me["tenants"]} == {str(account.tenant_id), str(business)}


def test_switch_to_a_tenant_one_does_not_belong_to_is_not_found(client: TestClient) -> None:
    alice, bob = register(client), register(client)
    response = client.post(
        "/api/v1/auth/switch-tenant", json={"tenant_id": str(bob.tenant_id)}, headers=alice.headers
    )
    assert response.status_code == 404
    missing = client.post(
        "/api/v1/auth/switch-tenant", json={"tenant_id": str(uuid.uuid4())}, headers=alice.headers
    )
    assert missing.status_code == 404
    assert response.json()["code"] == missing.json()["code"]


def _forge(account: Account, secret: str, **overrides: object) -> str:
    claims = jwt.decode(account.access_token, options={"verify_signature": False})
    claims.update(overrides)
    return jwt.encode(claims, secret, algorithm="HS256")


@pytest.mark.parametrize(
    "token_kind", ["garbage", "wrong_secret", "expired", "wrong_audience", "alg_none", "other_tid"]
)
def test_bad_access_tokens_are_rejected(client: TestClient, token_kind: str) -> None:
    account, other = register(client), register(client)
    secret = client.app.state.settings.secret()  # type: ignore[attr-defined]
    tokens = {
        "garbage": "not.a.jwt",
        "wrong_secret": _forge(account, "another-secret-another-secret-another"),
        "expired": _forge(account, secret, exp=int(time.time()) - 10),
        "wrong_audience": _forge(account, secret, aud="someone-else"),
        "alg_none": jwt.encode(
            jwt.decode(account.access_token, options={"verify_signature": False}),
            key=None,
            algorithm="none",
        ),
        "other_tid": _forge(account, secret, tid=str(other.tenant_id)),
    }
    response = client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {tokens[token_kind]}"}
    )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_repeated_failed_logins_are_throttled(client: TestClient) -> None:
    account = register(client)
    body = {"email": account.email, "password": "wrong wrong wrong"}
    statuses = [client.post("/api/v1/auth/login", json=body).status_code for _ in range(10)]
    assert statuses == [401] * 10
    blocked = client.post("/api/v1/auth/login", json={**body, "password": PASSWORD})
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "too_many_attempts"
    # Other people's logins are unaffected.
    other = register(client)
    assert (
        client.post(
            "/api/v1/auth/login", json={"email": other.email, "password": PASSWORD}
        ).status_code
        == 200
    )
