"""The database half of bench/bench_categorise.py: `categorise` on a real import batch.

Run through `bench_categorise.py --db N --backend postgres|sqlite` (see its docstring).
"""

from __future__ import annotations

import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from fiscus.auth import service as auth_service
from fiscus.config import Settings
from fiscus.core.context import Origin, TenantContext
from fiscus.db.migrate import upgrade
from fiscus.db.session import bind_scope, make_engine, make_session_factory, unit_of_work
from fiscus.insights import service as insights
from fiscus.ledger import service as ledger
from fiscus.ledger.schemas import AccountCreate

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
DATABASE = "fiscus_bench_categorise"
ORIGIN = Origin(user_agent="fiscus-bench-categorise")


def _database(backend: str) -> tuple[str, str]:
    if backend == "sqlite":
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench_categorise.db'}"
        return url, url
    admin = make_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT", pool_size=1)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    return f"{SERVER}/{DATABASE}", f"postgresql+psycopg://fiscus_app@127.0.0.1:5432/{DATABASE}"


def _books(factory: sessionmaker[Session], history: list[Any]) -> tuple[TenantContext, Any]:
    settings = Settings(database_url="sqlite://", env="test", jwt_secret=SecretStr("x" * 40))
    with unit_of_work(factory) as session:
        issued = auth_service.register(
            session, settings, email="categorise@example.com", password="a bench passphrase",  # noqa: S106
            name="Bench", origin=ORIGIN,
        )  # fmt: skip
        ctx = TenantContext(issued.access.tenant.id, issued.user.id, "owner", ORIGIN)
        bind_scope(session, tenant_id=ctx.tenant_id, user_id=ctx.user_id)
        names = sorted({x.category for x in history})
        income = {x.category for x in history if x.amount > 0}
        categories = {
            name: ledger.create_account(
                session,
                ctx,
                AccountCreate(name=name, type="income" if name in income else "expense"),
            ).id
            for name in names
        }
        banks = {
            account: ledger.create_account(
                session, ctx, AccountCreate(name=f"Bank {i}", type="asset")
            ).id
            for i, account in enumerate(sorted({x.account for x in history}, key=str))
        }
        ledger.uncategorised_category(session, ctx, kind="expense")
        ledger.uncategorised_category(session, ctx, kind="income")
    return ctx, (categories, banks)


def _post(
    factory: sessionmaker[Session],
    ctx: TenantContext,
    lines: list[Any],
    category_of: Any,
    banks: dict[uuid.UUID, uuid.UUID],
) -> list[uuid.UUID]:
    by_bank: dict[uuid.UUID, list[Any]] = defaultdict(list)
    for line in lines:
        by_bank[banks[line.account]].append(line)
    ids: list[uuid.UUID] = []
    with unit_of_work(factory) as session:
        bind_scope(session, tenant_id=ctx.tenant_id, user_id=ctx.user_id)
        for bank, mine in by_bank.items():
            entries = [
                ledger.BulkEntry(
                    transaction_id=uuid.uuid4(),
                    occurred_on=x.on,
                    description=x.description,
                    payee=None,
                    amount=x.amount,
                    category_id=category_of(session, x),
                )
                for x in mine
            ]
            ledger.bulk_post(session, ctx, account_id=bank, entries=entries)
            ids.extend(e.transaction_id for e in entries)
    return ids


def run(n: int, backend: str, history: list[Any], fresh: list[Any]) -> None:
    admin_url, app_url = _database(backend)
    upgrade(admin_url, "fiscus_app")
    engine = make_engine(app_url, pool_size=2)
    factory = make_session_factory(engine)
    ctx, (categories, banks) = _books(factory, history)
    started = time.perf_counter()
    _post(factory, ctx, history, lambda s, x: categories[x.category], banks)
    print(f"{backend}: booked and learned {len(history)} categorised entries "
          f"in {time.perf_counter() - started:.2f} s")  # fmt: skip
    uncategorised: dict[str, uuid.UUID] = {}

    def uncat(session: Session, x: Any) -> uuid.UUID:
        kind = "income" if x.amount > 0 else "expense"
        if kind not in uncategorised:
            uncategorised[kind] = ledger.uncategorised_category(session, ctx, kind=kind).id
        return uncategorised[kind]

    started, cpu = time.perf_counter(), time.process_time()
    ids = _post(factory, ctx, fresh, uncat, banks)
    booked = time.perf_counter() - started
    print(f"{backend}: booked {len(ids)} fresh lines on Uncategorised in {booked:.2f} s "
          f"(CPU of this process {time.process_time() - cpu:.2f} s)")  # fmt: skip
    started, cpu = time.perf_counter(), time.process_time()
    with unit_of_work(factory) as session:
        bind_scope(session, tenant_id=ctx.tenant_id, user_id=ctx.user_id)
        outcome = insights.categorise(session, ctx, transaction_ids=ids)
        done = time.perf_counter() - started
    total, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{backend}: categorise {len(ids)}: {outcome} in {done:.2f} s, "
          f"{total:.2f} s with the commit ({total / booked:.0%} of the booking time); "
          f"CPU of this process {cpu:.2f} s")  # fmt: skip
    engine.dispose()
