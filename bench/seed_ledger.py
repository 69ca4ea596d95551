"""Seed a PostgreSQL database with one tenant's ten years of books, at scale, for benchmarks.

Creates (or reuses) the database `fiscus_bench`, migrates it to head, creates a user and
a tenant through the services (so both are exactly what the API would create), a chart
of ~60 accounts and categories through the ledger service, and then N postings over ten
years (2016-01-01 to 2025-12-31), one in five on the hot everyday account:

1. the shape of every entry (date, template, amount) is generated in Python from a fixed
   seed and COPYed into a temporary staging table (one narrow row per transaction);
2. transactions and postings are written from it with two set-based `INSERT ... SELECT`s,
   as the owner, with triggers and FK checks off (`session_replication_role = replica`,
   as a bulk import would; the loader builds balanced two-leg entries by construction)
   and the tables' secondary indexes dropped and rebuilt afterwards;
3. the day and month balance snapshots and the per-day entry counts (which triggers keep
   in normal operation, off here) are derived with one `INSERT ... SELECT ... GROUP BY`
   each, then `ANALYZE`;
4. a sample of snapshot balances is checked against naive `SUM`s, every entry is checked
   to balance, and the seed is recorded in `bench.seed`.

A second run with the same `--postings` finds the record and does nothing; another size
drops the database and seeds again.

    .venv/bin/python bench/seed_ledger.py [--postings 1000000] [--database fiscus_bench]
"""

from __future__ import annotations

import argparse
import io
import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pydantic import SecretStr
from sqlalchemy import Connection, Engine, text

from fiscus.auth import service as auth_service
from fiscus.config import Settings
from fiscus.core.context import Origin, TenantContext
from fiscus.db.migrate import upgrade
from fiscus.db.session import bind_scope, make_engine, make_session_factory, unit_of_work
from fiscus.ledger import service as ledger
from fiscus.ledger.repository_balances import BalanceRepository
from fiscus.ledger.schemas import AccountCreate

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
APP_ROLE = "fiscus_app"
EMAIL, PASSWORD = "bench@example.com", "a bench passphrase"
START, DAYS = date(2016, 1, 1), 3653  # 2016-01-01 .. 2025-12-31
HOT = "Everyday account"
HOT_SHARE = 5  # one transaction in HOT_SHARE/2 touches the hot account: 1 posting in 5
ORIGIN = Origin(user_agent="fiscus-bench-seed")

# name, type, subtype
ACCOUNTS = (
    (HOT, "asset", "checking"),
    ("Bills account", "asset", "checking"),
    ("Savings account", "asset", "savings"),
    ("Offset account", "asset", "savings"),
    ("Business account", "asset", "checking"),
    ("Brokerage", "asset", "investment"),
    ("Cash", "asset", "cash"),
    ("Visa credit card", "liability", "credit_card"),
    ("Amex", "liability", "credit_card"),
    ("Car loan", "liability", "loan"),
    ("Mortgage", "liability", "loan"),
    ("Opening balances", "equity", "other"),
)
BUSINESS = ("Consulting income", "Business software", "Business travel", "Accounting fees")

