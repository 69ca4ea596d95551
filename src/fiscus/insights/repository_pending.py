"""The queue of entries waiting to be learned (`insights_pending`). Tenant-scoped.

Queuing is one insert per unit of work (which entries, `changes.py` decides); an entry
already queued stays queued once. On PostgreSQL the ids travel as one text parameter
split by the server (an import queues the 30,000+ lines its rules categorised: as
SQLAlchemy multi-row inserts that cost 0.9 s of CPU here, as one text ~0.03 s).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, delete, text
from sqlalchemy.dialects import postgresql, sqlite

from fiscus.db.repository import TenantRepository
from fiscus.insights.models import InsightsPending
from fiscus.insights.repository import chunks

_PENDING = cast(Table, InsightsPending.__table__)
_QUEUE = {
    "postgresql": postgresql.insert(_PENDING).on_conflict_do_nothing(),
    "sqlite": sqlite.insert(_PENDING).on_conflict_do_nothing(),
}


_PG_QUEUE = text(
    "INSERT INTO insights_pending (tenant_id, transaction_id)"
    " SELECT CAST(:tenant AS uuid), unnest(CAST(string_to_array(:ids, ',') AS uuid[]))"
    " ON CONFLICT DO NOTHING"
)


class PendingRepository(TenantRepository):
    def queue(self, ids: Sequence[uuid.UUID]) -> None:
        dialect = self.session.get_bind().dialect.name
        if dialect == "postgresql":
            for part in chunks(ids, 50_000):
                joined = ",".join(map(str, part))
                self.session.execute(_PG_QUEUE, {"tenant": self.tenant_id, "ids": joined})
            return
        statement = _QUEUE[dialect]
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
