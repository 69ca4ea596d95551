"""Sessions: register, log in, refresh (with reuse detection), switch tenant, log out.

A login session is a family of refresh tokens. Each refresh token is used once and
replaced; presenting one that was already used means it was copied, so the whole family
is revoked (the legitimate holder must log in again) and the event is audited.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.auth import repository as auth_repository
from fiscus.auth.models import AuthSession, RefreshToken
from fiscus.auth.repository import SessionRepository
from fiscus.auth.throttle import login_throttle
from fiscus.auth.tokens import (
    AccessClaims,
    InvalidToken,
    hash_refresh_token,
    issue_access_token,
    new_refresh_token,
    read_access_token,
)
from fiscus.config import Settings
from fiscus.core.clock import utcnow
from fiscus.core.context import Origin, TenantContext
from fiscus.core.errors import Unauthenticated
from fiscus.db.pipelined import Read, Rows
from fiscus.db.session import bind_scope
from fiscus.tenancy import service as tenancy_service
from fiscus.tenancy.schemas import TenantCreate
from fiscus.users import service as users_service
from fiscus.users.models import User

CONCURRENT_REFRESH_GRACE = timedelta(seconds=10)


class InvalidCredentials(Unauthenticated):
    """The e-mail address or password is not correct."""

    code = "invalid_credentials"


class InvalidRefreshToken(Unauthenticated):
    """The refresh token is invalid, expired or revoked; log in again."""

    code = "invalid_refresh_token"


class RefreshTokenReused(InvalidRefreshToken):
    """This refresh token was already used; every session of its family has been revoked."""

    code = "refresh_token_reused"
    keeps_changes = True


@dataclass(frozen=True, slots=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    expires_in: int
    user: User
    access: tenancy_service.Access
    session_id: uuid.UUID


def register(
    session: Session, settings: Settings, *, email: str, password: str, name: str, origin: Origin
) -> IssuedTokens:
    user = users_service.create_user(session, email=email, name=name, password=password)
    tenant = tenancy_service.create_tenant(
        session, owner_id=user.id, data=TenantCreate(name=name, kind="personal"), origin=origin
    )
    access = tenancy_service.Access(tenant, "owner")
    _audit(
        session,
        access,
        user.id,
        origin,
        "user.register",
        "user",
        user.id,
        after={"email": user.email, "name": user.name},
    )
    return _start_session(session, settings, user, access, origin)


def login(
    session: Session,
    settings: Settings,
    *,
    email: str,
    password: str,
    origin: Origin,
    tenant_id: uuid.UUID | None = None,
) -> IssuedTokens:
    throttle = login_throttle(settings)
    throttle.check(email, origin.ip)
    user = users_service.authenticate(session, email=email, password=password)
    if user is None:
        throttle.failed(email, origin.ip)
        raise InvalidCredentials()
    throttle.succeeded(email, origin.ip)
    bind_scope(session, tenant_id=None, user_id=user.id)
    if tenant_id is not None:
        access = tenancy_service.access(session, user.id, tenant_id)
    else:
        tenants = tenancy_service.tenants_of(session, user.id)
        if not tenants:
            raise InvalidCredentials("This account belongs to no tenant.")
        access = tenants[0]
    bind_scope(session, tenant_id=access.tenant.id, user_id=user.id)
    _audit(session, access, user.id, origin, "auth.login", "user", user.id)
    return _start_session(session, settings, user, access, origin)


def refresh(
    session: Session, settings: Settings, *, refresh_token: str, origin: Origin
) -> IssuedTokens:
    repo = SessionRepository(session)
    token = repo.token_by_hash(hash_refresh_token(refresh_token))
    auth_session = repo.get(token.session_id) if token else None
    now = utcnow()
    if token is None or auth_session is None or auth_session.revoked_at is not None:
        raise InvalidRefreshToken()
    bind_scope(session, tenant_id=auth_session.tenant_id, user_id=auth_session.user_id)
    if token.used_at is not None:
        if now - token.used_at < CONCURRENT_REFRESH_GRACE:
            # Two requests of one browser refreshed at once: refuse the slower one, but
            # a replay this close to the real use is not treated as theft.
            raise InvalidRefreshToken()
        _revoke_reused_family(session, auth_session, now, origin)
        raise RefreshTokenReused()
    if token.expires_at <= now:
        raise InvalidRefreshToken()
    try:
        access = tenancy_service.access(session, auth_session.user_id, auth_session.tenant_id)
    except tenancy_service.TenantNotFound as exc:
        raise InvalidRefreshToken() from exc
    token.used_at = now
    auth_session.last_used_at = now
    _audit(
        session,
        access,
        auth_session.user_id,
        origin,
        "auth.refresh",
        "auth_session",
        auth_session.id,
    )
    user = users_service.get_user(session, auth_session.user_id)
    return _issue(session, settings, user, access, auth_session, now)


def _revoke_reused_family(
    session: Session, auth_session: AuthSession, now: datetime, origin: Origin
) -> None:
    SessionRepository(session).revoke(auth_session.id, "refresh_token_reused", now)
    ctx = TenantContext(
        tenant_id=auth_session.tenant_id, user_id=auth_session.user_id, role="", origin=origin
    )
    audit_service.record(
        session,
        ctx,
        action="auth.refresh_token_reused",
        resource_type="auth_session",
        resource_id=auth_session.id,
        after={"revoked": True},
    )


def switch_tenant(
    session: Session, settings: Settings, ctx: TenantContext, *, tenant_id: uuid.UUID
) -> IssuedTokens:
    access = tenancy_service.access(session, _user_id(ctx), tenant_id)
    auth_session = _current_session(session, ctx)
    now = utcnow()
    # Tokens issued for the old tenant are superseded: replaying one now counts as reuse.
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.session_id == auth_session.id, RefreshToken.used_at.is_(None))
        .values(used_at=now)
    )
    auth_session.tenant_id = tenant_id
    bind_scope(session, tenant_id=tenant_id, user_id=ctx.user_id)
    _audit(
        session,
        access,
        ctx.user_id,
        ctx.origin,
        "auth.switch_tenant",
        "tenant",
        tenant_id,
        before={"tenant_id": str(ctx.tenant_id)},
    )
    user = users_service.get_user(session, _user_id(ctx))
    return _issue(session, settings, user, access, auth_session, now)


def logout(session: Session, ctx: TenantContext) -> None:
    auth_session = _current_session(session, ctx)
    SessionRepository(session).revoke(auth_session.id, "logout", utcnow())
    audit_service.record(
        session,
        ctx,
        action="auth.logout",
        resource_type="auth_session",
        resource_id=auth_session.id,
    )


def logout_all(session: Session, ctx: TenantContext) -> int:
    count = SessionRepository(session).revoke_all_of_user(_user_id(ctx), "logout_all", utcnow())
    audit_service.record(
        session,
        ctx,
        action="auth.logout_all",
        resource_type="user",
        resource_id=ctx.user_id,
        after={"sessions_revoked": count},
    )
    return count


def change_password(
    session: Session, ctx: TenantContext, *, current_password: str, new_password: str
) -> None:
    """Change the password and end every other session of the user."""
    user_id = _user_id(ctx)
    users_service.change_password(session, user_id, current=current_password, new=new_password)
    session.execute(
        update(AuthSession)
        .where(
            AuthSession.user_id == user_id,
            AuthSession.id != ctx.session_id,
            AuthSession.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow(), revoked_reason="password_changed")
    )
    audit_service.record(
        session,
        ctx,
        action="user.change_password",
        resource_type="user",
        resource_id=user_id,
        after={"password": "changed"},
    )


def authenticate(session: Session, settings: Settings, token: str, origin: Origin) -> TenantContext:
    """The context of a valid access token whose session is live and membership current.

    The role comes from the membership, not the token, so a demotion or removal takes
    effect on the next request rather than when the token expires.
    """
    claims = read_access_token(settings, token)
    bind_scope(session, tenant_id=claims.tenant_id, user_id=claims.user_id)
    repo = SessionRepository(session)
    role = repo.live_role(claims.session_id, claims.user_id, claims.tenant_id)
    return context_of(claims, role, origin)


def live_role_read(claims: AccessClaims) -> Read:
    """The read of `claims`' current role, for a caller that sends its reads in one go
    (`db/pipelined.py`): its one row's one value is the role, no row means not live."""
    return auth_repository.live_role_read(claims.session_id, claims.user_id, claims.tenant_id)


