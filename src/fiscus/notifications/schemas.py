"""Response shapes of notifications."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel

Level = Literal["info", "warning", "danger"]


class NotificationRead(BaseModel):
    id: uuid.UUID
    kind: str
    level: Level
    title: str
    body: str
    subject_type: str | None
    subject_id: uuid.UUID | None
    created_at: datetime
    read_at: datetime | None


class ReadAllResult(BaseModel):
    marked: int
