"""JSON routes of balance history, the balance summary, anchors and reconciliation."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from fiscus.core.context import TenantContext
from fiscus.ledger import anchors, balance_reads, reconcile
from fiscus.ledger.schemas_balances import (
    AnchorCreate,
    AnchorRead,
    BalanceHistory,
    BalanceSummary,
    Interval,
    ReconcileRequest,
    ReconcileResult,
    ValidationReport,
)
from fiscus.tenancy import service as tenancy_service
from fiscus.tenancy.permissions import Permission
from fiscus.web.deps import DbSession, require

accounts = APIRouter(prefix="/api/v1/accounts", tags=["balances"])
balances = APIRouter(prefix="/api/v1/balances", tags=["balances"])

Reader = Annotated[TenantContext, Depends(require(Permission.DATA_READ))]
Writer = Annotated[TenantContext, Depends(require(Permission.DATA_WRITE))]


@accounts.get("/{account_id}/balance-history")
def balance_history(
    account_id: uuid.UUID,
    ctx: Reader,
    session: DbSession,
    start: Annotated[dt.date | None, Query(alias="from")] = None,
    end: Annotated[dt.date | None, Query(alias="to")] = None,
    interval: Interval = "day",
) -> BalanceHistory:
    """Balance at the end of each day, ISO week or month from `from` to `to` (both
    included; the last point is `to`), in the account's natural sign."""
    return balance_reads.balance_history(
        session, ctx, account_id, start=start, end=end, interval=interval
    )


@balances.get("/summary")
def balance_summary(ctx: Reader, session: DbSession, date: dt.date | None = None) -> BalanceSummary:
    """Every account's balance at the end of `date` (default: the tenant's today), totals
    by type and net worth in the base currency."""
    on = date or tenancy_service.today(session, ctx.tenant_id)
    return balance_reads.balance_summary(session, ctx, on)


@accounts.get("/{account_id}/anchors")
def list_anchors(account_id: uuid.UUID, ctx: Reader, session: DbSession) -> list[AnchorRead]:
    """The account's anchors by date, each with the computed balance and the difference."""
    return anchors.list_anchors(session, ctx, account_id)


@accounts.post("/{account_id}/anchors", status_code=status.HTTP_201_CREATED)
def create_anchor(
    account_id: uuid.UUID, body: AnchorCreate, ctx: Writer, session: DbSession
) -> AnchorRead:
    return anchors.create_anchor(session, ctx, account_id, body)


@accounts.delete("/{account_id}/anchors/{anchor_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_anchor(
    account_id: uuid.UUID, anchor_id: uuid.UUID, ctx: Writer, session: DbSession
) -> None:
    anchors.delete_anchor(session, ctx, account_id, anchor_id)


@accounts.post("/{account_id}/reconcile")
def reconcile_account(
    account_id: uuid.UUID, body: ReconcileRequest, ctx: Writer, session: DbSession
) -> ReconcileResult:
    """Compare a statement balance with the cleared balance; mark, anchor, maybe adjust."""
    return reconcile.reconcile(session, ctx, account_id, body)


@balances.get("/validate")
def validate_anchors(ctx: Reader, session: DbSession) -> ValidationReport:
    """Every anchor whose computed balance differs from it, and how many were checked."""
    return anchors.validate_anchors(session, ctx)