# (description, payees, debit, credit, kind, low cents, high cents): debit gets +amount.
Template = tuple[str, tuple[str, ...], str, str, str, int, int]
HOT_TEMPLATES: tuple[Template, ...] = (
    ("Groceries", ("Woolworths", "Coles", "Aldi", "IGA"), "Groceries", HOT, "expense", 2000, 25000),
    ("Takeaway", ("Uber Eats", "Menulog"), "Takeaway", HOT, "expense", 1500, 6000),
    ("Fuel", ("Ampol", "BP", "Shell", "7-Eleven"), "Fuel", HOT, "expense", 3000, 12000),
    ("Salary", ("Acme Logistics Pty Ltd",), HOT, "Salary and wages", "income", 250000, 450000),
    ("Monthly saving", ("",), "Savings account", HOT, "transfer", 20000, 200000),
    ("Card repayment", ("",), "Visa credit card", HOT, "transfer", 20000, 300000),
    ("Rent", ("Ray White Property",), "Rent", HOT, "expense", 180000, 260000),
    ("Electricity", ("Origin Energy", "AGL"), "Electricity", HOT, "expense", 8000, 40000),
)
OTHER_TEMPLATES: tuple[Template, ...] = (
    (
        "Dinner out",
        ("Thai Orchid", "The Local Pub", "Sushi Train"),
        "Eating out",
        "Visa credit card",
        "expense",
        2800,
        9500,
    ),
    ("Streaming", ("Netflix", "Spotify", "Stan"), "Subscriptions", "Amex", "expense", 1000, 2500),
    (
        "Clothes",
        ("Uniqlo", "Myer", "Kmart"),
        "Clothing",
        "Visa credit card",
        "expense",
        2000,
        20000,
    ),
    (
        "Consulting invoice paid",
        ("Harbour Analytics", "Blue Gum Software"),
        "Business account",
        "Consulting income",
        "income",
        100000,
        900000,
    ),
    (
        "Software",
        ("GitHub", "Atlassian", "Xero"),
        "Business software",
        "Business account",
        "expense",
        1000,
        15000,
    ),
    ("Interest", ("Big Bank",), "Savings account", "Interest", "income", 100, 9000),
    ("Mortgage repayment", ("Big Bank",), "Mortgage", "Offset account", "transfer", 200000, 400000),
    ("Loan repayment", ("Toyota Finance",), "Car loan", "Bills account", "transfer", 40000, 60000),
    ("Water", ("Sydney Water",), "Water", "Bills account", "expense", 5000, 30000),
    ("Internet", ("Aussie Broadband",), "Internet", "Bills account", "expense", 7900, 9900),
    ("Shares", ("CommSec",), "Brokerage", "Savings account", "transfer", 50000, 500000),
    ("Coffee", ("Bean There", "Cafe Sydney"), "Eating out", "Cash", "expense", 400, 900),
    (
        "Business trip",
        ("Qantas", "Virgin Australia"),
        "Business travel",
        "Amex",
        "expense",
        15000,
        90000,
    ),
)
TEMPLATES = HOT_TEMPLATES + OTHER_TEMPLATES

STAGING = """
CREATE TEMP TABLE seed_staging (
    seq integer NOT NULL, day integer NOT NULL, template smallint NOT NULL,
    payee smallint NOT NULL, amount bigint NOT NULL
) ON COMMIT DROP
"""
TEMPLATE_TABLE = """
CREATE TEMP TABLE seed_template (
    template smallint PRIMARY KEY, description text, payees text[], debit uuid, credit uuid,
    kind text
) ON COMMIT DROP
"""
INSERT_TRANSACTIONS = """
INSERT INTO ledger_transaction (id, tenant_id, occurred_on, description, payee, status, kind,
    tags, created_at, updated_at{columns})
SELECT md5(:salt || s.seq)::uuid, :tenant, DATE '2016-01-01' + s.day, t.description,
    NULLIF(t.payees[s.payee + 1], ''), CASE WHEN s.seq % 50 = 0 THEN 'pending' ELSE 'cleared' END,
    t.kind, CASE WHEN t.description IN ('Groceries', 'Takeaway', 'Dinner out') THEN ',food,'
    ELSE '' END, ts, ts{values}
FROM seed_staging s JOIN seed_template t USING (template),
    LATERAL (SELECT TIMESTAMPTZ '2016-01-01 08:00+00' + make_interval(days => s.day,
        secs => s.seq % 36000) AS ts) c
"""
INSERT_POSTINGS = """
INSERT INTO posting (id, tenant_id, transaction_id, account_id, position, amount, currency,
    occurred_on)
SELECT md5(:salt || s.seq || 'p' || leg.position)::uuid, :tenant, md5(:salt || s.seq)::uuid,
    CASE leg.position WHEN 0 THEN t.debit ELSE t.credit END, leg.position,
    CASE leg.position WHEN 0 THEN s.amount ELSE -s.amount END, 'AUD', DATE '2016-01-01' + s.day
FROM seed_staging s JOIN seed_template t USING (template)
CROSS JOIN (VALUES (0), (1)) AS leg(position)
"""
SNAPSHOTS = """
INSERT INTO balance_day (tenant_id, account_id, day, delta, entries)
SELECT tenant_id, account_id, occurred_on, sum(amount), count(DISTINCT transaction_id)
FROM posting WHERE tenant_id = :tenant
GROUP BY 1, 2, 3;
INSERT INTO balance_month (tenant_id, account_id, month, delta, entries)
SELECT tenant_id, account_id, date_trunc('month', day)::date, sum(delta), sum(entries)
FROM balance_day WHERE tenant_id = :tenant GROUP BY 1, 2, 3;
INSERT INTO ledger_entry_day (tenant_id, day, live, deleted)
SELECT tenant_id, occurred_on, count(*), 0 FROM ledger_transaction WHERE tenant_id = :tenant
GROUP BY 1, 2
"""
NAIVE = text(
    "SELECT coalesce(sum(p.amount), 0) FROM posting p JOIN ledger_transaction t "
    "ON t.id = p.transaction_id WHERE p.tenant_id = :t AND p.account_id = :a "
    "AND p.occurred_on <= :d AND t.deleted_at IS NULL"
)
SEED_TABLE = """
CREATE SCHEMA IF NOT EXISTS bench;
CREATE TABLE IF NOT EXISTS bench.seed (
    postings bigint NOT NULL, tenant_id uuid NOT NULL, user_id uuid NOT NULL,
    hot_account_id uuid NOT NULL, email text NOT NULL, password text NOT NULL,
    seconds double precision NOT NULL, seeded_at timestamptz NOT NULL DEFAULT now()
)
"""


