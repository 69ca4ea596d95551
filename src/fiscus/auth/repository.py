"""Queries of login sessions and refresh tokens. Never commits."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Uuid, bindparam, select, update
from sqlalchemy.orm import Session

from fiscus.auth.models import AuthSession, RefreshToken
from fiscus.db.pipelined import Read, Rows, run_read
from fiscus.tenancy.models import Membership

_SESSIONS = AuthSession.__table__.c
_MEMBERS = Membership.__table__.c

# Every authenticated request runs this: one Core statement (built once, so its cache key
# is memoised) instead of two ORM lookups. The role comes from the membership row, so a
# demotion or removal applies on the next request; a revoked session finds no row. The
# parameters are typed explicitly: a foreign key's column type is only known once the
# referenced model is imported, which may be after this module.
_LIVE_ROLE = (
    select(_MEMBERS.role)
    .select_from(
        AuthSession.__table__.join(
            Membership.__table__,
            (_MEMBERS.user_id == _SESSIONS.user_id) & (_MEMBERS.tenant_id == _SESSIONS.tenant_id),
        )
    )
    .where(
        _SESSIONS.id == bindparam("session_id", type_=Uuid()),
        _SESSIONS.user_id == bindparam("user_id", type_=Uuid()),
        _SESSIONS.tenant_id == bindparam("tenant_id", type_=Uuid()),
        _SESSIONS.revoked_at.is_(None),
    )
)


def live_role_read(session_id: uuid.UUID, user_id: uuid.UUID, tenant_id: uuid.UUID) -> Read:
    """The user's current role in the tenant if the login session is live (one row, one
    value), else no row: sent alone (`SessionRepository.live_role`) or with a hot route's
    reads (`db/pipelined.py`)."""
    params = {"session_id": session_id, "user_id": user_id, "tenant_id": tenant_id}
    return Read(_LIVE_ROLE, params)


def role_of(rows: Rows) -> str | None:
    """The role from the rows of `live_role_read` (None: not live)."""
    return str(rows[0][0]) if rows else None


class SessionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, session_id: uuid.UUID) -> AuthSession | None:
        return self.session.get(AuthSession, session_id)

    def live_role(
        self, session_id: uuid.UUID, user_id: uuid.UUID, tenant_id: uuid.UUID
    ) -> str | None:
        """The user's current role in the tenant if the login session is live, else None."""
        return role_of(run_read(self.session, live_role_read(session_id, user_id, tenant_id)))

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
