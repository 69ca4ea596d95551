"""Shapes of audit events, filters and verification reports."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, field_validator


class AuditEventRead(BaseModel):
    id: uuid.UUID
    seq: int
    occurred_at: datetime
    actor_user_id: uuid.UUID | None
    action: str
    resource_type: str
    resource_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    ip: str | None
    user_agent: str | None
    request_id: str | None
    prev_hash: str
    hash: str

    @field_validator("before", "after", mode="before")
    @classmethod
    def _parse(cls, value: object) -> object:
        return json.loads(value) if isinstance(value, str) else value


class AuditFilters(BaseModel):
    user_id: uuid.UUID | None = None
    action: str | None = None
    resource_type: str | None = None
    resource_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None


class VerifyReport(BaseModel):
    valid: bool
    events_checked: int
    first_broken_seq: int | None
    reason: str | None = None
