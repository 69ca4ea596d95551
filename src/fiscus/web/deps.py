"""Request dependencies: settings, the unit-of-work session, the caller and their rights.

`require(permission)` is the single mechanism that guards every API endpoint: it
authenticates the bearer token, loads the caller's current role and checks it against
the permission matrix. `require_in_path` does the same for `/tenants/{tenant_id}/...`,
where the tenant named in the path, not the token's, is the one acted on.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Annotated

import anyio
from fastapi import Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from fiscus.auth import service as auth_service
from fiscus.auth.tokens import InvalidToken, read_access_token
from fiscus.config import Settings
from fiscus.core.context import Origin, TenantContext
from fiscus.core.errors import Forbidden
from fiscus.db.pipelined import AsyncReads, Read, Rows, pipelined_read
from fiscus.db.session import bind_scope, end_unit_of_work, open_session, unit_of_work
from fiscus.tenancy import service as tenancy_service
from fiscus.tenancy.permissions import Permission, allows


# Dependencies that do no I/O are `async def`: FastAPI runs a plain `def` dependency in
# the thread pool, one hop per dependency per request (measured in docs/performance.md).
async def settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


LEARNING_READS = "/api/v1/insights/"


async def session_dep(request: Request) -> AsyncIterator[Session]:
    # GET API reads never write, but for the categoriser's, which learn its queue first
    # (insights/learning.py); pages may (a transparent token refresh), so they don't.
    # Opening a session does no I/O (it connects on first use, in the route's thread), so
    # only the end of the unit of work (commit or rollback) takes a thread-pool hop.
    path = request.url.path
    read_only = (
        request.method in ("GET", "HEAD")
        and path.startswith("/api/")
        and not path.startswith(LEARNING_READS)
    )
    session = open_session(request.app.state.session_factory, read_only=read_only)
    try:
        yield session
    except BaseException as exc:
        await _end(session, exc)
        raise
    await _end(session, None)


async def _end(session: Session, error: BaseException | None) -> None:
    with anyio.CancelScope(shield=True):  # a cancelled request still ends its transaction
        await run_in_threadpool(end_unit_of_work, session, error)


async def origin_dep(request: Request) -> Origin:
    return origin_of(request)


def origin_of(request: Request) -> Origin:
    client = request.client.host if request.client else None
    return Origin(
        ip=client,
        user_agent=request.headers.get("user-agent"),
        request_id=getattr(request.state, "request_id", None),
    )


# `scope="function"`: the unit of work commits when the route returns, before the
# response is sent, so a failed commit can never be reported as a success.
DbSession = Annotated[Session, Depends(session_dep, scope="function")]
AppSettings = Annotated[Settings, Depends(settings_dep)]
RequestOrigin = Annotated[Origin, Depends(origin_dep)]


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("Send an access token as 'Authorization: Bearer <token>'.")
    return token.strip()


def authenticated(
    request: Request, session: DbSession, settings: AppSettings, origin: RequestOrigin
) -> TenantContext:
    ctx = auth_service.authenticate(session, settings, bearer_token(request), origin)
    request.state.user_id = ctx.user_id
    return ctx


Caller = Annotated[TenantContext, Depends(authenticated)]


def ensure(ctx: TenantContext, permission: Permission) -> TenantContext:
    """Refuse (403) a caller whose role lacks `permission`; pages call it in the route."""
    if not allows(ctx.role, permission):
        raise Forbidden(f"Your role '{ctx.role}' does not allow '{permission.value}'.")
    return ctx


def require(permission: Permission) -> Callable[..., Awaitable[TenantContext]]:
    async def dependency(ctx: Caller) -> TenantContext:
        return ensure(ctx, permission)

    dependency.__name__ = f"require_{permission.name.lower()}"
    return dependency


def require_in_path(permission: Permission) -> Callable[..., TenantContext]:
    def dependency(tenant_id: uuid.UUID, ctx: Caller, session: DbSession) -> TenantContext:
        assert ctx.user_id is not None
        access = tenancy_service.access(session, ctx.user_id, tenant_id)
        bind_scope(session, tenant_id=tenant_id, user_id=ctx.user_id)
        scoped = TenantContext(
            tenant_id=tenant_id,
            user_id=ctx.user_id,
            role=access.role,
            origin=ctx.origin,
            session_id=ctx.session_id,
        )
        return ensure(scoped, permission)

    dependency.__name__ = f"require_in_path_{permission.name.lower()}"
    return dependency


# The hot read routes (a balance, the account list, a list page) answer through
# `read_json` instead of `require(...)` + `DbSession`: the same authentication (the
# session's liveness and the member's current role read on every request) and the same
# permission check, but the whole read-only unit of work (authenticate, read, commit,
# close) runs in ONE thread-pool hop instead of three (the authentication dependency,
# the route and the end of the unit of work), and the route renders its JSON itself so
# FastAPI does not validate the response model a second time (measured in
# docs/performance.md, "Hot reads").
ReadWork = Callable[[Session, TenantContext], bytes]


async def read_json(request: Request, permission: Permission, work: ReadWork) -> Response:
    """Authenticate the bearer, check `permission`, run `work` in a read-only unit of
    work and answer 200 with the JSON bytes it returns. Errors are raised as from a route
    (401/403 before `work` runs, its own domain errors after)."""
    body = await run_in_threadpool(_read_unit, request, permission, work)
    return Response(content=body, media_type="application/json")


def _read_unit(request: Request, permission: Permission, work: ReadWork) -> bytes:
    with unit_of_work(request.app.state.session_factory, read_only=True) as session:
        return work(session, authenticated_in(request, session, permission))


def authenticated_in(request: Request, session: Session, permission: Permission) -> TenantContext:
    """The bearer's context, authenticated in `session`'s unit of work and checked for
    `permission` (401/403), for routes that run their whole unit of work in one hop."""
    settings: Settings = request.app.state.settings
    ctx = auth_service.authenticate(session, settings, bearer_token(request), origin_of(request))
    request.state.user_id = ctx.user_id
    return ensure(ctx, permission)


# The hottest reads go one step further (`pipelined_json`): the route names its reads up
# front as statements (`db/pipelined.Read`), and authentication's own read travels with
# them, so the whole unit of work is one round trip to PostgreSQL. The route's reads run
# before the live role is known, scoped (RLS and their own tenant condition) to the
# token's tenant, whose signature is checked first; if the session turns out revoked or
# the role lacks the permission, their rows are discarded and the caller gets the same
# 401/403 as from `require(...)`. Reads only: the transaction is READ ONLY.
ReadPlan = Callable[[uuid.UUID], Sequence[Read]]
RowsRender = Callable[[TenantContext, list[Rows]], bytes]


async def pipelined_json(
    request: Request, permission: Permission, plan: ReadPlan, render: RowsRender
) -> Response:
    """Authenticate the bearer and run the tenant's `plan` of reads in one round trip,
    check `permission`, and answer 200 with the JSON bytes `render` makes of the rows."""
    state = request.app.state
    claims = read_access_token(state.settings, bearer_token(request))
    reads = [auth_service.live_role_read(claims), *plan(claims.tenant_id)]
    scope = {"tenant_id": claims.tenant_id, "user_id": claims.user_id}
    pool: AsyncReads | None = getattr(state, "async_reads", None)
    own_engine = state.session_factory.kw.get("bind") is state.engine
    if pool is not None and pool.ready and own_engine:  # awaited here: no thread hop
        rows = await pool.read(reads, **scope)
    else:
        rows = await run_in_threadpool(pipelined_read, state.session_factory, reads, **scope)
    # 401 unless the live-role read found the session live, 403 unless the role allows
    # `permission`; then the route's rendering of its own rows.
    role_rows, *route_rows = rows
    ctx = auth_service.context_from(claims, role_rows, origin_of(request))
    request.state.user_id = ctx.user_id
    body = render(ensure(ctx, permission), route_rows)
    return Response(content=body, media_type="application/json")
