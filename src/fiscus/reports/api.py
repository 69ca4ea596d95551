"""JSON and file routes of /api/v1/reports: `format=json|csv|xlsx|pdf` on every report."""

from __future__ import annotations

from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Depends, Query, Response

from fiscus.core.context import TenantContext
from fiscus.reports import service
from fiscus.reports.export import export
from fiscus.reports.schemas import (
    AsOfQuery,
    BalanceSheetQuery,
    BalanceSheetRead,
    BudgetVsActualRead,
    CashFlowRead,
    Format,
    IncomeStatementQuery,
    IncomeStatementRead,
    NetWorthQuery,
    NetWorthRead,
    PeriodQuery,
    SpendingRead,
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


@router.get("/income-statement", response_model=IncomeStatementRead, responses=_FILES)
def income_statement(
    ctx: Reader, session: DbSession, query: Annotated[IncomeStatementQuery, Query()]
) -> Any:
    """Income and expenses of the period (default: financial year to date), net profit."""
    report = service.income_statement(
        session, ctx, date_from=query.date_from, date_to=query.date_to, compare=query.compare
    )
    return reply(report, query.format)


@router.get("/balance-sheet", response_model=BalanceSheetRead, responses=_FILES)
def balance_sheet(
    ctx: Reader, session: DbSession, query: Annotated[BalanceSheetQuery, Query()]
) -> Any:
    """Assets, liabilities and equity (with earnings not yet closed) at `as_of`."""
    report = service.balance_sheet(session, ctx, as_of=query.as_of, compare=query.compare)
    return reply(report, query.format)


@router.get("/cash-flow", response_model=CashFlowRead, responses=_FILES)
def cash_flow(ctx: Reader, session: DbSession, query: Annotated[PeriodQuery, Query()]) -> Any:
    """Cash and bank accounts: opening, inflows, outflows, transfers, closing."""
    report = service.cash_flow(session, ctx, date_from=query.date_from, date_to=query.date_to)
    return reply(report, query.format)


@router.get("/spending-by-category", response_model=SpendingRead, responses=_FILES)
def spending_by_category(
    ctx: Reader, session: DbSession, query: Annotated[PeriodQuery, Query()]
) -> Any:
    """Each expense category's spending in the period and its share of the total."""
    report = service.spending_by_category(
        session, ctx, date_from=query.date_from, date_to=query.date_to
    )
    return reply(report, query.format)


@router.get("/net-worth", response_model=NetWorthRead, responses=_FILES)
def net_worth(ctx: Reader, session: DbSession, query: Annotated[NetWorthQuery, Query()]) -> Any:
    """Assets, liabilities and net worth at the end of every interval of the period."""
    report = service.net_worth(
        session, ctx, date_from=query.date_from, date_to=query.date_to, interval=query.interval
    )
    return reply(report, query.format)


@router.get("/budget-vs-actual", response_model=BudgetVsActualRead, responses=_FILES)
def budget_vs_actual(
    ctx: Reader, session: DbSession, query: Annotated[PeriodQuery, Query()]
) -> Any:
    """Every active spending limit's budget for the period against what was spent."""
    report = service.budget_vs_actual(
        session, ctx, date_from=query.date_from, date_to=query.date_to
    )
    return reply(report, query.format)
