"""JSON routes of /api/v1/accounts and /api/v1/categories."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from fiscus.core.clock import utcnow
from fiscus.core.context import TenantContext
from fiscus.core.money import Money
from fiscus.db.pipelined import Read, Rows
from fiscus.ledger import merge, service
from fiscus.ledger.schemas import (
    AccountCreate,
    AccountRead,
    AccountType,
    AccountUpdate,
    BalanceRead,
    CategoryCreate,
    CategoryMerge,
    CategoryMergeResult,
    CategoryNode,
    TemplateApplied,
    TemplateRead,
)
from fiscus.ledger.templates import TEMPLATES
from fiscus.tenancy import service as tenancy_service
from fiscus.tenancy.permissions import Permission
from fiscus.web.deps import DbSession, pipelined_json, require
from fiscus.web.rendered import Versioned, versioned_json

accounts = APIRouter(prefix="/api/v1/accounts", tags=["accounts"])
categories = APIRouter(prefix="/api/v1/categories", tags=["categories"])

Reader = Annotated[TenantContext, Depends(require(Permission.DATA_READ))]
Writer = Annotated[TenantContext, Depends(require(Permission.DATA_WRITE))]


# The account list and the balance are hot reads: `pipelined_json` (authentication and
# the reads in one round trip) and JSON rendered once from the models; the account list's
# JSON is rendered again only when one of the tenant's accounts changed (`versioned_json`).
@accounts.get("", response_model=list[AccountRead])
async def list_accounts(
    request: Request,
    type: Annotated[list[AccountType] | None, Query()] = None,
    include_archived: bool = False,
    include_hidden: bool = True,
) -> Response:
    types = tuple(sorted(set(type))) if type else None

    def plan(tenant_id: uuid.UUID) -> list[Read]:
        return [
            service.account_list_read(
                tenant_id,
                types=types,
                include_archived=include_archived,
                include_hidden=include_hidden,
            )
        ]

    def render(_ctx: TenantContext, rows: list[Rows]) -> bytes:
        return service.accounts_json_from(rows[0])

    def versioned(tenant_id: uuid.UUID) -> Versioned:
        key = ("accounts", types, include_archived, include_hidden)
        return Versioned(key, service.account_list_version_read(tenant_id))

    return await versioned_json(request, Permission.DATA_READ, plan, render, versioned)


@accounts.post("", status_code=status.HTTP_201_CREATED)
def create_account(body: AccountCreate, ctx: Writer, session: DbSession) -> AccountRead:
    return service.account_read(service.create_account(session, ctx, body))


@accounts.get("/{account_id}")
def get_account(account_id: uuid.UUID, ctx: Reader, session: DbSession) -> AccountRead:
    return service.account_read(service.get_account(session, ctx, account_id))


@accounts.get("/{account_id}/balance", response_model=BalanceRead)
async def account_balance(
    request: Request, account_id: uuid.UUID, date: dt.date | None = None
) -> Response:
    """Balance in the account's natural sign at the end of `date` (default: the tenant's today)."""
    if date is not None:  # authentication and the balance in one round trip
        on = date

        def plan(tenant_id: uuid.UUID) -> list[Read]:
            return [service.account_balance_read(tenant_id, account_id, on)]

        def render(_ctx: TenantContext, rows: list[Rows]) -> bytes:
            return _balance_json(account_id, on, service.account_balance_from(rows[0]))

        return await pipelined_json(request, Permission.DATA_READ, plan, render)
    # The tenant's today is the day before, of or after today in UTC (time zones lie
    # within a day of it): the balances at all three are read with the tenant's time
    # zone in the same round trip, and the one of its today is answered.
    now = utcnow()
    days = [now.date() + dt.timedelta(days=shift) for shift in (-1, 0, 1)]

    def plan_today(tenant_id: uuid.UUID) -> list[Read]:
        balances = [service.account_balance_read(tenant_id, account_id, day) for day in days]
        return [tenancy_service.timezone_read(tenant_id), *balances]

    def render_today(_ctx: TenantContext, rows: list[Rows]) -> bytes:
        today = tenancy_service.today_from(rows[0], now)
        balance = rows[1 + days.index(today)]
        return _balance_json(account_id, today, service.account_balance_from(balance))

    return await pipelined_json(request, Permission.DATA_READ, plan_today, render_today)


def _balance_json(account_id: uuid.UUID, on: dt.date, money: Money) -> bytes:
    read = BalanceRead(
        account_id=account_id, date=on, balance=money.to_json(), currency=money.currency
    )
    return read.model_dump_json().encode()


@accounts.patch("/{account_id}")
def update_account(
    account_id: uuid.UUID, body: AccountUpdate, ctx: Writer, session: DbSession
) -> AccountRead:
    return service.account_read(service.update_account(session, ctx, account_id, body))


@accounts.delete("/{account_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_account(account_id: uuid.UUID, ctx: Writer, session: DbSession) -> None:
    service.delete_account(session, ctx, account_id)


@categories.get("")
def category_tree(
    ctx: Reader, session: DbSession, include_archived: bool = False
) -> list[CategoryNode]:
    return service.category_tree(session, ctx, include_archived=include_archived)


@categories.post("", status_code=status.HTTP_201_CREATED)
def create_category(body: CategoryCreate, ctx: Writer, session: DbSession) -> AccountRead:
    data = AccountCreate(**body.model_dump())
    return service.account_read(service.create_account(session, ctx, data))


@categories.post("/merge")
def merge_categories(body: CategoryMerge, ctx: Writer, session: DbSession) -> CategoryMergeResult:
    """Move every posting and sub-category of the source to the target, then delete it."""
    return merge.merge_categories(session, ctx, source_id=body.source_id, target_id=body.target_id)


@categories.get("/templates")
def list_templates(ctx: Reader) -> list[TemplateRead]:
    return [
        TemplateRead(key=t.key, name=t.name, description=t.description, categories=t.count())
        for t in TEMPLATES.values()
    ]


@categories.post("/templates/{key}/apply", status_code=status.HTTP_201_CREATED)
def apply_template(key: str, ctx: Writer, session: DbSession) -> TemplateApplied:
    return TemplateApplied(template=key, created=service.apply_template(session, ctx, key))


@categories.get("/{category_id}")
def get_category(category_id: uuid.UUID, ctx: Reader, session: DbSession) -> AccountRead:
    return service.account_read(service.get_category(session, ctx, category_id))


@categories.patch("/{category_id}")
def update_category(
    category_id: uuid.UUID, body: AccountUpdate, ctx: Writer, session: DbSession
) -> AccountRead:
    service.get_category(session, ctx, category_id)
    return service.account_read(service.update_account(session, ctx, category_id, body))


@categories.delete("/{category_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_category(
    category_id: uuid.UUID,
    ctx: Writer,
    session: DbSession,
    reassign_to: Annotated[
        uuid.UUID | None, Query(description="category to move its postings and children to")
    ] = None,
) -> None:
    merge.delete_category(session, ctx, category_id, reassign_to=reassign_to)
