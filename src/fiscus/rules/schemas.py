"""Request and response shapes of rules, their preview and their application."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Amount = Annotated[str, Field(description='decimal string, e.g. "12.50"', max_length=32)]
Sign = Literal["in", "out"]


class TextCondition(BaseModel):
    model_config = ConfigDict(extra="forbid")

    op: Literal["contains", "regex"] = Field(
        description="contains: the text holds `value`, ignoring case; regex: `value` is a "
        "regular expression searched in the text, ignoring case"
    )
    value: Text


class Conditions(BaseModel):
    """Every condition given must hold; an empty set matches every entry."""

    model_config = ConfigDict(extra="forbid")

    payee: TextCondition | None = None
    description: TextCondition | None = None
    amount_min: Amount | None = Field(default=None, description="inclusive, on the size")
    amount_max: Amount | None = Field(default=None, description="inclusive, on the size")
    sign: Sign | None = Field(default=None, description="in: money in; out: money out")
    account_id: uuid.UUID | None = Field(default=None, description="the bank side")
    date_from: date | None = None
    date_to: date | None = None
    category: Literal["uncategorised"] | uuid.UUID | None = Field(
        default=None, description='the entry\'s current category, or "uncategorised"'
    )


class Actions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    set_category_id: uuid.UUID | None = None
    rename_payee: Text | None = None
    add_tags: list[Tag] = Field(default_factory=list, max_length=20)
    transfer_account_id: uuid.UUID | None = Field(
        default=None, description="turns the entry into a transfer with this account"
    )


class RuleBody(BaseModel):
    """A rule as written: used for create and for previewing an unsaved rule."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    enabled: bool = True
    stop_processing: bool = False
    conditions: Conditions = Field(default_factory=Conditions)
    actions: Actions


class RuleCreate(RuleBody):
    position: int | None = Field(default=None, ge=0, description="default: last")


class RuleUpdate(BaseModel):
    """Only the fields sent are changed; `conditions` and `actions` are replaced whole."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    enabled: bool | None = None
    stop_processing: bool | None = None
    position: int | None = Field(default=None, ge=0)
    conditions: Conditions | None = None
    actions: Actions | None = None


class RuleRead(BaseModel):
    id: uuid.UUID
    name: str
    position: int
    enabled: bool
    stop_processing: bool
    conditions: Conditions
    actions: Actions
    created_at: datetime
    updated_at: datetime


class ReorderRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[uuid.UUID] = Field(
        min_length=1, max_length=1000, description="every rule of the tenant, in the new order"
    )


class EntryState(BaseModel):
    type: str
    payee: str | None
    category_id: uuid.UUID | None
    category_name: str | None
    transfer_account_id: uuid.UUID | None
    transfer_account_name: str | None
    tags: list[str]


class PreviewItem(BaseModel):
    transaction_id: uuid.UUID
    date: date
    description: str
    amount: str = Field(description="signed from the bank account's view, + money in")
    currency: str
    before: EntryState
    after: EntryState
    rules: list[str] = Field(description="names of the rules that matched, in order")
    skipped: list[str] = Field(description="actions that could not apply to this entry, and why")


class Preview(BaseModel):
    items: list[PreviewItem] = Field(description="the first `limit` entries that would change")
    total: int = Field(description="how many entries would change")
    matched: int = Field(description="how many entries the rule(s) matched")
    limit: int


class ApplyRequest(BaseModel):
    """Which rules on which existing entries; every filter given must hold."""

    model_config = ConfigDict(extra="forbid")

    rule_id: uuid.UUID | None = Field(default=None, description="default: every enabled rule")
    transaction_ids: list[uuid.UUID] | None = Field(default=None, max_length=100_000)
    account_id: uuid.UUID | None = None
    date_from: date | None = None
    date_to: date | None = None
    clean_payees: bool = Field(
        default=False, description="also clean up raw payees (empty or all capitals)"
    )


class ApplyResult(BaseModel):
    matched: int
    changed: int
    categorised: int
    renamed: int
    tagged: int
    transferred: int
    skipped: int
