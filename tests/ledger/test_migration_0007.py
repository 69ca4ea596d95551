"""Migration 0007 backfills each existing transaction's gross amount and currency."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Connection, text

from fiscus.db.migrate import alembic_config, upgrade
from fiscus.db.session import make_engine
from fiscus.db.types import UTCDateTime
from tests.support.databases import APP_ROLE, create_database, drop_database
from tests.support.services import require_service


def _type(value: object) -> sa.types.TypeEngine[Any] | None:
    if isinstance(value, uuid.UUID):
        return sa.Uuid()
    if isinstance(value, datetime):
        return UTCDateTime(timezone=True)
    return None


def _insert(conn: Connection, table: str, **values: object) -> None:
    """A row written with the column types of revision 0006 (not today's models)."""
    columns = [sa.column(k, _type(v)) for k, v in values.items()]
    conn.execute(sa.insert(sa.table(table, *columns)).values(**values))


def _seed(conn: Connection) -> dict[str, uuid.UUID]:
    now = datetime.now(UTC)
    tenant = uuid.uuid4()
    _insert(
        conn,
        "tenant",
        id=tenant,
        name="Old books",
        kind="personal",
        base_currency="AUD",
        timezone="UTC",
        locale="en-AU",
        fiscal_year_start_month=7,
        fiscal_year_start_day=1,
        created_at=now,
        updated_at=now,
    )
    accounts = {}
    for name, type_, currency in (
        ("bank", "asset", "AUD"),
        ("food", "expense", "AUD"),
        ("usd", "asset", "USD"),
        ("fx", "equity", "AUD"),
    ):
        accounts[name] = uuid.uuid4()
        _insert(
            conn,
            "account",
            id=accounts[name],
            tenant_id=tenant,
            type=type_,
            subtype="other",
            name=name,
            currency=currency,
            is_hidden=False,
            is_archived=False,
            display_order=0,
            created_at=now,
            updated_at=now,
        )
    entries = {
        "split": [("food", 3000, "AUD"), ("food", 1250, "AUD"), ("bank", -4250, "AUD")],
        "fx": [("usd", 10000, "USD"), ("fx", -15000, "AUD"), ("fx", -10000, "USD"),
               ("bank", 15000, "AUD")],
    }  # fmt: skip
    ids = {}
    for key, legs in entries.items():
        ids[key] = uuid.uuid4()
        _insert(
            conn,
            "ledger_transaction",
            id=ids[key],
            tenant_id=tenant,
            occurred_on=date(2025, 7, 1),
            description=key,
            status="pending",
            kind="journal",
            tags="",
            created_at=now,
            updated_at=now,
        )
        for position, (account, amount, currency) in enumerate(legs):
            _insert(
                conn,
                "posting",
                id=uuid.uuid4(),
                tenant_id=tenant,
                transaction_id=ids[key],
                account_id=accounts[account],
                position=position,
                amount=amount,
                currency=currency,
                occurred_on=date(2025, 7, 1),
            )
    return ids


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_existing_transactions_get_their_debits_in_the_first_postings_currency(
    backend: str, tmp_path: Path
) -> None:
    if backend == "postgres":
        require_service("postgres")
    db = create_database(backend, tmp_path, revision="0006")
    try:
        engine = make_engine(db.admin_url)
        with engine.begin() as conn:
            ids = _seed(conn)
        upgrade(db.admin_url, APP_ROLE, revision="0007")
        with engine.begin() as conn:
            rows = conn.execute(text("SELECT id, amount, currency FROM ledger_transaction")).all()
        got = {uuid.UUID(str(r.id)): (r.amount, r.currency) for r in rows}
        assert got == {ids["split"]: (4250, "AUD"), ids["fx"]: (10000, "USD")}
        command.downgrade(alembic_config(db.admin_url, APP_ROLE), "0006")
        with engine.begin() as conn:  # the postings survive both ways (no cascading copy)
            assert conn.execute(text("SELECT count(*) FROM posting")).scalar_one() == 7
        engine.dispose()
    finally:
        drop_database(db)
