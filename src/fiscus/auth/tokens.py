"""Access tokens (JWT, HS256 only) and opaque refresh tokens (stored as SHA-256)."""

from __future__ import annotations

import functools
import hashlib
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from fiscus.config import Settings
from fiscus.core.errors import Unauthenticated
from fiscus.core.ids import new_token

ALGORITHMS = ["HS256"]  # the allow-list: "none" and asymmetric confusion are refused


class InvalidToken(Unauthenticated):
    """The access token is missing, expired or invalid."""

    code = "invalid_token"


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: uuid.UUID
    tenant_id: uuid.UUID
    role: str
    session_id: uuid.UUID


def issue_access_token(settings: Settings, claims: AccessClaims, now: datetime) -> str:
    payload = {
        "sub": str(claims.user_id),
        "tid": str(claims.tenant_id),
        "role": claims.role,
        "sid": str(claims.session_id),
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=settings.access_token_ttl_seconds)).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(payload, settings.secret(), algorithm=ALGORITHMS[0])


def read_access_token(settings: Settings, token: str) -> AccessClaims:
    """The claims of a token signed with our secret, for our audience and issuer, and not
    expired (checked on every call, also for a token verified before)."""
    claims, expires_at = _verified(
        settings.secret(), settings.jwt_audience, settings.jwt_issuer, token
    )
    if expires_at <= _now():  # PyJWT's own rule: expired once `exp` is reached
        raise InvalidToken()
    return claims


def _now() -> float:
    return time.time()


# Why a cache: a client sends the same access token with every request until it expires
# (15 minutes by default), and decoding it (base64, JSON, HMAC, claim checks) was about a
# tenth of the app's CPU per authenticated read. A token's signature, audience and issuer
# are facts of the token string and the key, so a verified string needs no second check;
# only its expiry changes with time, and `read_access_token` checks that on every use.
# Failures are never cached (an exception leaves the cache untouched). The key includes
# the secret, so a new secret never accepts a token the old one verified.
@functools.lru_cache(maxsize=4096)
def _verified(secret: str, audience: str, issuer: str, token: str) -> tuple[AccessClaims, int]:
    try:
        payload = jwt.decode(
            token,
            secret,
            algorithms=ALGORITHMS,
            audience=audience,
            issuer=issuer,
            options={"require": ["sub", "tid", "role", "sid", "exp", "iss", "aud"]},
        )
        claims = AccessClaims(
            user_id=uuid.UUID(payload["sub"]),
            tenant_id=uuid.UUID(payload["tid"]),
            role=str(payload["role"]),
            session_id=uuid.UUID(payload["sid"]),
        )
        return claims, int(payload["exp"])
    except (jwt.PyJWTError, ValueError, KeyError, TypeError) as exc:
        raise InvalidToken() from exc


def new_refresh_token() -> str:
    return new_token(32)  # 256 bits


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