def context_from(claims: AccessClaims, rows: Rows, origin: Origin) -> TenantContext:
    """`context_of` from the rows of `live_role_read`."""
    return context_of(claims, auth_repository.role_of(rows), origin)


def context_of(claims: AccessClaims, role: str | None, origin: Origin) -> TenantContext:
    """The caller's context once the live role was read (None: revoked or removed: 401)."""
    if role is None:
        raise InvalidToken()
    return TenantContext(
        tenant_id=claims.tenant_id,
        user_id=claims.user_id,
        role=role,
        origin=origin,
        session_id=claims.session_id,
    )


def _start_session(
    session: Session, settings: Settings, user: User, access: tenancy_service.Access, origin: Origin
) -> IssuedTokens:
    now = utcnow()
    auth_session = AuthSession(
        user_id=user.id,
        tenant_id=access.tenant.id,
        created_at=now,
        last_used_at=now,
        ip=origin.ip,
        user_agent=(origin.user_agent or "")[:400] or None,
    )
    SessionRepository(session).add(auth_session)
    session.flush()
    return _issue(session, settings, user, access, auth_session, now)


def _issue(
    session: Session,
    settings: Settings,
    user: User,
    access: tenancy_service.Access,
    auth_session: AuthSession,
    now: datetime,
) -> IssuedTokens:
    refresh_token = new_refresh_token()
    SessionRepository(session).add(
        RefreshToken(
            session_id=auth_session.id,
            token_hash=hash_refresh_token(refresh_token),
            created_at=now,
            expires_at=now + timedelta(seconds=settings.refresh_token_ttl_seconds),
        )
    )
    session.flush()
    claims = AccessClaims(user.id, access.tenant.id, access.role, auth_session.id)
    return IssuedTokens(
        access_token=issue_access_token(settings, claims, now),
        refresh_token=refresh_token,
        expires_in=settings.access_token_ttl_seconds,
        user=user,
        access=access,
        session_id=auth_session.id,
    )


def _current_session(session: Session, ctx: TenantContext) -> AuthSession:
    auth_session = SessionRepository(session).get(ctx.session_id) if ctx.session_id else None
    if auth_session is None:
        raise InvalidToken()
    return auth_session


def _user_id(ctx: TenantContext) -> uuid.UUID:
    if ctx.user_id is None:
        raise InvalidToken()
    return ctx.user_id


def _audit(
    session: Session,
    access: tenancy_service.Access,
    user_id: uuid.UUID | None,
    origin: Origin,
    action: str,
    resource_type: str,
    resource_id: object,
    **values: dict[str, object],
) -> None:
    ctx = TenantContext(
        tenant_id=access.tenant.id, user_id=user_id, role=access.role, origin=origin
    )
    audit_service.record(
        session, ctx, action=action, resource_type=resource_type, resource_id=resource_id, **values
    )
