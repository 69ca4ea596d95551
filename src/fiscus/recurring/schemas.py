"""Request and response shapes of recurring series and the balance forecast."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

SeriesStatus = Literal["suggested", "confirmed", "dismissed"]
CadenceName = Literal["weekly", "fortnightly", "monthly", "quarterly", "yearly"]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Amount = Annotated[
    str, Field(description='decimal string, money in positive: "-15.99"', max_length=32)
]


class SeriesFlags(BaseModel):
    missed: bool = Field(description="the expected date plus the tolerance has passed unpaid")
    amount_changed: bool = Field(description="the latest amount differs from the stable one")
    previous_amount: str | None = Field(description="the stable amount before the change")


class SeriesRead(BaseModel):
    id: uuid.UUID
    status: SeriesStatus
    name: str
    payee: str
    cadence: CadenceName
    account_id: uuid.UUID
    account_name: str
    category_id: uuid.UUID | None
    category_name: str | None
    currency: str
    expected_amount: str = Field(description="signed from the account's view: out is negative")
    expected_on: date = Field(description="the next expected date")
    last_seen_on: date
    occurrences: int
    confidence: str = Field(description="0.00 to 1.00")
    amount_spread: str = Field(description="standard deviation of recent amounts")
    edited: list[str] = Field(description="fields the user set, which detection keeps")
    flags: SeriesFlags
    created_at: datetime
    updated_at: datetime


class OccurrenceRead(BaseModel):
    transaction_id: uuid.UUID
    date: date
    amount: str


class SeriesDetail(SeriesRead):
    history: list[OccurrenceRead]


class SeriesUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    cadence: CadenceName | None = None
    expected_amount: Amount | None = None
    expected_on: date | None = None


class DetectResult(BaseModel):
    found: int = Field(description="series the detection found in the books")
    created: int = Field(description="new suggestions")
    updated: int = Field(description="existing series refreshed")
    skipped_dismissed: int = Field(description="found again but dismissed earlier: left alone")


class ForecastPoint(BaseModel):
    date: date
    balance: str
    low: str
    high: str


class AccountForecast(BaseModel):
    account_id: uuid.UUID
    name: str
    type: Literal["asset", "liability"]
    subtype: str
    currency: str
    credit_limit: str | None
    points: list[ForecastPoint]


class TotalForecast(BaseModel):
    currency: str
    points: list[ForecastPoint]


class ForecastWarning(BaseModel):
    kind: Literal["overdraft", "over_credit_limit"]
    account_id: uuid.UUID
    account_name: str
    date: date
    balance: str
    message: str


class Forecast(BaseModel):
    start: date = Field(description="today: the first point is today's balance")
    end: date
    months: int
    base_currency: str
    accounts: list[AccountForecast]
    total: TotalForecast = Field(
        description="assets minus liabilities, accounts in the base currency only"
    )
    excluded_currencies: list[str] = Field(
        description="currencies of accounts left out of the total"
    )
    warnings: list[ForecastWarning]
    series_used: int
    budgets_used: int
