"""A bank-file import of N rows (default 100,000) end to end on PostgreSQL, phase by phase.

Creates a throw-away migrated database (as the tests do), a user, tenant and checking
account through the services, and a realistic CSV in memory (a bank export: DD/MM/YYYY
dates over two years, ~300 merchants with card-number and location noise, signed amounts
with a thousands separator on the big ones, a bank reference per line). Then, as the app
role (row-level security on):

1. upload: size/type checks, detection, parse, duplicate check against the books, preview
   stored on the import row (one unit of work, committed);
2. commit request: decisions checked, job queued (committed);
3. the commit job's body in its own unit of work (what `fiscus worker` runs), with the
   time to each progress report (read / booked / anchors+rules+categoriser), then the
   COMMIT itself (the deferred per-entry balance trigger runs there);
4. the same file again (every line an exact duplicate: nothing booked);
5. undo of the first import.

Balances are checked against a naive SUM after the commit and after the undo.

    .venv/bin/python bench/bench_import.py [--rows 100000] [--keep]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from tests.support.databases import create_database, drop_database

import fiscus.imports.tasks  # noqa: F401  (registers the commit job body)
from fiscus.auth import service as auth_service
from fiscus.config import Settings
from fiscus.core.context import Origin, TenantContext
from fiscus.db.session import bind_scope, make_engine, make_session_factory, unit_of_work
from fiscus.imports import service as imports_service
from fiscus.imports.schemas import CommitRequest
from fiscus.jobs.repository import JobRepository
from fiscus.ledger import service as ledger
from fiscus.ledger.schemas import AccountCreate

MERCHANTS = [
    f"{name} {suburb}"
    for name in (
        "WOOLWORTHS",
        "COLES",
        "ALDI",
        "BP",
        "SHELL",
        "UBER *TRIP",
        "NETFLIX.COM",
        "BUNNINGS",
        "KMART",
        "JB HI-FI",
        "CHEMIST WAREHOUSE",
        "DAN MURPHYS",
        "OFFICEWORKS",
        "7-ELEVEN",
        "MCDONALDS",
        "GUZMAN Y GOMEZ",
        "TELSTRA",
        "AGL ENERGY",
        "SYDNEY WATER",
        "OPAL TRAVEL",
    )
    for suburb in (
        "SYDNEY",
        "PARRAMATTA",
        "BONDI",
        "CHATSWOOD",
        "NEWTOWN",
        "MANLY",
        "RYDE",
        "PENRITH",
        "HORNSBY",
        "LIVERPOOL",
        "BLACKTOWN",
        "CRONULLA",
        "MOSMAN",
        "GLEBE",
        "KOGARAH",
    )
]


def realistic_csv(rows: int, rng: random.Random) -> bytes:
    start = date(2024, 1, 1)
    days = sorted(rng.randrange(730) for _ in range(rows))
    out = ["Date,Description,Debit/Credit,Balance,Reference"]
    running = 250_000  # cents
    for i, day in enumerate(days):
        if rng.random() < 0.04:
            cents, what = rng.randint(150_000, 650_000), "SALARY ACME PTY LTD"
        else:
            merchant = rng.choice(MERCHANTS)
            card = f"CARD {rng.randint(1000, 9999)}"
            cents, what = -rng.randint(200, 45_000), f"EFTPOS {merchant} {card} AU"
        running += cents
        on = (start + timedelta(days=day)).strftime("%d/%m/%Y")
        out.append(f'{on},{what},"{_money(cents)}","{_money(running)}",REF{i:08d}')
    return ("\n".join(out) + "\n").encode()


def _money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{part:02d}"


def timed(label: str, fn: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = fn()
    print(f"{label:<44} {time.perf_counter() - started:7.2f} s")
    return result


def setup(factory: sessionmaker[Session], app_url: str) -> tuple[TenantContext, uuid.UUID]:
    settings = Settings(database_url=app_url, secret_key=SecretStr("bench-" + "k" * 40))
    with unit_of_work(factory) as session:
        issued = auth_service.register(
            session,
            settings,
            email="bench@example.com",
            password="a bench passphrase",  # noqa: S106 (a throw-away database)
            name="Bench",
            origin=Origin(),
        )
        tenant, user = issued.access.tenant.id, issued.user.id
        ctx = TenantContext(tenant, user, "owner", Origin())
        bind_scope(session, tenant_id=tenant, user_id=user)
        account = ledger.create_account(
            session, ctx, AccountCreate(name="Everyday", type="asset", subtype="checking")
        )
        return ctx, account.id


def upload(
    factory: sessionmaker[Session], ctx: TenantContext, account: uuid.UUID, data: bytes
) -> uuid.UUID:
    with unit_of_work(factory) as session:
        bind_scope(session, tenant_id=ctx.tenant_id, user_id=ctx.user_id)
        found = imports_service.upload_import(
            session,
            ctx,
            account_id=account,
            filename="bank.csv",
            content_type="text/csv",
            data=data,
            mapping=None,
        )
        return found.id


def request_commit(
    factory: sessionmaker[Session], ctx: TenantContext, import_id: uuid.UUID
) -> uuid.UUID:
    with unit_of_work(factory) as session:
        bind_scope(session, tenant_id=ctx.tenant_id, user_id=ctx.user_id)
        return imports_service.request_commit(session, ctx, import_id, CommitRequest()).job_id


def run_job(
    factory: sessionmaker[Session], ctx: TenantContext, job_id: uuid.UUID
) -> dict[str, Any]:
    """The job body as the runner runs it (own unit of work), progress reports timed."""
    started = time.perf_counter()
    marks: list[tuple[int, float]] = []
    session = factory()
    try:
        bind_scope(session, tenant_id=ctx.tenant_id, user_id=None)
        job = JobRepository(session, ctx.tenant_id).get(job_id)
        assert job is not None
        result = imports_service.run_commit_job(
            session, job, lambda done, _total: marks.append((done, time.perf_counter()))
        )
        before_commit = time.perf_counter()
        session.commit()
        committed = time.perf_counter()
    finally:
        session.close()
    names = {
        1: "read file (detect + parse)",
        2: "duplicate check",
        3: "bulk booking",
        4: "import lines + anchors",
        5: "rules (apply_rules)",
        6: "categoriser (categorise)",
        7: "audit, presets, import row",
    }
    last = started
    for done, at in marks:
        print(f"  job: {names.get(done, str(done)):<38} {at - last:7.2f} s")
        last = at
    print(f"  job: {'rest of body':<38} {before_commit - last:7.2f} s")
    print(f"  job: {'COMMIT (deferred balance trigger)':<38} {committed - before_commit:7.2f} s")
    print(f"{'commit job, body + COMMIT':<44} {committed - started:7.2f} s")
    return result


def undo(factory: sessionmaker[Session], ctx: TenantContext, import_id: uuid.UUID) -> None:
    with unit_of_work(factory) as session:
        bind_scope(session, tenant_id=ctx.tenant_id, user_id=ctx.user_id)
        imports_service.undo_import(session, ctx, import_id)


def check(factory: sessionmaker[Session], ctx: TenantContext, account: uuid.UUID) -> int:
    with unit_of_work(factory, read_only=True) as session:
        bind_scope(session, tenant_id=ctx.tenant_id, user_id=ctx.user_id)
        snap = ledger.account_balance(session, ctx, account, date(2030, 1, 1)).minor_units
        naive = session.scalar(
            text(
                "SELECT coalesce(sum(p.amount), 0) FROM posting p JOIN ledger_transaction t"
                " ON t.id = p.transaction_id WHERE p.account_id = :a AND t.deleted_at IS NULL"
            ),
            {"a": account},
        )
        assert snap == int(naive or 0), f"snapshots {snap} != naive {naive}"
        return snap


def _stub_rules_and_ml() -> None:
    from fiscus.imports import commit
    from fiscus.insights.service import CategoriseOutcome
    from fiscus.rules.service import RulesOutcome

    def no_rules(*_args: object, **_kwargs: object) -> Any:
        return RulesOutcome(changed=0, categorised=0)

    def no_ml(*_args: object, **_kwargs: object) -> Any:
        return CategoriseOutcome(considered=0, applied=0, queued=0)

    commit.rules_service.apply_rules = no_rules  # type: ignore[assignment]
    commit.insights_service.categorise = no_ml  # type: ignore[assignment]
    print("apply_rules and categorise replaced by no-ops (--without-rules-ml)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--profile-undo", action="store_true")
    parser.add_argument(
        "--without-rules-ml",
        action="store_true",
        help="replace apply_rules and categorise by no-ops, to time the import's own work",
    )
    args = parser.parse_args()
    if args.without_rules_ml:
        _stub_rules_and_ml()
    data = realistic_csv(args.rows, random.Random(42))
    print(f"{args.rows:,} rows, {len(data) / 1_048_576:.1f} MB of CSV")
    db = create_database("postgres", Path(tempfile.gettempdir()))
    engine = make_engine(db.app_url)
    try:
        factory = make_session_factory(engine)
        ctx, account = setup(factory, db.app_url)
        total = time.perf_counter()
        import_id = timed(
            "upload (checks, detect, parse, dupes, preview)",
            lambda: upload(factory, ctx, account, data),
        )
        job_id = timed(
            "commit request (decisions checked, job queued)",
            lambda: request_commit(factory, ctx, import_id),
        )
        result = run_job(factory, ctx, job_id)
        print(f"{'TOTAL upload -> committed':<44} {time.perf_counter() - total:7.2f} s")
        print(f"{'(this process CPU so far)':<44} {time.process_time():7.2f} s")
        print(f"counts: {result['counts']}")
        print(f"balance after commit: {check(factory, ctx, account) / 100:,.2f} (= naive SUM)")
        again = timed("same file again: upload", lambda: upload(factory, ctx, account, data))
        job_again = request_commit(factory, ctx, again)
        second = run_job(factory, ctx, job_again)
        print(f"second import counts: {second['counts']}")
        if args.profile_undo:
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.enable()
        timed("undo of the first import", lambda: undo(factory, ctx, import_id))
        if args.profile_undo:
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        print(f"balance after undo: {check(factory, ctx, account) / 100:,.2f} (= naive SUM)")
    finally:
        engine.dispose()
        if not args.keep:
            drop_database(db)


if __name__ == "__main__":
    main()
