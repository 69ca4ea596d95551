"""Request and response shapes of tenants and memberships."""

from __future__ import annotations

import re
import uuid
import zoneinfo
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from fiscus.tenancy.permissions import Role

TenantKind = Literal["personal", "business", "practice"]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
_LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_FY_START = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _check_currency(value: str) -> str:
    if not _CURRENCY.match(value):
        raise ValueError("must be a three-letter ISO 4217 code such as AUD")
    return value


def _check_timezone(value: str) -> str:
    if value not in zoneinfo.available_timezones():
        raise ValueError("must be an IANA time zone such as Australia/Sydney")
    return value


def _check_locale(value: str) -> str:
    if not _LOCALE.match(value):
        raise ValueError("must be a locale tag such as en-AU")
    return value


def _check_fy_start(value: str) -> str:
    match = _FY_START.match(value)
    if not match or int(match.group(2)) > _DAYS_IN_MONTH[int(match.group(1)) - 1]:
        raise ValueError("must be MM-DD with a day that exists in every year, such as 07-01")
    return value


# The checks belong to the types, so a field that may be null (an update's: null leaves
# it as it is, `service.update_tenant`) checks only the text it is given.
Currency = Annotated[str, AfterValidator(_check_currency)]
TimeZone = Annotated[str, AfterValidator(_check_timezone)]
Locale = Annotated[str, AfterValidator(_check_locale)]
YearStart = Annotated[str, AfterValidator(_check_fy_start), Field(description="MM-DD")]


class TenantCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    kind: TenantKind = "business"
    base_currency: Currency = "AUD"
    timezone: TimeZone = "Australia/Sydney"
    locale: Locale = "en-AU"
    fiscal_year_start: YearStart = "07-01"


class TenantUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    kind: TenantKind | None = None
    base_currency: Currency | None = None
    timezone: TimeZone | None = None
    locale: Locale | None = None
    fiscal_year_start: YearStart | None = None


class TenantRead(BaseModel):
    id: uuid.UUID
    name: str
    kind: TenantKind
    base_currency: str
    timezone: str
    locale: str
    fiscal_year_start: str
    role: Role | None = None
    created_at: datetime
    updated_at: datetime


class MemberInvite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: EmailStr
    role: Role = Role.MEMBER


class MemberUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role


class MemberRead(BaseModel):
    user_id: uuid.UUID
    email: str
    name: str
    role: Role
    joined_at: datetime