@dataclass(frozen=True, slots=True)
class Seed:
    """What the benchmarks need to know about a seeded database."""

    database: str
    admin_url: str
    app_url: str
    postings: int
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    hot_account_id: uuid.UUID
    email: str
    password: str


def urls(database: str, server: str = SERVER) -> tuple[str, str]:
    host = server.split("@", 1)[1]
    return f"{server}/{database}", f"postgresql+psycopg://{APP_ROLE}@{host}/{database}"


def bench_settings(app_url: str) -> Settings:
    # A fixed key: the seeder only needs the services, the benchmarks log in over HTTP.
    return Settings(database_url=app_url, secret_key=SecretStr("bench-" + "k" * 40))


def seed(postings: int, database: str = "fiscus_bench", server: str = SERVER) -> Seed:
    """The seeded database of that size: found, or created now."""
    admin_url, app_url = urls(database, server)
    if (found := existing(database, admin_url, app_url, postings, server)) is not None:
        print(f"{database}: already seeded with {postings:,} postings")
        upgrade(admin_url, APP_ROLE)  # a newer migration since: apply it to the seeded data
        return found
    _recreate(database, server)
    started = time.perf_counter()
    upgrade(admin_url, APP_ROLE)
    print(f"created and migrated {database} in {time.perf_counter() - started:.1f} s")
    tenant_id, user_id, accounts = _tenant_and_chart(app_url)
    owner = make_engine(admin_url, pool_size=1)
    try:
        with owner.begin() as conn:
            _load(conn, tenant_id, accounts, postings)
        _analyze(owner)
        _verify(owner, app_url, tenant_id, list(accounts.values()))
        seconds = time.perf_counter() - started
        with owner.begin() as conn:
            for statement in SEED_TABLE.split(";"):
                conn.execute(text(statement))
            conn.execute(
                text(
                    "INSERT INTO bench.seed (postings, tenant_id, user_id, hot_account_id, email,"
                    " password, seconds) VALUES (:n, :t, :u, :h, :e, :p, :s)"
                ),
                {"n": postings, "t": tenant_id, "u": user_id, "h": accounts[HOT]}
                | {"e": EMAIL, "p": PASSWORD, "s": seconds},
            )
    finally:
        owner.dispose()
    print(f"seeded {postings:,} postings in {seconds:.0f} s")
    return Seed(
        database, admin_url, app_url, postings, tenant_id, user_id, accounts[HOT], EMAIL, PASSWORD
    )


