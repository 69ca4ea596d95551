"""The queue of entries waiting to be learned (`insights_pending`). Tenant-scoped.

Queuing is one multi-row insert per unit of work (which entries, `changes.py` decides);
an entry already queued stays queued once.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, delete
from sqlalchemy.dialects import postgresql, sqlite

from fiscus.db.repository import TenantRepository
from fiscus.insights.models import InsightsPending
from fiscus.insights.repository import chunks

_PENDING = cast(Table, InsightsPending.__table__)
_QUEUE = {
    "postgresql": postgresql.insert(_PENDING).on_conflict_do_nothing(),
    "sqlite": sqlite.insert(_PENDING).on_conflict_do_nothing(),
}


class PendingRepository(TenantRepository):
    def queue(self, ids: Sequence[uuid.UUID]) -> None:
        statement = _QUEUE[self.session.get_bind().dialect.name]
        for part in chunks(ids):
            rows = [{"tenant_id": self.tenant_id, "transaction_id": i} for i in part]
            self.session.execute(statement, rows)

    def take(self) -> list[uuid.UUID]:
        """Remove and return every queued entry (rows locked until commit on PostgreSQL:
        a concurrent catch-up waits, then finds them gone)."""
        taken = self.session.execute(
            delete(InsightsPending)
            .where(InsightsPending.tenant_id == self.tenant_id)
            .returning(InsightsPending.transaction_id)
        )
        return sorted(taken.scalars())
