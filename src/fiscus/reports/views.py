"""The reports page: pick a report and its period, see the table (and a chart where it
helps), download it as CSV, XLSX or PDF.

The form and the result are one block: changing the report or submitting the form swaps
that block over HTMX (and pushes its URL, so a report survives a reload); without
JavaScript the same form is a plain GET. Routes translate only: parameters are checked
with the API's own query schemas and the report comes from the same service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from markupsafe import Markup
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.responses import Response

from fiscus.core.context import TenantContext
from fiscus.core.errors import InvalidInput
from fiscus.core.money import Money
from fiscus.reports import service
from fiscus.reports.export import FileFormat, export
from fiscus.reports.schemas import (
    AsOfQuery,
    BalanceSheetQuery,
    IncomeStatementQuery,
    NetWorthQuery,
    NetWorthRead,
    PeriodQuery,
    SpendingRead,
)
from fiscus.reports.table import Cell, Table
from fiscus.tenancy.permissions import Permission
from fiscus.web import charts, csrf, forms, render, shell
from fiscus.web.deps import DbSession, ensure
from fiscus.web.page_auth import PageUser

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.protect)])

Text = Annotated[str, Query()]
FIELDS = ("as_of", "from", "to", "compare", "interval")
COMPARE = {
    "none": "No comparison",
    "previous_period": "Previous period",
    "previous_year": "Previous year",
}
INTERVALS = {"day": "Day", "week": "Week", "month": "Month", "quarter": "Quarter", "year": "Year"}


@dataclass(frozen=True, slots=True)
class Kind:
    label: str
    query: type[BaseModel]
    fields: tuple[str, ...]
    build: Callable[[Session, TenantContext, Any], Any]


REPORTS: dict[str, Kind] = {
    "trial-balance": Kind(
        "Trial balance",
        AsOfQuery,
        ("as_of",),
        lambda s, c, q: service.trial_balance(s, c, as_of=q.as_of),
    ),
    "income-statement": Kind(
        "Income statement",
        IncomeStatementQuery,
        ("from", "to", "compare"),
        lambda s, c, q: service.income_statement(
            s, c, date_from=q.date_from, date_to=q.date_to, compare=q.compare
        ),
    ),
    "balance-sheet": Kind(
        "Balance sheet",
        BalanceSheetQuery,
        ("as_of", "compare"),
        lambda s, c, q: service.balance_sheet(s, c, as_of=q.as_of, compare=q.compare),
    ),
    "cash-flow": Kind(
        "Cash flow",
        PeriodQuery,
        ("from", "to"),
        lambda s, c, q: service.cash_flow(s, c, date_from=q.date_from, date_to=q.date_to),
    ),
    "spending-by-category": Kind(
        "Spending by category",
        PeriodQuery,
        ("from", "to"),
        lambda s, c, q: service.spending_by_category(
            s, c, date_from=q.date_from, date_to=q.date_to
        ),
    ),
    "budget-vs-actual": Kind(
        "Budget vs actual",
        PeriodQuery,
        ("from", "to"),
        lambda s, c, q: service.budget_vs_actual(s, c, date_from=q.date_from, date_to=q.date_to),
    ),
    "net-worth": Kind(
        "Net worth",
        NetWorthQuery,
        ("from", "to", "interval"),
        lambda s, c, q: service.net_worth(
            s, c, date_from=q.date_from, date_to=q.date_to, interval=q.interval
        ),
    ),
}


@dataclass(frozen=True, slots=True)
class CellView:
    text: str
    numeric: bool
    negative: bool = False


@dataclass(frozen=True, slots=True)
class RowView:
    cells: list[CellView]
    style: str
    depth: int


def _values(report: str, **given: str) -> dict[str, str]:
    kind = report if report in REPORTS else "trial-balance"
    values = {"report": kind, **{name: given.get(name, "").strip() for name in FIELDS}}
    # Selects always show an option: the default one unless another was chosen.
    values["compare"] = values["compare"] or "none"
    values["interval"] = values["interval"] or "month"
    return values


def _run(session: Session, ctx: TenantContext, values: dict[str, str]) -> Any:
    """The report the form asks for, or `FormInvalid` naming the fields to correct."""
    kind = REPORTS[values["report"]]
    data = {name: values[name] for name in kind.fields if values[name]}
    query = forms.parse(kind.query, data)
    with forms.domain_errors_as_form():
        return kind.build(session, ctx, query)


@router.get("/reports")
def reports_page(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    report: Text = "trial-balance",
    as_of: Text = "",
    date_from: Annotated[str, Query(alias="from")] = "",
    to: Text = "",
    compare: Text = "",
    interval: Text = "",
) -> Response:
    ensure(ctx, Permission.DATA_READ)
    values = _values(
        report, as_of=as_of, **{"from": date_from}, to=to, compare=compare, interval=interval
    )
    context: dict[str, Any] = {
        "shell": shell.load(session, ctx),
        "active": "reports",
        "values": values,
        "reports": {key: kind.label for key, kind in REPORTS.items()},
        "fields": REPORTS[values["report"]].fields,
        "compare_options": COMPARE,
        "interval_options": INTERVALS,
        "errors": {},
        "result": None,
    }
    status = 200
    try:
        result = _run(session, ctx, values)
    except forms.FormInvalid as exc:
        context["errors"], status = exc.errors, exc.status
    else:
        context["result"] = _result(result, values)
    block = "report_panel" if render.is_htmx(request) else None
    return render.render(request, "reports.html", context, status_code=status, block=block)


@router.get("/reports/export")
def export_report(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    report: Text = "trial-balance",
    format: Text = "csv",
    as_of: Text = "",
    date_from: Annotated[str, Query(alias="from")] = "",
    to: Text = "",
    compare: Text = "",
    interval: Text = "",
) -> Response:
    """The report as a download, for the page's buttons (the page's cookie session)."""
    ensure(ctx, Permission.DATA_READ)
    if format not in ("csv", "xlsx", "pdf"):
        raise InvalidInput("must be csv, xlsx or pdf", field="format")
    values = _values(
        report, as_of=as_of, **{"from": date_from}, to=to, compare=compare, interval=interval
    )
    try:
        result = _run(session, ctx, values)
    except forms.FormInvalid as exc:
        field, message = next(iter(exc.errors.items()))
        raise InvalidInput(message, field=field) from exc
    file_format: FileFormat = format  # type: ignore[assignment]
    exported = export(result.to_table(), file_format)
    response = Response(
        exported.body,
        media_type=exported.media_type,
        headers={"Content-Disposition": exported.disposition},
    )
    return render.finish(request, response)


def _result(report: Any, values: dict[str, str]) -> dict[str, Any]:
    table: Table = report.to_table()
    query = {
        k: v
        for k, v in values.items()
        if v and (k == "report" or k in REPORTS[values["report"]].fields)
    }
    return {
        "table": table,
        "rows": [_row_view(row.cells, row.style, row.depth) for row in table.rows],
        "chart": _chart(report),
        "downloads": [
            (label, "/reports/export?" + urlencode({**query, "format": fmt}))
            for fmt, label in (("csv", "CSV"), ("xlsx", "Excel"), ("pdf", "PDF"))
        ],
    }


def _row_view(cells: tuple[Cell, ...], style: str, depth: int) -> RowView:
    views = []
    for cell in cells:
        if isinstance(cell, Money):
            views.append(CellView(format(cell.amount, ",f"), True, cell.is_negative))
        elif isinstance(cell, Decimal):
            views.append(CellView(f"{cell:,f}%", True, cell < 0))
        else:
            views.append(CellView(cell or "", False))
    return RowView(views, style, min(depth, 5))


def _chart(report: Any) -> Markup | None:
    if isinstance(report, SpendingRead):
        bars = [(row.name, Decimal(row.amount)) for row in report.rows[:10]]
        return charts.bar_chart(bars, title=f"Spending by category ({report.currency})")
    if isinstance(report, NetWorthRead):

        def series(name: str, pick: Callable[[Any], str]) -> charts.Series:
            return charts.Series(
                name, [(p.date.isoformat(), Decimal(pick(p))) for p in report.points]
            )

        lines = [
            series("Net worth", lambda p: p.net_worth),
            series("Assets", lambda p: p.assets),
            series("Liabilities", lambda p: p.liabilities),
        ]
        return charts.line_chart(lines, title=f"Net worth ({report.currency})")
    return None
