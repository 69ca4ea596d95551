"""Hot reads rendered once per version of their rows (PostgreSQL's asyncio pool only).

Some hot reads change rarely and are large to render: the account list is read on every
page of every client, changes when an account does, and costs ~1 ms of the server's CPU
per request to load and render 70 accounts (docs/performance.md, "The account list
rendered once per version"). Such a route names, besides its reads, a *version read*:
one value that changes whenever any row its JSON is made of changes. On PostgreSQL that
is a digest of the rows' ids and `xmin` (the id of the transaction that wrote each row
version: every insert and update writes a new one, a delete removes the row, and no
transaction id is reused), so two equal digests mean the very same row versions, and a
body rendered from them is still exact. Nothing is invalidated by hand: a write needs no
hook, and a write of another process or server is seen like one of this process.

Each request still authenticates in the same round trip (the session's liveness and the
member's current role are read every time), and the key holds the token's tenant, so a
body is only ever served to a caller of the tenant whose rows made it. A request whose
key has no body yet sends the version read and the route's reads together (one round
trip, as before); one whose body is current sends only the version read; one whose
version moved reads the rows in a second round trip, after the permission check. The
rows of that second trip may be newer than the version read before them: they are
stored under the older version, which the next request no longer sees, so it reads them
again, and a body is never served for rows other than its own.

SQLite (no asyncio pool) and apps bound to one connection (the tests' rolled-back
transactions) read and render every time, as `deps.pipelined_json` does.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from fastapi import Request, Response

from fiscus.auth import service as auth_service
from fiscus.auth.tokens import read_access_token
from fiscus.db.pipelined import AsyncReads, Read
from fiscus.tenancy.permissions import Permission
from fiscus.web.deps import ReadPlan, RowsRender, bearer_token, ensure, origin_of, pipelined_json

MAX_BODIES = 512  # per server process: one per tenant and query, LRU
MAX_BODY_BYTES = 1 << 20  # a larger body is rendered every time


@dataclass(frozen=True, slots=True)
class Versioned:
    """What a route's body depends on besides its tenant's rows (`key`: the route and its
    query), and the read of those rows' version (one row, one value)."""

    key: tuple[Hashable, ...]
    version: Read


VersionPlan = Callable[[uuid.UUID], Versioned]


class RenderedBodies:
    """The last body rendered per (tenant, key), with the version it was rendered at."""

    def __init__(self, max_bodies: int = MAX_BODIES) -> None:
        self._max = max_bodies
        self._bodies: OrderedDict[tuple[Hashable, ...], tuple[object, bytes]] = OrderedDict()

    def get(self, key: tuple[Hashable, ...]) -> tuple[object, bytes] | None:
        found = self._bodies.get(key)
        if found is not None:
            self._bodies.move_to_end(key)
        return found

    def put(self, key: tuple[Hashable, ...], version: object, body: bytes) -> None:
        if len(body) > MAX_BODY_BYTES:
            self._bodies.pop(key, None)
            return
        self._bodies[key] = (version, body)
        self._bodies.move_to_end(key)
        while len(self._bodies) > self._max:
            self._bodies.popitem(last=False)

    def __len__(self) -> int:
        return len(self._bodies)


async def versioned_json(
    request: Request,
    permission: Permission,
    plan: ReadPlan,
    render: RowsRender,
    versioned: VersionPlan,
) -> Response:
    """`pipelined_json`, its body rendered again only when the version read changes."""
    state = request.app.state
    pool: AsyncReads | None = getattr(state, "async_reads", None)
    bodies: RenderedBodies | None = getattr(state, "rendered_bodies", None)
    own_engine = state.session_factory.kw.get("bind") is state.engine
    if pool is None or not pool.ready or not own_engine or bodies is None:
        return await pipelined_json(request, permission, plan, render)
    claims = read_access_token(state.settings, bearer_token(request))
    of_tenant = versioned(claims.tenant_id)
    key = (claims.tenant_id, *of_tenant.key)
    known = bodies.get(key)
    reads = [auth_service.live_role_read(claims), of_tenant.version]
    if known is None:
        reads += plan(claims.tenant_id)
    scope = {"tenant_id": claims.tenant_id, "user_id": claims.user_id}
    role_rows, version_rows, *route_rows = await pool.read(reads, **scope)
    ctx = auth_service.context_from(claims, role_rows, origin_of(request))
    request.state.user_id = ctx.user_id
    ensure(ctx, permission)
    version = version_rows[0][0]
    if known is not None and known[0] == version:
        body = known[1]
    else:
        if known is not None:  # rendered at another version: the rows again
            route_rows = await pool.read(plan(claims.tenant_id), **scope)
        body = render(ctx, route_rows)
        bodies.put(key, version, body)
    return Response(content=body, media_type="application/json")
