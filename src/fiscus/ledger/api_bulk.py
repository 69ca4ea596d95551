"""JSON route of POST /api/v1/transactions/bulk."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from fiscus.core.context import TenantContext
from fiscus.ledger import bulk as service
from fiscus.ledger.schemas_transactions import BulkRequest, BulkResult
from fiscus.tenancy.permissions import Permission
from fiscus.web.deps import DbSession, require

router = APIRouter(prefix="/api/v1/transactions", tags=["transactions"])

Writer = Annotated[TenantContext, Depends(require(Permission.DATA_WRITE))]


@router.post("/bulk")
def bulk_action(body: BulkRequest, ctx: Writer, session: DbSession) -> BulkResult:
    """Categorise, tag, untag, set the status of, delete or restore many transactions at
    once: all of them, or (naming the ones in the way) none."""
    return service.bulk_apply(session, ctx, body)
