"""What the database itself guarantees about tenant-owned rows, on SQLite and PostgreSQL
(migration 0020): a posting's transaction and account, and an import line's import,
belong to the posting's (line's) own tenant; deleting a tenant takes everything of it;
deleting an entry takes its postings, deleting an import its lines; an account with
postings cannot be deleted.

These run as the tables' owner (no row-level security in the way): they test the keys,
the last wall behind the repositories' tenant scoping.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import Connection, Engine, delete, func, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fiscus.db.session import make_engine
from fiscus.imports.models import BankImport, ImportLine
from fiscus.ledger.models import Account, Posting, Transaction
from fiscus.tenancy.models import Tenant
from tests.support.databases import MigratedDatabase


@pytest.fixture(scope="module")
def owner_engine(committed: MigratedDatabase) -> Iterator[Engine]:
    engine = make_engine(committed.admin_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(owner_engine: Engine) -> Iterator[Session]:
    """A session as the owner, everything rolled back at the end."""
    connection = owner_engine.connect()
    outer = connection.begin()
    with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
        yield session
    outer.rollback()
    connection.close()


@dataclass(frozen=True)
class Books:
    tenant: uuid.UUID
    bank: uuid.UUID
    food: uuid.UUID
    entry: uuid.UUID
    bank_import: uuid.UUID


def _books(session: Session, name: str) -> Books:
    tenant = Tenant(
        name=name,
        kind="personal",
        base_currency="AUD",
        timezone="Australia/Sydney",
        locale="en-AU",
        fiscal_year_start_month=7,
        fiscal_year_start_day=1,
    )
    session.add(tenant)
    session.flush()
    bank = Account(tenant_id=tenant.id, type="asset", name="Bank", currency="AUD")
    food = Account(tenant_id=tenant.id, type="expense", name="Food", currency="AUD")
    session.add_all([bank, food])
    session.flush()
    entry = Transaction(
        tenant_id=tenant.id,
        occurred_on=date(2025, 3, 1),
        description="shop",
        kind="expense",
        amount=500,
        currency="AUD",
    )
    session.add(entry)
    session.flush()
    session.add_all(
        [
            _posting(tenant.id, entry.id, food.id, 0, 500),
            _posting(tenant.id, entry.id, bank.id, 1, -500),
        ]
    )
    bank_import = BankImport(
        tenant_id=tenant.id,
        account_id=bank.id,
        filename="s.csv",
        content_type="text/csv",
        size=1,
        content_sha256="0" * 64,
        format="csv",
        fingerprint="f",
    )
    session.add(bank_import)
    session.flush()
    session.add(_line(tenant.id, bank_import.id, bank.id, entry.id))
    session.flush()
    return Books(tenant.id, bank.id, food.id, entry.id, bank_import.id)


def _posting(
    tenant: uuid.UUID, entry: uuid.UUID, account: uuid.UUID, position: int, amount: int
) -> Posting:
    return Posting(
        tenant_id=tenant,
        transaction_id=entry,
        account_id=account,
        position=position,
        amount=amount,
        currency="AUD",
        occurred_on=date(2025, 3, 1),
    )


def _line(
    tenant: uuid.UUID, bank_import: uuid.UUID, account: uuid.UUID, entry: uuid.UUID | None
) -> ImportLine:
    return ImportLine(
        tenant_id=tenant,
        import_id=bank_import,
        line_no=1 if entry else 2,
        account_id=account,
        fingerprint="p",
        transaction_id=entry,
        status="created" if entry else "error",
    )


def _count(session: Session, model: type[object], tenant: uuid.UUID) -> int:
    column = model.tenant_id  # type: ignore[attr-defined]
    return int(session.scalar(select(func.count()).where(column == tenant)) or 0)


def _refused(session: Session, *rows: object) -> None:
    """The rows cannot be written: a foreign key refuses them (nothing else changes)."""
    with pytest.raises(IntegrityError), session.begin_nested():  # noqa: PT012 (add + flush)
        session.add_all(rows)
        session.flush()


def test_a_posting_cannot_point_at_another_tenants_entry_or_account(session: Session) -> None:
    alice, bob = _books(session, "Alice"), _books(session, "Bob")
    _refused(session, _posting(alice.tenant, bob.entry, alice.bank, 2, 1))
    _refused(session, _posting(alice.tenant, alice.entry, bob.bank, 2, 1))
    _refused(session, _posting(alice.tenant, uuid.uuid4(), alice.bank, 2, 1))
    _refused(session, _posting(uuid.uuid4(), alice.entry, alice.bank, 2, 1))
    # its own entry and account are fine
    with session.begin_nested():
        session.add(_posting(alice.tenant, alice.entry, alice.food, 2, 0))
        session.flush()


def test_an_import_line_cannot_point_at_another_tenants_import(session: Session) -> None:
    alice, bob = _books(session, "Alice"), _books(session, "Bob")
    _refused(session, _line(alice.tenant, bob.bank_import, alice.bank, None))
    _refused(session, _line(uuid.uuid4(), alice.bank_import, alice.bank, None))
    with session.begin_nested():
        session.add(_line(alice.tenant, alice.bank_import, alice.bank, None))
        session.flush()


def test_an_account_with_postings_cannot_be_deleted(session: Session) -> None:
    alice = _books(session, "Alice")
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(delete(Account).where(Account.id == alice.bank))
    assert _count(session, Account, alice.tenant) == 2


def test_deleting_an_entry_takes_its_postings_and_an_import_its_lines(session: Session) -> None:
    alice, bob = _books(session, "Alice"), _books(session, "Bob")
    session.execute(delete(Transaction).where(Transaction.id == alice.entry))
    session.execute(delete(BankImport).where(BankImport.id == alice.bank_import))
    assert _count(session, Posting, alice.tenant) == 0
    assert _count(session, ImportLine, alice.tenant) == 0
    assert (_count(session, Posting, bob.tenant), _count(session, ImportLine, bob.tenant)) == (2, 1)
    # with its postings gone the account can go
    session.execute(delete(Account).where(Account.id == alice.bank))


def test_deleting_a_tenant_takes_everything_of_it_and_nothing_else(session: Session) -> None:
    alice, bob = _books(session, "Alice"), _books(session, "Bob")
    session.execute(delete(Tenant).where(Tenant.id == alice.tenant))
    models = (Account, Transaction, Posting, BankImport, ImportLine)
    assert [_count(session, m, alice.tenant) for m in models] == [0, 0, 0, 0, 0]
    assert [_count(session, m, bob.tenant) for m in models] == [2, 1, 2, 1, 1]


def _foreign_keys(connection: Connection, table: str) -> set[tuple[tuple[str, ...], str]]:
    found = inspect(connection).get_foreign_keys(table)
    return {(tuple(fk["constrained_columns"]), fk["referred_table"]) for fk in found}


def test_the_keys_are_composite_and_the_redundant_tenant_keys_gone(session: Session) -> None:
    connection = session.connection()
    assert _foreign_keys(connection, "posting") == {
        (("tenant_id", "transaction_id"), "ledger_transaction"),
        (("tenant_id", "account_id"), "account"),
    }
    assert _foreign_keys(connection, "import_line") == {
        (("tenant_id", "import_id"), "bank_import"),
    }
