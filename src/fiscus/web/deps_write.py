"""The hot JSON write path: one thread-pool hop for authenticate + write + commit.

`write_json` is `web/deps.read_json` for a write (`POST /api/v1/transactions`): the same
authentication (the session's liveness and the member's current role read on every
request) and permission check as `require(...)` + `DbSession`, but the unit of work
(authenticate, parse the body, write, commit, close) runs in ONE thread-pool hop instead
of three (the authentication dependency, the route, the end of the unit of work), the
body is read once and validated once by the route's own parser (`model_validate_json`
of the form, not FastAPI's `dict` first), and the route renders its JSON itself.

The errors are those FastAPI gives a route declaring the body as `dict[str, Any]`
(measured and tested in tests/web/test_deps_write.py against such a route):

1. a body that is not JSON (with a JSON content type) is a 422 `json_invalid`, even for
   a caller that is not authenticated (FastAPI decodes the body before the dependencies
   run): here it is checked when authentication fails, so a valid request pays nothing;
2. then 401 / 403 from authentication and the permission;
3. then the route's own validation (`JsonBody.as_dict` gives the body exactly as
   FastAPI's `dict[str, Any]` would, with its errors, for the slow path of a bad body);
4. then the write's domain errors, which roll back (or keep their changes) as from a
   route.
"""

from __future__ import annotations

import email.message
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import HTTPException, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from fiscus.auth import service as auth_service
from fiscus.auth.tokens import InvalidToken, read_access_token
from fiscus.core.context import TenantContext
from fiscus.db.pipelined import AsyncReads, Read, Rows
from fiscus.db.session import unit_of_work
from fiscus.tenancy.permissions import Permission
from fiscus.web.deps import authenticated_in, bearer_token, ensure, origin_of

Form = TypeVar("Form")
Errors = list[dict[str, Any]]

_ANY_DICT: TypeAdapter[dict[str, Any]] = TypeAdapter(dict[str, Any])


