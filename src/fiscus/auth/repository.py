"""Queries of login sessions and refresh tokens. Never commits."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fiscus.auth.models import AuthSession, RefreshToken


class SessionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, session_id: uuid.UUID) -> AuthSession | None:
        return self.session.get(AuthSession, session_id)

    def is_live(self, session_id: uuid.UUID, user_id: uuid.UUID, tenant_id: uuid.UUID) -> bool:
        query = select(AuthSession.id).where(
            AuthSession.id == session_id,
            AuthSession.user_id == user_id,
            AuthSession.tenant_id == tenant_id,
            AuthSession.revoked_at.is_(None),
        )
        return self.session.scalar(query) is not None

    def token_by_hash(self, token_hash: str) -> RefreshToken | None:
        query = select(RefreshToken).where(RefreshToken.token_hash == token_hash).with_for_update()
        return self.session.scalars(query).first()

    def revoke(self, session_id: uuid.UUID, reason: str, now: datetime) -> None:
        self.session.execute(
            update(AuthSession)
            .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
            .values(revoked_at=now, revoked_reason=reason)
        )

    def revoke_all_of_user(self, user_id: uuid.UUID, reason: str, now: datetime) -> int:
        result = self.session.execute(
            update(AuthSession)
            .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
            .values(revoked_at=now, revoked_reason=reason)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def add(self, row: AuthSession | RefreshToken) -> None:
        self.session.add(row)
