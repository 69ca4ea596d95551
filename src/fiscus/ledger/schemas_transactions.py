"""Request and response shapes of transactions (simple and journal forms)."""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Status = Literal["pending", "cleared", "reconciled"]
SimpleKind = Literal["income", "expense", "transfer"]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[\w\-. ]{1,40}$")]
Amount = Annotated[str, Field(max_length=32, description='decimal string, e.g. "12.50"')]
Rate = Annotated[str, Field(max_length=32, description='decimal string, e.g. "0.6543"')]


class _Common(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: date
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)
    ]
    payee: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    notes: Annotated[str, StringConstraints(max_length=4000)] | None = None
    tags: Annotated[list[Tag], Field(max_length=20)] = []
    status: Status = "pending"


class SimpleTransactionCreate(_Common):
    """For people: a positive amount and a type; the service writes both postings."""

    type: SimpleKind
    amount: Amount
    account_id: uuid.UUID
    category_id: uuid.UUID | None = None
    transfer_account_id: uuid.UUID | None = None


class PostingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account_id: uuid.UUID
    amount: Amount
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    rate: Rate | None = None
    memo: Text | None = None


class JournalTransactionCreate(_Common):
    """For bookkeepers: signed postings (debit positive) summing to zero per currency."""

    postings: Annotated[list[PostingIn], Field(min_length=2, max_length=500)]


class PostingRead(BaseModel):
    id: uuid.UUID
    account_id: uuid.UUID
    amount: str
    currency: str
    rate: str | None
    memo: str | None


class SimpleView(BaseModel):
    type: SimpleKind
    amount: str
    currency: str
    account_id: uuid.UUID
    category_id: uuid.UUID | None
    transfer_account_id: uuid.UUID | None


class TransactionRead(BaseModel):
    id: uuid.UUID
    date: date
    description: str
    payee: str | None
    notes: str | None
    tags: list[str]
    status: Status
    kind: Literal["income", "expense", "transfer", "journal"]
    postings: list[PostingRead]
    simple: SimpleView | None
    deleted: bool
    created_at: datetime
    updated_at: datetime


class TransactionUpdate(BaseModel):
    """A partial edit. Metadata changes in place; the money fields (`date`, and either the
    simple fields or a full replacement `postings` list) rebuild the entry's postings."""

    model_config = ConfigDict(extra="forbid")

    date: dt.date | None = None  # `dt.`: the field's name shadows the type here
    description: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
        | None
    ) = None
    payee: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    notes: Annotated[str, StringConstraints(max_length=4000)] | None = None
    tags: Annotated[list[Tag], Field(max_length=20)] | None = None
    status: Status | None = None
    type: SimpleKind | None = None
    amount: Amount | None = None
    account_id: uuid.UUID | None = None
    category_id: uuid.UUID | None = None
    transfer_account_id: uuid.UUID | None = None
    postings: Annotated[list[PostingIn], Field(min_length=2, max_length=500)] | None = None


BulkKind = Literal["categorise", "tag", "untag", "set_status", "delete", "restore"]


class BulkRequest(BaseModel):
    """One action on many transactions, all or nothing."""

    model_config = ConfigDict(extra="forbid")

    action: BulkKind
    ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=500)]
    category_id: uuid.UUID | None = None  # categorise
    tags: Annotated[list[Tag], Field(min_length=1, max_length=20)] | None = None  # (un)tag
    status: Status | None = None  # set_status


class BulkResult(BaseModel):
    action: BulkKind
    requested: int  # distinct ids
    changed: int
    unchanged: int  # already in the asked-for state


class TransactionPage(BaseModel):
    """A page of the transaction list or search. `has_more` says whether entries follow
    this page (always known). `total` is exact whenever it is given: from the counts the
    ledger keeps (the whole list, a date range, an account register, the bin by dates, a
    category), on the last page (the entries before it plus its own), or with
    `count=exact`; otherwise it is null, because only a visit of every match would tell.
    `total_pages` is null exactly when `total` is. `next_cursor`, given whenever entries
    follow, asks for the next page as `cursor=`: it starts where this page stopped, so a
    deep page costs what the first does, where `page=` skips every entry before it; a
    page read by cursor has no number (`page` null)."""

    items: list[TransactionRead]
    page: int | None
    limit: int
    total: int | None
    total_pages: int | None
    has_more: bool
    next_cursor: str | None
