"""Queries of the categorisation model and its suggestions, and the read of the ledger
rows it learns from. Tenant-scoped; never commits.

Hot paths (categorising an import, loading the model) use Core rows and multi-row
upserts in chunks, never ORM hydration per row.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from fiscus.db.repository import TenantRepository
from fiscus.insights.model import ClassStats
from fiscus.insights.models import (
    InsightsClass,
    InsightsExample,
    InsightsFeature,
    InsightsSetting,
    InsightsSuggestion,
)
from fiscus.ledger.models import Account, Posting, Transaction

CHUNK = 2_000  # rows per multi-row statement (PostgreSQL allows 65,535 parameters)
_SUGGESTION = cast(Table, InsightsSuggestion.__table__)
T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True, slots=True)
class EntryRow:
    """A live simple income or expense entry as the model reads it."""

    transaction_id: uuid.UUID
    occurred_on: date
    description: str
    payee: str | None
    account_id: uuid.UUID  # the bank (balance-sheet) side
    category_id: uuid.UUID
    amount: int  # signed minor units from the bank account's view, + money in
    currency: str
    status: str


class InsightsRepository(TenantRepository):
    # --- settings -------------------------------------------------------------------
    def setting(self) -> InsightsSetting | None:
        return self.session.get(InsightsSetting, self.tenant_id)

    # --- the model's counts ---------------------------------------------------------
    def classes(self) -> dict[uuid.UUID, ClassStats]:
        rows = self.session.execute(
            select(
                InsightsClass.category_id, InsightsClass.examples, InsightsClass.feature_total
            ).where(InsightsClass.tenant_id == self.tenant_id)
        )
        return {c: ClassStats(e, t) for c, e, t in rows}

    def counts(self) -> Iterable[tuple[uuid.UUID, int, int]]:
        query = select(
            InsightsFeature.category_id, InsightsFeature.feature, InsightsFeature.count
        ).where(InsightsFeature.tenant_id == self.tenant_id, InsightsFeature.count > 0)
        return ((c, f, n) for c, f, n in self.session.execute(query))

    def counts_of(self, features: Sequence[int]) -> list[tuple[uuid.UUID, int, int]]:
        """The counts of these features only (what one batch of entries can use)."""
        found: list[tuple[uuid.UUID, int, int]] = []
        for part in chunks(features, 5_000):
            query = select(
                InsightsFeature.category_id, InsightsFeature.feature, InsightsFeature.count
            ).where(
                InsightsFeature.tenant_id == self.tenant_id,
                InsightsFeature.feature.in_(part),
                InsightsFeature.count > 0,
            )
            found.extend((c, f, n) for c, f, n in self.session.execute(query))
        return found

    def vocabulary(self) -> int:
        """How many distinct features the model knows."""
        query = select(func.count(func.distinct(InsightsFeature.feature))).where(
            InsightsFeature.tenant_id == self.tenant_id
        )
        return int(self.session.scalar(query) or 0)

    def add_counts(
        self,
        features: dict[tuple[uuid.UUID, int], int],
        classes: dict[uuid.UUID, tuple[int, int]],
    ) -> None:
        """Add signed deltas to the feature counts and class totals; drop what reaches 0."""
        feature_rows = [
            {"tenant_id": self.tenant_id, "category_id": c, "feature": f, "count": n}
            for (c, f), n in sorted(features.items(), key=lambda kv: (str(kv[0][0]), kv[0][1]))
            if n
        ]
        class_rows = [
            {"tenant_id": self.tenant_id, "category_id": c, "examples": e, "feature_total": t}
            for c, (e, t) in sorted(classes.items(), key=lambda kv: str(kv[0]))
            if e or t
        ]
        self._upsert(InsightsFeature, ["category_id", "feature"], ["count"], feature_rows)
        self._upsert(InsightsClass, ["category_id"], ["examples", "feature_total"], class_rows)
        if any(n < 0 for n in features.values()):
            self.session.execute(
                delete(InsightsFeature).where(
                    InsightsFeature.tenant_id == self.tenant_id, InsightsFeature.count <= 0
                )
            )
        if any(e < 0 for e, _ in classes.values()):
            self.session.execute(
                delete(InsightsClass).where(
                    InsightsClass.tenant_id == self.tenant_id, InsightsClass.examples <= 0
                )
            )

    def _upsert(
        self, model: Any, keys: list[str], added: list[str], rows: list[dict[str, Any]]
    ) -> None:
        if not rows:
            return
        dialect = self.session.get_bind().dialect.name
        upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        for part in chunks(rows):
            statement = upsert(model).values(list(part))
            statement = statement.on_conflict_do_update(
                index_elements=["tenant_id", *keys],
                set_={c: getattr(model, c) + getattr(statement.excluded, c) for c in added},
            )
            self.session.execute(statement)

    def forget_model(self) -> None:
        """Drop every count and example (a full retrain starts from nothing)."""
        for model in (InsightsFeature, InsightsClass, InsightsExample):
            self.session.execute(delete(model).where(model.tenant_id == self.tenant_id))

    # --- learned examples -----------------------------------------------------------
    def examples(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, InsightsExample]:
        found: dict[uuid.UUID, InsightsExample] = {}
        for part in chunks(ids):
            query = self._select(InsightsExample).where(InsightsExample.transaction_id.in_(part))
            found.update((e.transaction_id, e) for e in self.session.scalars(query))
        return found

    def examples_of(self, category_id: uuid.UUID) -> list[uuid.UUID]:
        query = select(InsightsExample.transaction_id).where(
            InsightsExample.tenant_id == self.tenant_id,
            InsightsExample.category_id == category_id,
        )
        return list(self.session.scalars(query))

    def example_count(self) -> int:
        return self._count(self._select(InsightsExample))

    # --- the ledger rows ------------------------------------------------------------
    def entries(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, EntryRow]:
        """The live simple income/expense entries among `ids` (others are left out)."""
        found: dict[uuid.UUID, EntryRow] = {}
        for part in chunks(ids):
            found.update(self._entries(Transaction.id.in_(part)))
        return found

    def all_entry_ids(self) -> list[uuid.UUID]:
        query = select(Transaction.id).where(
            Transaction.tenant_id == self.tenant_id,
            Transaction.deleted_at.is_(None),
            Transaction.kind.in_(("income", "expense")),
        )
        return list(self.session.scalars(query.order_by(Transaction.occurred_on)))

    def _entries(self, condition: Any) -> Iterator[tuple[uuid.UUID, EntryRow]]:
        query = (
            select(
                Transaction.id,
                Transaction.occurred_on,
                Transaction.description,
                Transaction.payee,
                Transaction.status,
                Posting.account_id,
                Posting.amount,
                Posting.currency,
                Account.type,
            )
            .join(Posting, Posting.transaction_id == Transaction.id)
            .join(Account, Account.id == Posting.account_id)
            .where(
                Transaction.tenant_id == self.tenant_id,
                Posting.tenant_id == self.tenant_id,
                Transaction.deleted_at.is_(None),
                Transaction.kind.in_(("income", "expense")),
                condition,
            )
        )
        legs: dict[uuid.UUID, list[Any]] = {}
        for row in self.session.execute(query):
            legs.setdefault(row.id, []).append(row)
        for txn_id, rows in legs.items():
            bank = [r for r in rows if r.type not in ("income", "expense")]
            category = [r for r in rows if r.type in ("income", "expense")]
            if len(bank) == 1 and len(category) == 1:
                b, c = bank[0], category[0]
                yield (
                    txn_id,
                    EntryRow(
                        txn_id,
                        b.occurred_on,
                        b.description,
                        b.payee,
                        b.account_id,
                        c.account_id,
                        b.amount,
                        b.currency,
                        b.status,
                    ),
                )

    def entry_ids_in(self, category_ids: Iterable[uuid.UUID]) -> list[uuid.UUID]:
        """Live entries with a leg on one of these categories, oldest first."""
        query = (
            select(Transaction.id)
            .join(Posting, Posting.transaction_id == Transaction.id)
            .where(
                Transaction.tenant_id == self.tenant_id,
                Posting.tenant_id == self.tenant_id,
                Transaction.deleted_at.is_(None),
                Posting.account_id.in_(list(category_ids)),
            )
            .order_by(Transaction.occurred_on, Transaction.id)
        )
        return list(dict.fromkeys(self.session.scalars(query)))

    def categories(self) -> list[Any]:
        """(id, name, type, currency, is_archived) of every category."""
        query = select(
            Account.id, Account.name, Account.type, Account.currency, Account.is_archived
        ).where(Account.tenant_id == self.tenant_id, Account.type.in_(("income", "expense")))
        return list(self.session.execute(query.order_by(Account.name)))

    # --- suggestions ----------------------------------------------------------------
    def suggestion(self, transaction_id: uuid.UUID) -> InsightsSuggestion | None:
        query = self._select(InsightsSuggestion).where(
            InsightsSuggestion.transaction_id == transaction_id
        )
        return self.session.scalars(query).first()

    def suggestions(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, InsightsSuggestion]:
        found: dict[uuid.UUID, InsightsSuggestion] = {}
        for part in chunks(ids):
            query = self._select(InsightsSuggestion).where(
                InsightsSuggestion.transaction_id.in_(part)
            )
            found.update((s.transaction_id, s) for s in self.session.scalars(query))
        return found

    def replace_suggestions(self, rows: list[dict[str, Any]]) -> None:
        """Write fresh suggestions (one per transaction), replacing older ones."""
        ids = [r["transaction_id"] for r in rows]
        for part in chunks(ids):
            self.session.execute(
                delete(InsightsSuggestion).where(
                    InsightsSuggestion.tenant_id == self.tenant_id,
                    InsightsSuggestion.transaction_id.in_(part),
                )
            )
        for part in chunks(rows):
            self.session.execute(insert(_SUGGESTION), list(part))  # Core: no ORM bulk path

    def settle(self, ids: Iterable[uuid.UUID], status: str, at: datetime) -> None:
        """Mark the open (queued or auto) suggestions of `ids` as decided."""
        for part in chunks(list(ids)):
            self.session.execute(
                update(InsightsSuggestion)
                .where(
                    InsightsSuggestion.tenant_id == self.tenant_id,
                    InsightsSuggestion.transaction_id.in_(part),
                    InsightsSuggestion.status.in_(("queued", "auto")),
                )
                .values(status=status, decided_at=at)
                .execution_options(synchronize_session=False)
            )

    def listed(
        self, status: str, *, offset: int, limit: int
    ) -> tuple[list[InsightsSuggestion], int]:
        """Suggestions in `status` of live entries, newest entries first."""
        query = (
            self._select(InsightsSuggestion)
            .join(Transaction, Transaction.id == InsightsSuggestion.transaction_id)
            .where(
                InsightsSuggestion.status == status,
                Transaction.tenant_id == self.tenant_id,
                Transaction.deleted_at.is_(None),
            )
        )
        total = self._count(query)
        rows = self.session.scalars(
            query.order_by(Transaction.occurred_on.desc(), InsightsSuggestion.transaction_id)
            .offset(offset)
            .limit(limit)
        )
        return list(rows), total

    def last_suggested_at(self) -> datetime | None:
        return self.session.scalar(
            select(func.max(InsightsSuggestion.created_at)).where(
                InsightsSuggestion.tenant_id == self.tenant_id
            )
        )
