"""Speed of `fiscus.rules.service.apply_rules` on a freshly imported batch.

Creates the database `fiscus_bench_rules` on PostgreSQL (dropped first) or a temporary
SQLite file, migrates it, registers a user whose tenant gets the household chart and a
bank account, then books N bank lines against the uncategorised categories with the
ledger's set-based `bulk_post` (as an import does; timed, for the ratio), raw
descriptions the way banks write them (EFTPOS/VISA prefixes, store and card numbers,
suburbs, dates) and no payee. With R rules saved (contains, regex, amount, sign and
"uncategorised" conditions; category, tag and rename actions; a few matching nothing),
it times `apply_rules` on all N ids in one unit of work, commit included (on PostgreSQL
the deferred balance trigger checks every touched entry there), and prints the phases:
reading the rows, running the rules in memory (payee clean-up included), and the writes.

    .venv/bin/python bench/bench_rules.py [--lines 100000] [--rules 25] [--backend postgres|sqlite]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from pydantic import SecretStr
from sqlalchemy import text

from fiscus.auth import service as auth_service
from fiscus.config import Settings
from fiscus.core.context import Origin, TenantContext
from fiscus.db.migrate import upgrade
from fiscus.db.session import bind_scope, make_engine, make_session_factory, unit_of_work
from fiscus.ledger import service as ledger
from fiscus.ledger.entry_rows import entry_rows
from fiscus.ledger.schemas import AccountCreate
from fiscus.rules import matching
from fiscus.rules import service as rules
from fiscus.rules.schemas import RuleCreate

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
DATABASE = "fiscus_bench_rules"
ORIGIN = Origin(user_agent="fiscus-bench-rules")
# (raw merchant as banks write it, category of the household template, typical cents)
MERCHANTS = [
    ("WOOLWORTHS", "Groceries", 8500),
    ("COLES", "Groceries", 7000),
    ("ALDI STORES", "Groceries", 5500),
    ("SQ *BEAN THERE COFFEE", "Eating out", 900),
    ("MCDONALDS", "Eating out", 1400),
    ("UBER *EATS", "Eating out", 3800),
    ("BP EXPRESS", "Fuel", 7000),
    ("AMPOL", "Fuel", 7200),
    ("TRANSPORTFORNSW OPAL", "Public transport", 2000),
    ("PAYPAL *NETFLIX.COM", "Subscriptions", 2299),
    ("SPOTIFY P1", "Subscriptions", 1399),
    ("TELSTRA", "Phone and internet", 8900),
    ("AGL SALES PTY LTD", "Electricity and gas", 18000),
    ("CHEMIST WAREHOUSE", "Medical", 3000),
    ("BUNNINGS WAREHOUSE", "Home maintenance", 6000),
    ("KMART", "Clothing", 4000),
    ("JB HI FI", "Electronics", 25000),
    ("RANDOM LOCAL SHOP", None, 2500),
]
SUBURBS = ["SYDNEY NSW", "MOSMAN NSW", "RICHMOND VIC", "BRISBANE QLD", "PERTH WA", "AU"]
PREFIXES = ["EFTPOS ", "VISA PURCHASE ", "POS ", "", "CARD XX1234 "]


def raw_line(rng: random.Random, merchant: str, day: date) -> str:
    store = rng.randrange(100, 9999)
    return f"{rng.choice(PREFIXES)}{merchant} {store} {rng.choice(SUBURBS)} {day:%d/%m}".strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--rules", type=int, default=25)
    parser.add_argument("--backend", choices=("postgres", "sqlite"), default="postgres")
    args = parser.parse_args()
    admin_url, app_url = _database(args.backend)
    upgrade(admin_url, "fiscus_app")
    engine = make_engine(app_url, pool_size=2)
    factory = make_session_factory(engine)
    settings = Settings(database_url=app_url, env="test", jwt_secret=SecretStr("x" * 40))
    with unit_of_work(factory) as session:
        issued = auth_service.register(
            session, settings, email="rules@example.com", password="a bench passphrase",  # noqa: S106
            name="Bench", origin=ORIGIN,
        )  # fmt: skip
        ctx = TenantContext(issued.access.tenant.id, issued.user.id, "owner", ORIGIN)
        bind_scope(session, tenant_id=ctx.tenant_id, user_id=ctx.user_id)
        ledger.apply_template(session, ctx, "household")
        bank = ledger.create_account(session, ctx, AccountCreate(name="Everyday", type="asset"))
        categories = {a.name: a.id for a in ledger.list_accounts(session, ctx)}
        bank_id = bank.id
    ids = _book(factory, ctx, bank_id, args.lines)
    _save_rules(factory, ctx, categories, args.rules)
    _time_apply(factory, ctx, ids)
    engine.dispose()


def _database(backend: str) -> tuple[str, str]:
    if backend == "sqlite":
        path = Path(tempfile.mkdtemp()) / "bench_rules.db"
        url = f"sqlite:///{path}"
        return url, url
    admin = make_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT", pool_size=1)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    return f"{SERVER}/{DATABASE}", f"postgresql+psycopg://fiscus_app@127.0.0.1:5432/{DATABASE}"


def _book(factory: object, ctx: TenantContext, bank_id: uuid.UUID, lines: int) -> list[uuid.UUID]:
    rng = random.Random(7)
    started = time.perf_counter()
    with unit_of_work(factory) as session:  # type: ignore[arg-type]
        bind_scope(session, tenant_id=ctx.tenant_id, user_id=ctx.user_id)
        expense = ledger.uncategorised_category(session, ctx, kind="expense").id
        entries = []
        for _ in range(lines):
            merchant, _, cents = rng.choice(MERCHANTS)
            day = date(2024, 1, 1) + timedelta(days=rng.randrange(730))
            amount = -max(1, int(rng.gauss(cents, cents * 0.3)))
            entries.append(
                ledger.BulkEntry(
                    transaction_id=uuid.uuid4(),
                    occurred_on=day,
                    description=raw_line(rng, merchant, day),
                    payee=None,
                    amount=amount,
                    category_id=expense,
                )
            )
        ledger.bulk_post(session, ctx, account_id=bank_id, entries=entries)
    print(f"booked {lines} lines with bulk_post in {time.perf_counter() - started:.2f} s")
    return [e.transaction_id for e in entries]


def _save_rules(
    factory: object, ctx: TenantContext, categories: dict[str, uuid.UUID], count: int
) -> None:
    bodies = []
    for merchant, category, _cents in MERCHANTS:
        if category is None or category not in categories:
            continue
        word = merchant.split("*")[-1].split()[0].lower()
        bodies.append(
            {
                "name": f"{word} is {category}",
                "conditions": {
                    "payee": {"op": "contains", "value": word},
                    "sign": "out",
                    "category": "uncategorised",
                },
                "actions": {"set_category_id": str(categories[category]), "add_tags": ["auto"]},
            }
        )
    extra = [
        {"name": "big spend", "conditions": {"amount_min": "200.00", "sign": "out"},
         "actions": {"add_tags": ["big"]}},
        {"name": "coffee regex", "conditions": {"description": {"op": "regex",
         "value": r"\bsq \*.*coffee"}}, "actions": {"rename_payee": "Bean There"}},
        {"name": "nothing", "conditions": {"payee": {"op": "regex", "value": r"^zzz\d+$"}},
         "actions": {"add_tags": ["never"]}},
    ]  # fmt: skip
    bodies = (bodies + extra) * (count // len(bodies + extra) + 1)
    with unit_of_work(factory) as session:  # type: ignore[arg-type]
        bind_scope(session, tenant_id=ctx.tenant_id, user_id=ctx.user_id)
        for body in bodies[:count]:
            rules.create_rule(session, ctx, RuleCreate.model_validate(body))
    print(f"saved {min(count, len(bodies))} rules")


def _time_apply(factory: object, ctx: TenantContext, ids: list[uuid.UUID]) -> None:
    with unit_of_work(factory) as session:  # type: ignore[arg-type]
        bind_scope(session, tenant_id=ctx.tenant_id, user_id=ctx.user_id)
        started = time.perf_counter()
        rows = list(entry_rows(session, ctx, ids).values())
        read = time.perf_counter() - started
        saved = rules.list_rules(session, ctx)
        from fiscus.rules.service_run import _compiled, accounts_of

        compiled = _compiled(session, ctx, saved)
        started = time.perf_counter()
        plans = matching.run(rows, compiled, accounts_of(session, ctx), clean_payees=True)
        ran = time.perf_counter() - started
        print(f"  read {len(rows)} rows {read:.2f} s; rules in memory {ran:.2f} s "
              f"({sum(p.changed for p in plans)} would change)")  # fmt: skip
        session.rollback()
    started, cpu = time.perf_counter(), time.process_time()
    with unit_of_work(factory) as session:  # type: ignore[arg-type]
        bind_scope(session, tenant_id=ctx.tenant_id, user_id=ctx.user_id)
        outcome = rules.apply_rules(session, ctx, transaction_ids=ids)
        applied = time.perf_counter() - started
    total, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"apply_rules on {len(ids)} lines: {applied:.2f} s, with commit {total:.2f} s "
        f"(this process's CPU {cpu:.2f} s; on SQLite that includes the database)"
    )
    print(f"  {outcome}")


if __name__ == "__main__":
    main()
