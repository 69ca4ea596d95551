"""The queue of entries waiting to be learned (`insights_pending`). Tenant-scoped.

Queuing is one insert per unit of work (which entries, `changes.py` decides); an entry
already queued stays queued once. A small queue is a row per entry; a large one (an
import queues the 30,000+ lines its rules categorised, its undo every line) is one row
of `insights_pending_batch` holding the ids as one text: as rows they cost ~0.2 s of
PostgreSQL's time at the import's commit (an index entry and a foreign-key check each),
as one text ~0.02 s (migration 0024). `take` empties both; an entry in both, or in two
batches, is taken once. On PostgreSQL a small queue's ids also travel as one text
parameter split by the server (SQLAlchemy's multi-row insert spends ~30 µs of CPU per
row binding them).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, delete, insert, text
from sqlalchemy.dialects import postgresql, sqlite

from fiscus.core.ids import new_id
from fiscus.db.repository import TenantRepository
from fiscus.insights.models import InsightsPending, InsightsPendingBatch
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


BATCH_FROM = 1_000  # entries queued at once from which they go in one batch row


class PendingRepository(TenantRepository):
    def queue(self, ids: Sequence[uuid.UUID]) -> None:
        if len(ids) >= BATCH_FROM:
            joined = ",".join(map(str, dict.fromkeys(ids)))
            batch = {"tenant_id": self.tenant_id, "id": new_id(), "transaction_ids": joined}
            self.session.execute(insert(InsightsPendingBatch), [batch])
            return
        dialect = self.session.get_bind().dialect.name
        if dialect == "postgresql" and ids:
            joined = ",".join(map(str, ids))
            self.session.execute(_PG_QUEUE, {"tenant": self.tenant_id, "ids": joined})
            return
        statement = _QUEUE[dialect]
        for part in chunks(ids):
            rows = [{"tenant_id": self.tenant_id, "transaction_id": i} for i in part]
            self.session.execute(statement, rows)

    def take(self) -> list[uuid.UUID]:
        """Remove and return every queued entry, once each (rows locked until commit on
        PostgreSQL: a concurrent catch-up waits, then finds them gone)."""
        taken = set(
            self.session.scalars(
                delete(InsightsPending)
                .where(InsightsPending.tenant_id == self.tenant_id)
                .returning(InsightsPending.transaction_id)
            )
        )
        batches = self.session.scalars(
            delete(InsightsPendingBatch)
            .where(InsightsPendingBatch.tenant_id == self.tenant_id)
            .returning(InsightsPendingBatch.transaction_ids)
        )
        for joined in batches:
            taken.update(uuid.UUID(i) for i in joined.split(","))
        return sorted(taken)
