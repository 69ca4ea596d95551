"""Request and response shapes of accounts and categories."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

AccountType = Literal["asset", "liability", "equity", "income", "expense"]
CategoryType = Literal["income", "expense"]
Subtype = Literal[
    "checking",
    "savings",
    "credit_card",
    "cash",
    "investment",
    "loan",
    "retirement",
    "property",
    "other",
]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9.\-_/]{1,20}$")]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
LastFour = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
Icon = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,40}$")]
TaxLabel = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_.:-]{1,60}$")]
Amount = Annotated[str, Field(description='decimal string, e.g. "5000.00"', max_length=32)]


class _AccountFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    parent_id: uuid.UUID | None = None
    code: Code | None = None
    institution: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)] | None = (
        None
    )
    last_four: LastFour | None = None
    credit_limit: Amount | None = None
    opened_on: date | None = None
    is_hidden: bool = False
    is_archived: bool = False
    display_order: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    colour: Colour | None = None
    icon: Icon | None = None
    tax_label: TaxLabel | None = None


class AccountCreate(_AccountFields):
    name: Name
    type: AccountType
    subtype: Subtype = "other"
    currency: Currency | None = Field(default=None, description="defaults to the tenant's")


class AccountUpdate(BaseModel):
    """Only the fields sent are changed; send null to clear an optional one."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    subtype: Subtype | None = None
    parent_id: uuid.UUID | None = None
    code: Code | None = None
    institution: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)] | None = (
        None
    )
    last_four: LastFour | None = None
    credit_limit: Amount | None = None
    opened_on: date | None = None
    is_hidden: bool | None = None
    is_archived: bool | None = None
    display_order: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    colour: Colour | None = None
    icon: Icon | None = None
    tax_label: TaxLabel | None = None


class AccountRead(BaseModel):
    id: uuid.UUID
    name: str
    type: AccountType
    subtype: Subtype
    parent_id: uuid.UUID | None
    code: str | None
    currency: str
    institution: str | None
    last_four: str | None
    credit_limit: str | None
    opened_on: date | None
    is_hidden: bool
    is_archived: bool
    display_order: int
    colour: str | None
    icon: str | None
    tax_label: str | None
    created_at: datetime
    updated_at: datetime


class CategoryCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    type: CategoryType
    parent_id: uuid.UUID | None = None
    code: Code | None = None
    colour: Colour | None = None
    icon: Icon | None = None
    tax_label: TaxLabel | None = None


class CategoryNode(BaseModel):
    id: uuid.UUID
    name: str
    type: CategoryType
    code: str | None
    tax_label: str | None
    colour: str | None
    icon: str | None
    is_archived: bool
    children: list[CategoryNode]


class TemplateRead(BaseModel):
    key: str
    name: str
    description: str
    categories: int


class TemplateApplied(BaseModel):
    template: str
    created: int


class BalanceRead(BaseModel):
    account_id: uuid.UUID
    date: date
    balance: str
    currency: str


class CategoryMerge(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source_id: uuid.UUID
    target_id: uuid.UUID


class CategoryMergeResult(BaseModel):
    source_id: uuid.UUID  # deleted
    target_id: uuid.UUID
    postings_moved: int
    children_moved: int