def existing(
    database: str, admin_url: str, app_url: str, postings: int, server: str = SERVER
) -> Seed | None:
    admin = make_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT", pool_size=1)
    try:
        with admin.connect() as conn:
            found = conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": database}
            )
    finally:
        admin.dispose()
    if not found:
        return None
    owner = make_engine(admin_url, pool_size=1)
    try:
        with owner.connect() as conn:
            if not conn.scalar(text("SELECT to_regclass('bench.seed') IS NOT NULL")):
                return None
            row = conn.execute(
                text(
                    "SELECT tenant_id, user_id, hot_account_id, email, password FROM bench.seed"
                    " WHERE postings = :n"
                ),
                {"n": postings},
            ).first()
    finally:
        owner.dispose()
    if row is None:
        return None
    return Seed(database, admin_url, app_url, postings, row[0], row[1], row[2], row[3], row[4])


def _recreate(database: str, server: str) -> None:
    if not database.replace("_", "").isalnum():
        raise SystemExit(f"invalid database name {database!r}")
    admin = make_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT", pool_size=1)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{database}"'))
    finally:
        admin.dispose()


def _tenant_and_chart(app_url: str) -> tuple[uuid.UUID, uuid.UUID, dict[str, uuid.UUID]]:
    """The user, tenant and chart through the services, as the app role (RLS on)."""
    engine = make_engine(app_url, pool_size=1)
    settings = bench_settings(app_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            issued = auth_service.register(
                session, settings, email=EMAIL, password=PASSWORD, name="Bench", origin=ORIGIN
            )
            tenant_id, user_id = issued.access.tenant.id, issued.user.id
            ctx = TenantContext(tenant_id, user_id, "owner", ORIGIN)
            bind_scope(session, tenant_id=tenant_id, user_id=user_id)
            ledger.apply_template(session, ctx, "household")
            for name, type_, subtype in ACCOUNTS:
                data = AccountCreate(name=name, type=type_, subtype=subtype, opened_on=START)
                ledger.create_account(session, ctx, data)
            for name in BUSINESS:
                kind = "income" if name.endswith("income") else "expense"
                ledger.create_account(session, ctx, AccountCreate(name=name, type=kind))
            accounts = {a.name: a.id for a in ledger.list_accounts(session, ctx)}
    finally:
        engine.dispose()
    print(f"tenant {tenant_id} with {len(accounts)} accounts and categories")
    return tenant_id, user_id, accounts


def staging_rows(transactions: int, rng: random.Random) -> Iterator[str]:
    """One tab-separated line per transaction, in date order: seq, day, template, payee,
    amount. Two transactions in five (seq % 5 < 2) touch the hot account."""
    days = sorted(rng.choices(range(DAYS), k=transactions))
    hot, other = len(HOT_TEMPLATES), len(OTHER_TEMPLATES)
    for seq, day in enumerate(days):
        index = rng.randrange(hot) if seq % HOT_SHARE < 2 else hot + rng.randrange(other)
        _, payees, _, _, _, low, high = TEMPLATES[index]
        payee = rng.randrange(len(payees))
        yield f"{seq}\t{day}\t{index}\t{payee}\t{rng.randint(low, high)}\n"


def _copy_staging(conn: Connection, transactions: int) -> None:
    rng = random.Random(20161)
    raw: Any = conn.connection.dbapi_connection  # psycopg's, for COPY
    with raw.cursor() as cursor, cursor.copy("COPY seed_staging FROM STDIN") as copy:
        buffer = io.StringIO()
        for i, line in enumerate(staging_rows(transactions, rng)):
            buffer.write(line)
            if i % 100_000 == 99_999:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())


