"""Query parameters of the report endpoints, and the reports they return (JSON).

Each report can also turn itself into a `Table` (`to_table`), which the exporter layer
writes as CSV, XLSX or PDF. Money is a decimal string here, in the tenant's base currency.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from fiscus.core.money import Money
from fiscus.reports.dates import Interval
from fiscus.reports.table import Cell, Column, Row, Table

Format = Literal["json", "csv", "xlsx", "pdf"]
Compare = Literal["none", "previous_period", "previous_year"]
# Far enough for any real books, near enough that "the day before" always exists.
EARLIEST, LATEST = date(1900, 1, 2), date(2999, 12, 31)
ReportDate = Field(default=None, ge=EARLIEST, le=LATEST, description="YYYY-MM-DD")


class AsOfQuery(BaseModel):
    as_of: date | None = ReportDate
    format: Format = "json"


class BalanceSheetQuery(AsOfQuery):
    compare: Compare = "none"


class PeriodQuery(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    date_from: date | None = Field(default=None, alias="from", ge=EARLIEST, le=LATEST)
    date_to: date | None = Field(default=None, alias="to", ge=EARLIEST, le=LATEST)
    format: Format = "json"


class IncomeStatementQuery(PeriodQuery):
    compare: Compare = "none"


class NetWorthQuery(PeriodQuery):
    interval: Interval = "month"


def money(text: str | None, currency: str) -> Money | None:
    return None if text is None else Money(Decimal(text), currency)


class _Period(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    date_from: date = Field(alias="from")
    date_to: date = Field(alias="to")
    currency: str

    def period_text(self) -> str:
        return f"{self.date_from.isoformat()} to {self.date_to.isoformat()} · {self.currency}"


# --- trial balance -------------------------------------------------------------------


class TrialBalanceRow(BaseModel):
    account_id: uuid.UUID | None
    code: str | None
    name: str
    type: str
    debit: str
    credit: str


class TrialBalanceRead(BaseModel):
    as_of: date
    currency: str
    rows: list[TrialBalanceRow]
    total_debits: str
    total_credits: str

    def to_table(self) -> Table:
        c = self.currency
        rows = [
            Row((r.code or "", r.name, r.type, money(r.debit, c), money(r.credit, c)))
            for r in self.rows
        ]
        totals = ("", "Total", "", money(self.total_debits, c), money(self.total_credits, c))
        rows.append(Row(totals, style="total"))
        return Table(
            title="Trial balance",
            subtitle=f"As of {self.as_of.isoformat()} · {c}",
            filename=f"trial-balance-{self.as_of.isoformat()}",
            columns=(
                Column("Code"),
                Column("Name"),
                Column("Type"),
                Column("Debit", "money"),
                Column("Credit", "money"),
            ),
            rows=rows,
        )


# --- income statement and balance sheet ------------------------------------------------


class Figure(BaseModel):
    """An amount, and when a comparison was asked for, the earlier amount and the change."""

    amount: str
    compare_amount: str | None = None
    change: str | None = None
    change_percent: str | None = None

    def cells(self, currency: str, compared: bool) -> tuple[Cell, ...]:
        now = (money(self.amount, currency),)
        if not compared:
            return now
        percent = None if self.change_percent is None else Decimal(self.change_percent)
        return (
            *now,
            money(self.compare_amount, currency),
            money(self.change, currency),
            percent,
        )


class StatementLine(Figure):
    account_id: uuid.UUID | None
    code: str | None
    name: str
    depth: int  # place in the account tree; a parent's amount includes its children


class StatementSection(BaseModel):
    key: str
    name: str
    lines: list[StatementLine]
    total: Figure


def _statement_columns(compared: bool, label: str) -> tuple[Column, ...]:
    columns: tuple[Column, ...] = (Column("Account"), Column("Amount", "money"))
    if compared:
        columns += (
            Column(label, "money"),
            Column("Change", "money"),
            Column("Change %", "percent"),
        )
    return columns


def _section_rows(section: StatementSection, currency: str, compared: bool) -> list[Row]:
    rows = [Row((section.name, *([None] * (4 if compared else 1))), style="heading")]
    for line in section.lines:
        rows.append(Row((line.name, *line.cells(currency, compared)), depth=line.depth + 1))
    rows.append(
        Row(
            (f"Total {section.name.lower()}", *section.total.cells(currency, compared)),
            style="subtotal",
        )
    )
    return rows


class IncomeStatementRead(_Period):
    compare: Compare
    compare_from: date | None
    compare_to: date | None
    income: StatementSection
    expenses: StatementSection
    net_profit: Figure

    def to_table(self) -> Table:
        compared = self.compare != "none"
        c = self.currency
        rows = _section_rows(self.income, c, compared) + _section_rows(self.expenses, c, compared)
        rows.append(Row(("Net profit", *self.net_profit.cells(c, compared)), style="total"))
        subtitle = self.period_text()
        if compared and self.compare_from and self.compare_to:
            subtitle += f" · compared with {self.compare_from} to {self.compare_to}"
        return Table(
            title="Income statement",
            subtitle=subtitle,
            filename=f"income-statement-{self.date_from}-{self.date_to}",
            columns=_statement_columns(compared, "Previous"),
            rows=rows,
        )


class BalanceSheetRead(BaseModel):
    as_of: date
    currency: str
    compare: Compare
    compare_as_of: date | None
    assets: StatementSection
    liabilities: StatementSection
    equity: StatementSection
    liabilities_and_equity: Figure

    def to_table(self) -> Table:
        compared = self.compare != "none"
        c = self.currency
        rows = (
            _section_rows(self.assets, c, compared)
            + _section_rows(self.liabilities, c, compared)
            + _section_rows(self.equity, c, compared)
        )
        total = self.liabilities_and_equity.cells(c, compared)
        rows.append(Row(("Total liabilities and equity", *total), style="total"))
        subtitle = f"As of {self.as_of} · {c}"
        if compared and self.compare_as_of:
            subtitle += f" · compared with {self.compare_as_of}"
        return Table(
            title="Balance sheet",
            subtitle=subtitle,
            filename=f"balance-sheet-{self.as_of}",
            columns=_statement_columns(compared, str(self.compare_as_of or "Previous")),
            rows=rows,
        )


# --- cash flow -------------------------------------------------------------------------


class FlowLine(BaseModel):
    account_id: uuid.UUID | None
    code: str | None
    name: str
    amount: str


class FlowGroup(BaseModel):
    lines: list[FlowLine]
    total: str


class CashAccount(BaseModel):
    account_id: uuid.UUID
    name: str
    opening: str
    closing: str


class CashFlowRead(_Period):
    accounts: list[CashAccount]
    opening: str
    inflows: FlowGroup
    outflows: FlowGroup
    transfers_in: FlowGroup
    transfers_out: FlowGroup
    exchange_effect: str
    net_change: str
    closing: str

    def to_table(self) -> Table:
        c = self.currency
        rows = [Row(("Opening balance", money(self.opening, c)), style="subtotal")]
        groups = (
            ("Inflows", self.inflows),
            ("Outflows", self.outflows),
            ("Transfers in", self.transfers_in),
            ("Transfers out", self.transfers_out),
        )
        for name, group in groups:
            rows.append(Row((name, None), style="heading"))
            rows += [Row((line.name, money(line.amount, c)), depth=1) for line in group.lines]
            rows.append(Row((f"Total {name.lower()}", money(group.total, c)), style="subtotal"))
        if Decimal(self.exchange_effect):
            rows.append(Row(("Exchange-rate effect", money(self.exchange_effect, c))))
        rows.append(Row(("Net change", money(self.net_change, c)), style="subtotal"))
        rows.append(Row(("Closing balance", money(self.closing, c)), style="total"))
        return Table(
            title="Cash flow",
            subtitle=self.period_text(),
            filename=f"cash-flow-{self.date_from}-{self.date_to}",
            columns=(Column("Item"), Column("Amount", "money")),
            rows=rows,
        )


# --- spending by category and net worth -------------------------------------------------


class SpendingRow(BaseModel):
    account_id: uuid.UUID
    code: str | None
    name: str
    amount: str
    share: str | None  # percent of total spending, 2 decimals; None when the total is zero


class SpendingRead(_Period):
    rows: list[SpendingRow]
    total: str

    def to_table(self) -> Table:
        c = self.currency
        rows = [
            Row((r.name, money(r.amount, c), None if r.share is None else Decimal(r.share)))
            for r in self.rows
        ]
        rows.append(Row(("Total", money(self.total, c), None), style="total"))
        return Table(
            title="Spending by category",
            subtitle=self.period_text(),
            filename=f"spending-by-category-{self.date_from}-{self.date_to}",
            columns=(Column("Category"), Column("Amount", "money"), Column("Share %", "percent")),
            rows=rows,
        )


class NetWorthPoint(BaseModel):
    date: date
    assets: str
    liabilities: str
    net_worth: str


class NetWorthRead(_Period):
    interval: Interval
    points: list[NetWorthPoint]

    def to_table(self) -> Table:
        c = self.currency
        rows = [
            Row(
                (
                    p.date.isoformat(),
                    money(p.assets, c),
                    money(p.liabilities, c),
                    money(p.net_worth, c),
                )
            )
            for p in self.points
        ]
        return Table(
            title="Net worth",
            subtitle=f"{self.period_text()} · every {self.interval}",
            filename=f"net-worth-{self.date_from}-{self.date_to}",
            columns=(
                Column("Date", "date"),
                Column("Assets", "money"),
                Column("Liabilities", "money"),
                Column("Net worth", "money"),
            ),
            rows=rows,
        )


# --- budget vs actual ------------------------------------------------------------------


class BudgetRow(BaseModel):
    goal_id: uuid.UUID
    goal_name: str
    category_id: uuid.UUID
    category_name: str
    period: str  # the goal's period length: monthly, quarterly or yearly
    budget: str
    actual: str
    variance: str  # budget - actual: positive is under budget
    used_percent: str | None  # actual / budget in percent, 2 decimals; None for a zero budget


class BudgetVsActualRead(_Period):
    rows: list[BudgetRow]
    total_budget: str
    total_actual: str
    total_variance: str

    def to_table(self) -> Table:
        c = self.currency
        rows = [
            Row(
                (
                    r.goal_name,
                    r.category_name,
                    money(r.budget, c),
                    money(r.actual, c),
                    money(r.variance, c),
                    None if r.used_percent is None else Decimal(r.used_percent),
                )
            )
            for r in self.rows
        ]
        totals = (
            "Total",
            "",
            money(self.total_budget, c),
            money(self.total_actual, c),
            money(self.total_variance, c),
            None,
        )
        rows.append(Row(totals, style="total"))
        return Table(
            title="Budget vs actual",
            subtitle=self.period_text(),
            filename=f"budget-vs-actual-{self.date_from}-{self.date_to}",
            columns=(
                Column("Budget"),
                Column("Category"),
                Column("Budgeted", "money"),
                Column("Actual", "money"),
                Column("Variance", "money"),
                Column("Used %", "percent"),
            ),
            rows=rows,
        )
