"""Who is acting, in which tenant, from where. Built per request or per job."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a request came from, recorded in the audit trail."""

    ip: str | None = None
    user_agent: str | None = None
    request_id: str | None = None


@dataclass(frozen=True, slots=True)
class TenantContext:
    """An authenticated user acting inside one tenant with one role."""

    tenant_id: uuid.UUID
    user_id: uuid.UUID | None
    role: str
    origin: Origin = field(default_factory=Origin)
    session_id: uuid.UUID | None = None