def _load(conn: Connection, tenant_id: uuid.UUID, accounts: dict[str, uuid.UUID], n: int) -> None:
    transactions = n // 2
    params = {"tenant": tenant_id, "salt": tenant_id.hex}
    conn.execute(text("SET LOCAL session_replication_role = replica"))
    conn.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
    conn.execute(text("SET LOCAL work_mem = '256MB'"))
    conn.execute(text(STAGING))
    conn.execute(text(TEMPLATE_TABLE))
    for index, (description, payees, debit, credit, kind, _, _) in enumerate(TEMPLATES):
        conn.execute(
            text("INSERT INTO seed_template VALUES (:i, :d, :p, :dr, :cr, :k)"),
            {"i": index, "d": description, "p": list(payees), "dr": accounts[debit]}
            | {"cr": accounts[credit], "k": kind},
        )
    step = _stopwatch()
    _copy_staging(conn, transactions)
    step(f"generated and copied {transactions:,} staging rows")
    indexes = _drop_secondary_indexes(conn, ("ledger_transaction", "posting"))
    step(f"dropped {len(indexes)} secondary indexes")
    conn.execute(text(_insert_transactions(conn)), params)
    step(f"inserted {transactions:,} transactions")
    conn.execute(text(INSERT_POSTINGS), params)
    step(f"inserted {2 * transactions:,} postings")
    for definition in indexes:
        conn.execute(text(definition))
    step(f"rebuilt {len(indexes)} indexes")
    for statement in SNAPSHOTS.split(";"):
        conn.execute(text(statement), params)
    step("derived balance_day and balance_month")


def _insert_transactions(conn: Connection) -> str:
    """Migration 0007 stores each entry's gross amount (its debit) and currency."""
    columns = set(
        conn.scalars(
            text(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_name = 'ledger_transaction'"
            )
        )
    )
    if {"amount", "currency"} <= columns:
        return INSERT_TRANSACTIONS.format(columns=", amount, currency", values=", s.amount, 'AUD'")
    return INSERT_TRANSACTIONS.format(columns="", values="")


def _drop_secondary_indexes(conn: Connection, tables: tuple[str, ...]) -> list[str]:
    """Drop the plain (non-constraint) indexes of these tables; return how to rebuild them."""
    rows = conn.execute(
        text(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " WHERE i.indrelid = ANY(CAST(:tables AS regclass[])) AND NOT EXISTS"
            " (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
        ),
        {"tables": list(tables)},
    ).all()
    for name, _ in rows:
        conn.execute(text(f"DROP INDEX {name}"))
    return [definition for _, definition in rows]


def _analyze(owner: Engine) -> None:
    step = _stopwatch()
    with owner.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(
            text("VACUUM (ANALYZE) ledger_transaction, posting, balance_day, balance_month")
        )
    step("vacuum analyze")


def _verify(owner: Engine, app_url: str, tenant_id: uuid.UUID, accounts: list[uuid.UUID]) -> None:
    """Snapshot balances equal naive sums at sampled dates; every entry balances."""
    step = _stopwatch()
    with owner.connect() as conn:
        unbalanced = conn.scalar(
            text(
                "SELECT count(*) FROM (SELECT transaction_id FROM posting GROUP BY transaction_id"
                " HAVING sum(amount) <> 0) u"
            )
        )
        used = conn.scalars(
            text("SELECT DISTINCT account_id FROM balance_month WHERE tenant_id = :t"),
            {"t": tenant_id},
        ).all()
    if unbalanced:
        raise SystemExit(f"{unbalanced} entries do not balance")
    rng = random.Random(7)
    samples = [(rng.choice(used), START + timedelta(days=rng.randrange(DAYS))) for _ in range(40)]
    engine = make_engine(app_url, pool_size=1)
    try:
        with unit_of_work(make_session_factory(engine), read_only=True) as session:
            bind_scope(session, tenant_id=tenant_id, user_id=None)
            repo = BalanceRepository(session, tenant_id)
            for account_id, on in samples:
                fast = repo.raw_balance(account_id, on)
                slow = session.scalar(NAIVE, {"t": tenant_id, "a": account_id, "d": on})
                if fast != slow:
                    raise SystemExit(f"{account_id} at {on}: snapshots {fast} != naive {slow}")
    finally:
        engine.dispose()
    step(f"verified: every entry balances; {len(samples)} snapshot balances equal naive SUMs")
    assert set(used) <= set(accounts)


def _stopwatch() -> Any:
    last = [time.perf_counter()]

    def step(what: str) -> None:
        now = time.perf_counter()
        print(f"  {now - last[0]:7.1f} s  {what}", flush=True)
        last[0] = now

    return step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=1_000_000)
    parser.add_argument("--database", default="fiscus_bench")
    args = parser.parse_args()
    seed(args.postings, args.database)


if __name__ == "__main__":
    main()
