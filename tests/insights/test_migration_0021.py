"""Migration 0021 takes the suggestion's account keys off and references the entry by
(tenant_id, transaction_id); going back down puts the old keys back, and the ids of
categories deleted meanwhile become the NULL those keys would have set."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from fiscus.db.session import make_engine
from tests.insights.helpers import Books
from tests.support.builders import register
from tests.support.databases import MigratedDatabase
from tests.support.migrations import downgrade, login_token, scratch_database, served, upgrade


def _stored(db: MigratedDatabase, transaction_id: str) -> tuple[str | None, str | None, str]:
    engine = make_engine(db.admin_url)
    try:
        with engine.connect() as conn:
            if db.backend == "postgres":  # the owner, past row-level security
                conn.execute(text("SET row_security = off"))
            row = conn.execute(
                text(
                    "SELECT category_id, previous_category_id, status FROM insights_suggestion"
                    " WHERE transaction_id = :t"
                ),
                {
                    "t": transaction_id.replace("-", "")
                    if db.backend == "sqlite"
                    else transaction_id
                },
            ).one()
    finally:
        engine.dispose()
    return (
        None if row[0] is None else str(row[0]),
        None if row[1] is None else str(row[1]),
        str(row[2]),
    )


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_down_and_up_again_with_a_deleted_category(backend: str, tmp_path: Path) -> None:
    with scratch_database(backend, tmp_path) as (db, settings):
        with served(settings) as client:
            books = Books(client, register(client))
            books.teach()
            books.set_threshold(0.5)
            applied = books.imported("EFTPOS WOOLWORTHS 77 NEWTOWN", "85.20")
            assert books.categorise(applied)["applied"] == 1
            merged = client.post(
                "/api/v1/categories/merge",
                json={"source_id": books.groceries, "target_id": books.home},
                headers=books.owner.headers,
            )
            assert merged.status_code == 200, merged.text
            assert books.suggestion(applied)["status"] == "auto"
        kept = _stored(db, applied)
        assert kept[2] == "auto"
        assert kept[0] is not None  # the merged category's id, kept (no key sets NULL)
        downgrade(db, "0020")
        down = _stored(db, applied)
        assert down[0] is None  # what ON DELETE SET NULL would have left
        assert down[1] is not None  # the Uncategorised category still exists
        assert down[2] == "auto"
        upgrade(db)
        with served(settings) as client:
            token = login_token(client, books.owner.email, books.owner.password)
            books.client, books.owner.access_token = client, token
            undone = books.review(applied, action="undo")
            assert undone.status_code == 200, undone.text
            assert books.category_of(applied) == books.uncat_expense
