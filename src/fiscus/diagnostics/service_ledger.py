"""The analysis of the books' own trial balance (`POST /api/v1/diagnostics/ledger`).

The trial balance comes from the reports domain's service (base currency, one row per
account with a balance, the exchange-differences row when there is one); the ledger's
account type is the classification's `file` source, exactly like a file's type column.
Materiality: request > practice defaults (the books are not a client's file)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.diagnostics import schemas as results
from fiscus.diagnostics import service_clients, service_history
from fiscus.diagnostics.analysis import parse_materiality, parse_overrides
from fiscus.diagnostics.errors import LedgerEmpty
from fiscus.diagnostics.trial_balance import TBRow, TrialBalance
from fiscus.reports import service as reports_service

if TYPE_CHECKING:
    from fiscus.reports.schemas import TrialBalanceRead


def ledger_trial_balance(report: TrialBalanceRead) -> TrialBalance:
    """The report's rows as the normalised trial balance; line numbers count the rows."""
    rows = tuple(
        TBRow(
            line_no=index,
            number=row.code,
            name=row.name,
            debit=Decimal(row.debit),
            credit=Decimal(row.credit),
            type_hint=row.type,  # asset|liability|equity|income|expense
        )
        for index, row in enumerate(report.rows, start=1)
    )
    return TrialBalance(rows=rows, sheet=None, source_rows=len(rows), excluded=())


def analyse_ledger(
    session: Session,
    ctx: TenantContext,
    *,
    as_of: date | None,
    materiality: Any = None,
    overrides: Any = None,
) -> bytes:
    """The analysis of the books at `as_of` (default today) as JSON bytes, and its
    history row."""
    settings = service_clients.analysis_settings(session, ctx, None)
    layered, sources = service_clients.layered_materiality(materiality, settings)
    options = results.AnalysisOptions(
        materiality=parse_materiality(layered), overrides=parse_overrides(overrides)
    )
    report = reports_service.trial_balance(session, ctx, as_of=as_of)
    if not report.rows:  # never a clean-looking report of nothing
        raise LedgerEmpty(
            f"The books have no balances at {report.as_of.isoformat()}; there is nothing "
            "to analyse.",
            field="as_of",
        )
    body = results.analyse(ledger_trial_balance(report), options)
    service_history.record_analysis(
        session, ctx, body, client_id=None, source="ledger", as_of=report.as_of
    )
    body.update(
        source="ledger",
        as_of=report.as_of.isoformat(),
        currency=report.currency,
        materiality_sources=sources,
        sheets=[],
        consolidated=False,
    )
    return results.dumps(body)
