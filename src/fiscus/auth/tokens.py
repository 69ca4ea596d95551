"""Access tokens (JWT, HS256 only) and opaque refresh tokens (stored as SHA-256)."""

from __future__ import annotations

import hashlib
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
    try:
        payload = jwt.decode(
            token,
            settings.secret(),
            algorithms=ALGORITHMS,
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": ["sub", "tid", "role", "sid", "exp", "iss", "aud"]},
        )
        return AccessClaims(
            user_id=uuid.UUID(payload["sub"]),
            tenant_id=uuid.UUID(payload["tid"]),
            role=str(payload["role"]),
            session_id=uuid.UUID(payload["sid"]),
        )
    except (jwt.PyJWTError, ValueError, KeyError, TypeError) as exc:
        raise InvalidToken() from exc


def new_refresh_token() -> str:
    return new_token(32)  # 256 bits


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
