"""Request and response shapes of goals, their progress, and budget vs actual."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

GoalKind = Literal["spending_limit", "savings_target", "debt_payoff"]
PeriodLength = Literal["monthly", "quarterly", "yearly"]
Status = Literal["ok", "warning", "exceeded"]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Amount = Annotated[str, Field(description='decimal string, e.g. "500.00"', max_length=32)]
WarnPercent = Annotated[int, Field(ge=1, le=100)]


class GoalCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: GoalKind
    name: Name
    account_id: uuid.UUID = Field(
        description="expense category (spending limit), asset (savings) or liability (debt)"
    )
    amount: Amount | None = Field(
        default=None,
        description="limit per period, target balance, or starting debt (debt payoff: "
        "defaults to the liability's balance today)",
    )
    period: PeriodLength | None = Field(
        default=None, description="spending limits only; default monthly"
    )
    starts_on: date | None = Field(default=None, description="default: the tenant's today")
    target_date: date | None = None
    warn_percent: WarnPercent = 80


class GoalUpdate(BaseModel):
    """Only the fields sent are changed; send null to clear `target_date`."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    account_id: uuid.UUID | None = None
    amount: Amount | None = None
    period: PeriodLength | None = None
    starts_on: date | None = None
    target_date: date | None = None
    warn_percent: WarnPercent | None = None
    is_archived: bool | None = None


class GoalRead(BaseModel):
    id: uuid.UUID
    kind: GoalKind
    name: str
    account_id: uuid.UUID
    amount: str
    currency: str
    period: PeriodLength | None
    starts_on: date
    target_date: date | None
    warn_percent: int
    is_archived: bool
    created_at: datetime
    updated_at: datetime


class PeriodProgress(BaseModel):
    """One period of a spending limit."""

    start: date
    end: date
    spent: str
    limit: str
    remaining: str
    percent: str = Field(description="spent / limit as a decimal fraction, e.g. '0.8420'")
    status: Status
    projected: str | None = Field(
        default=None, description="current period only: spend at period end at today's pace"
    )


class TargetProgress(BaseModel):
    """A savings target or debt payoff: where the balance is and where it is heading."""

    balance: str = Field(description="the account's balance today (natural sign)")
    target: str = Field(description="target balance (savings) or 0.00 (debt payoff)")
    starting: str | None = Field(description="debt payoff: the debt when the goal started")
    percent: str = Field(description="saved / target, or paid off / starting debt")
    remaining: str
    months_left: int | None
    monthly_needed: str | None
    average_monthly_change: str
    projected: str | None = Field(description="balance at the target date at the recent pace")
    on_track: bool | None


class GoalProgress(BaseModel):
    goal: GoalRead
    as_of: date
    current: PeriodProgress | None = None
    past: list[PeriodProgress] = []
    target: TargetProgress | None = None


class BudgetLine(BaseModel):
    """Budget vs actual of one spending limit over a date range."""

    goal_id: uuid.UUID
    goal_name: str
    category_id: uuid.UUID
    category_name: str
    period: PeriodLength
    currency: str
    budget: str
    actual: str
    variance: str = Field(description="budget - actual: positive is under budget")
    percent: str = Field(description="actual / budget as a decimal fraction")
