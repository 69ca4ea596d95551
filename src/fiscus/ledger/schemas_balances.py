"""Request and response shapes of balance history, summary, exchange rates, anchors and
reconciliation."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from fiscus.ledger.schemas import AccountType, Subtype

Interval = Literal["day", "week", "month"]
Amount = Annotated[str, Field(max_length=40, description='decimal string, e.g. "1234.56"')]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class HistoryPoint(BaseModel):
    date: date
    balance: str


class BalanceHistory(BaseModel):
    account_id: uuid.UUID
    currency: str
    interval: Interval
    points: list[HistoryPoint]


class AccountBalance(BaseModel):
    id: uuid.UUID
    name: str
    type: AccountType
    subtype: Subtype
    currency: str
    balance: str
    base_balance: str | None = Field(description="null when no exchange rate is in effect")
    is_hidden: bool
    is_archived: bool


class TypeTotals(BaseModel):
    asset: str
    liability: str
    equity: str
    income: str
    expense: str


class BalanceSummary(BaseModel):
    date: date
    base_currency: str
    accounts: list[AccountBalance]
    totals: TypeTotals
    net_worth: str
    missing_rates: list[str]


class ExchangeRateCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    effective_on: date
    rate: Annotated[
        str, Field(max_length=40, description="base-currency units per unit, e.g. 1.5234")
    ]


class ExchangeRateRead(BaseModel):
    id: uuid.UUID
    currency: str
    effective_on: date
    rate: str
    created_at: datetime


class AnchorCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: date
    balance: Amount
    description: Description | None = None


class AnchorRead(BaseModel):
    id: uuid.UUID
    account_id: uuid.UUID
    date: date
    balance: str
    computed_balance: str
    difference: str = Field(description="balance minus computed_balance")
    currency: str
    description: str | None
    source: Literal["manual", "reconcile"]
    created_at: datetime


class AnchorValidation(BaseModel):
    anchor_id: uuid.UUID
    account_id: uuid.UUID
    account_name: str
    date: date
    currency: str
    expected: str
    computed: str
    difference: str = Field(description="expected minus computed")


class ValidationReport(BaseModel):
    checked: int
    mismatched: int
    items: list[AnchorValidation]


class ReconcileRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: date
    statement_balance: Amount
    adjust: bool = False
    adjustment_account_id: uuid.UUID | None = None


class ReconcileResult(BaseModel):
    account_id: uuid.UUID
    date: date
    currency: str
    computed_balance: str = Field(
        description="cleared and reconciled postings, before any adjustment"
    )
    statement_balance: str
    difference: str = Field(description="statement_balance minus computed_balance")
    reconciled_count: int
    anchor: AnchorRead
    adjustment_transaction_id: uuid.UUID | None
