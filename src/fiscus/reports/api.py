"""JSON and file routes of /api/v1/reports: `format=json|csv|xlsx|pdf` on every report."""

from __future__ import annotations

from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Depends, Query, Response

from fiscus.core.context import TenantContext
from fiscus.reports import service
from fiscus.reports.export import export
from fiscus.reports.schemas import (
    AsOfQuery,
    Format,
    TrialBalanceRead,
)
from fiscus.reports.table import Table
from fiscus.tenancy.permissions import Permission
from fiscus.web.deps import DbSession, require

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])

Reader = Annotated[TenantContext, Depends(require(Permission.DATA_READ))]
_FILES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
            "application/pdf": {},
        },
        "description": "The report as JSON, or as a file when `format` is csv, xlsx or pdf.",
    }
}


class Tabular(Protocol):
    def to_table(self) -> Table: ...


def reply(report: Tabular, format: Format) -> Any:
    """The report itself for JSON; otherwise the exported file as a download."""
    if format == "json":
        return report
    exported = export(report.to_table(), format)
    return Response(
        exported.body,
        media_type=exported.media_type,
        headers={"Content-Disposition": exported.disposition},
    )


@router.get("/trial-balance", response_model=TrialBalanceRead, responses=_FILES)
def trial_balance(ctx: Reader, session: DbSession, query: Annotated[AsOfQuery, Query()]) -> Any:
    """Every account with a balance at `as_of` (default today) as a debit or a credit."""
    return reply(service.trial_balance(session, ctx, as_of=query.as_of), query.format)