@dataclass(frozen=True, slots=True)
class JsonBody:
    """A request's body as read once: its bytes, and whether FastAPI would decode them as
    JSON (a JSON content type, `application/json` or `application/*+json`, and a
    non-empty body)."""

    raw: bytes
    is_json: bool

    def decoded(self) -> Any:
        """The JSON value; a body that does not decode raises FastAPI's 422."""
        try:
            return json.loads(self.raw)
        except json.JSONDecodeError as exc:
            error = {
                "type": "json_invalid",
                "loc": ("body", exc.pos),
                "msg": "JSON decode error",
                "input": {},
                "ctx": {"error": exc.msg},
            }
            raise RequestValidationError([error], body=exc.doc) from exc
        except UnicodeDecodeError as exc:  # FastAPI answers 400 for a body it cannot read
            raise HTTPException(400, "There was an error parsing the body") from exc

    def as_dict(self) -> tuple[dict[str, Any], Errors]:
        """The body as FastAPI validates a required `dict[str, Any]` body: the dict, or
        the errors it reports (loc starting with "body"). Decoding errors raise."""
        if not self.raw:
            return {}, [
                {"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}
            ]
        value: Any = self.decoded() if self.is_json else self.raw
        try:
            return _ANY_DICT.validate_python(value), []
        except ValidationError as exc:
            return {}, [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]

    def check_decodes(self) -> None:
        """Raise FastAPI's 422 if this is a JSON body that does not decode."""
        if self.is_json:
            self.decoded()


def _is_json(content_type: str | None) -> bool:
    # FastAPI's own rule (strict content type): no content type is not JSON.
    if not content_type:
        return False
    message = email.message.Message()
    message["content-type"] = content_type
    if message.get_content_maintype() != "application":
        return False
    subtype = message.get_content_subtype()
    return subtype == "json" or subtype.endswith("+json")


async def read_body(request: Request) -> JsonBody:
    try:
        raw = await request.body()
    except HTTPException:
        raise
    except Exception as exc:  # a client that went away mid-body: as FastAPI does
        raise HTTPException(400, "There was an error parsing the body") from exc
    return JsonBody(raw, bool(raw) and _is_json(request.headers.get("content-type")))


def header_errors(name: str, value: str | None, adapter: TypeAdapter[Any]) -> Errors:
    """A header parameter validated as FastAPI does (`Header(alias=name, ...)`)."""
    if value is None:
        return []
    try:
        adapter.validate_python(value)
    except ValidationError as exc:
        return [{**e, "loc": ("header", name, *e["loc"])} for e in exc.errors()]
    return []


Parse = Callable[[Request, JsonBody], Form]
WriteWork = Callable[[Session, TenantContext, Form], bytes]


async def write_json(
    request: Request,
    permission: Permission,
    parse: Parse[Form],
    work: WriteWork[Form],
    *,
    status_code: int = 201,
) -> Response:
    """Authenticate the bearer, check `permission`, `parse` the body, run `work` in a
    unit of work that commits on success, and answer `status_code` with the JSON bytes
    `work` returns. Errors are raised in the order of the module docstring; `parse`
    raises `RequestValidationError` for a bad body."""
    body = await read_body(request)
    content = await run_in_threadpool(_write_unit, request, body, permission, parse, work)
    return Response(content=content, status_code=status_code, media_type="application/json")


def _write_unit(
    request: Request,
    body: JsonBody,
    permission: Permission,
    parse: Parse[Form],
    work: WriteWork[Form],
) -> bytes:
    with unit_of_work(request.app.state.session_factory) as session:
        try:
            ctx = authenticated_in(request, session, permission)
        except Exception:
            body.check_decodes()  # FastAPI decodes the body before it authenticates
            raise
        return work(session, ctx, parse(request, body))


# The hottest write goes one step further (`pipelined_write`), as `deps.pipelined_json`
# does for reads: the route names its reads up front, authentication's live-role read
# travels with them in one pipeline, the route decides its write from the rows, and the
# write's statements and COMMIT go as a second pipeline. Both on the asyncio pool: no
# thread-pool hop, no Session; one connection and one transaction, so a decision not to
# write is a ROLLBACK. The route falls back to `write_json` whenever this answers None,
# having written nothing.
WritePlan = Callable[[uuid.UUID], Sequence[Read]]
WriteDecision = Callable[[TenantContext, list[Rows]], tuple[Sequence[Read], bytes] | None]


async def pipelined_write(
    request: Request,
    permission: Permission,
    plan: WritePlan,
    decide: WriteDecision,
    *,
    status_code: int = 201,
) -> Response | None:
    """Authenticate the bearer and run the tenant's `plan` of reads in one round trip,
    check `permission`, let `decide` turn the rows into the write's statements and the
    response's JSON, and run those statements and COMMIT in a second round trip, in the
    same transaction.

    None, having written nothing, when there is no asyncio pool for this app, the
    database is not UTF-8, the bearer's token is not valid (`write_json` reports it in
    its order), or `decide` declines. 401/403 and `decide`'s own errors are raised."""
    state = request.app.state
    pool: AsyncReads | None = getattr(state, "async_reads", None)
    own_engine = state.session_factory.kw.get("bind") is state.engine
    if pool is None or not pool.ready or not pool.utf8 or not own_engine:
        return None
    try:
        claims = read_access_token(state.settings, bearer_token(request))
    except InvalidToken:
        return None
    reads = [auth_service.live_role_read(claims), *plan(claims.tenant_id)]
    async with pool.write_unit(tenant_id=claims.tenant_id, user_id=claims.user_id) as unit:
        role_rows, *route_rows = await unit.read(reads)
        ctx = ensure(auth_service.context_from(claims, role_rows, origin_of(request)), permission)
        request.state.user_id = ctx.user_id
        decided = decide(ctx, route_rows)
        if decided is None:
            return None
        writes, content = decided
        await unit.commit(writes)
    return Response(content=content, status_code=status_code, media_type="application/json")
