"""Migration 0024 adds the batch rows of the learning queue; going back down turns each
batch into per-entry rows, so nothing queued is lost."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from fiscus.db.session import make_engine
from tests.support.builders import register
from tests.support.databases import MigratedDatabase
from tests.support.migrations import downgrade, scratch_database, served, upgrade


def _as_owner(db: MigratedDatabase, sql: str, params: dict[str, object]) -> list[str]:
    engine = make_engine(db.admin_url)
    try:
        with engine.begin() as conn:
            if db.backend == "postgres":  # the owner, past row-level security
                conn.execute(text("SET row_security = off"))
            rows = conn.execute(text(sql), params).all()
    finally:
        engine.dispose()
    return [str(uuid.UUID(str(row[0]))) for row in rows]


def _key(db: MigratedDatabase, value: uuid.UUID) -> object:
    return value.hex if db.backend == "sqlite" else value


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_down_turns_the_batches_into_rows_and_up_again(backend: str, tmp_path: Path) -> None:
    with scratch_database(backend, tmp_path) as (db, settings):
        with served(settings) as client:
            tenant = register(client).tenant_id
        batched = sorted(str(uuid.uuid4()) for _ in range(3))
        single = str(uuid.uuid4())
        _as_owner(
            db,
            "INSERT INTO insights_pending_batch (tenant_id, id, transaction_ids)"
            " VALUES (:t, :id, :ids) RETURNING id",
            {"t": _key(db, tenant), "id": _key(db, uuid.uuid4()), "ids": ",".join(batched)},
        )
        _as_owner(
            db,
            "INSERT INTO insights_pending (tenant_id, transaction_id) VALUES (:t, :id)"
            " RETURNING transaction_id",
            {"t": _key(db, tenant), "id": _key(db, uuid.UUID(batched[0]))},  # in both
        )
        _as_owner(
            db,
            "INSERT INTO insights_pending (tenant_id, transaction_id) VALUES (:t, :id)"
            " RETURNING transaction_id",
            {"t": _key(db, tenant), "id": _key(db, uuid.UUID(single))},
        )
        downgrade(db, "0023")
        queued = _as_owner(
            db,
            "SELECT transaction_id FROM insights_pending WHERE tenant_id = :t",
            {"t": _key(db, tenant)},
        )
        assert sorted(queued) == sorted([*batched, single])
        upgrade(db)
        assert _as_owner(db, "SELECT id FROM insights_pending_batch", {}) == []
