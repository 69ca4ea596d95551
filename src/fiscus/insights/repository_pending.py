"""The queue of entries waiting to be learned (`insights_pending`). Tenant-scoped.

Queuing is one statement per unit of work and leaves out what has nothing to teach: an
entry with a leg on an Uncategorised category that was never learned (a bank import's
line). An entry that *was* learned stays in, whatever its legs now: it must be unlearned.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, delete, exists, select, union
from sqlalchemy.dialects import postgresql, sqlite

from fiscus.db.repository import TenantRepository
from fiscus.insights.models import InsightsExample, InsightsPending
from fiscus.insights.repository import chunks
from fiscus.ledger import service as ledger_service
from fiscus.ledger.models import Posting, Transaction

_PENDING = cast(Table, InsightsPending.__table__)


class PendingRepository(TenantRepository):
    def queue(self, ids: Sequence[uuid.UUID]) -> None:
        for part in chunks(ids):
            self.session.execute(self._queue_statement(part))

    def take(self) -> list[uuid.UUID]:
        """Remove and return every queued entry (rows locked until commit on PostgreSQL:
        a concurrent catch-up waits, then finds them gone)."""
        taken = self.session.execute(
            delete(InsightsPending)
            .where(InsightsPending.tenant_id == self.tenant_id)
            .returning(InsightsPending.transaction_id)
        )
        return sorted(taken.scalars())

    def _queue_statement(self, part: Sequence[uuid.UUID]) -> Any:
        learned = select(InsightsExample.tenant_id, InsightsExample.transaction_id).where(
            InsightsExample.tenant_id == self.tenant_id, InsightsExample.transaction_id.in_(part)
        )
        on_uncategorised = exists().where(
            Posting.transaction_id == Transaction.id,
            Posting.account_id.in_(ledger_service.uncategorised_query(self.tenant_id)),
        )
        teaching = select(Transaction.tenant_id, Transaction.id).where(
            Transaction.tenant_id == self.tenant_id,
            Transaction.id.in_(part),
            ~on_uncategorised,
        )
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = insert(_PENDING).from_select(
            ["tenant_id", "transaction_id"], union(learned, teaching)
        )
        return statement.on_conflict_do_nothing()
