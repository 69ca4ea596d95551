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
   time to each progress report (the lines: the upload's stored parse, or the file read
   again / duplicates / rules and categoriser deciding each line, the import lines'
   insert running alongside on PostgreSQL / booking, with what follows it prepared
   alongside / anchors / the rules' transfers and the suggestions), then the COMMIT;
4. the same file again (every line an exact duplicate: nothing booked);
5. undo of the first import.

Balances are checked against a naive SUM after the commit and after the undo. Besides
wall times it prints CPU: this process's, and the PostgreSQL backend's of each unit of
work (read from /proc: the server runs on the same machine), because on a machine
shared with other work the wall time says more about the load than about the code.

    .venv/bin/python bench/bench_import.py [--rows 100000] [--keep]
"""

from __future__ import annotations

import argparse
import os
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

import fiscus.imports.tasks  # (registers the commit job body)
import fiscus.insights.tasks  # noqa: F401  (the catch-up job a rules import enqueues)
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


BACKEND_CPU: list[float] = []  # seconds of PostgreSQL backend CPU per unit of work


def backend_pid(session: Session) -> int:
    return int(session.execute(text("SELECT pg_backend_pid()")).scalar_one())


def pid_cpu(pid: int) -> float:
    """CPU seconds (user + system) a PostgreSQL backend has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # the server is on another machine
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backend_cpu(session: Session) -> float:
    return pid_cpu(backend_pid(session))


def timed(label: str, fn: Callable[[], Any]) -> Any:
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    server = f", PostgreSQL {BACKEND_CPU.pop():.2f} s" if BACKEND_CPU else ""
    print(f"{label:<44} {took:7.2f} s  (CPU: here {cpu:.2f} s{server})")
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
        cpu = backend_cpu(session)
        found = imports_service.upload_import(
            session,
            ctx,
            account_id=account,
            filename="bank.csv",
            content_type="text/csv",
            data=data,
            mapping=None,
        )
        session.flush()
        BACKEND_CPU.append(backend_cpu(session) - cpu)  # the COMMIT's own CPU left out
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
    started, cpu = time.perf_counter(), time.process_time()
    marks: list[tuple[int, float, float, float]] = []  # step, wall, CPU here, PostgreSQL CPU
    session = factory()
    try:
        bind_scope(session, tenant_id=ctx.tenant_id, user_id=None)
        pid = backend_pid(session)
        server = pid_cpu(pid)
        job = JobRepository(session, ctx.tenant_id).get(job_id)
        assert job is not None
        start_mark = (0, started, cpu, server)

        def mark(done: int, _total: int | None) -> None:
            marks.append((done, time.perf_counter(), time.process_time(), pid_cpu(pid)))

        result = imports_service.run_commit_job(session, job, mark)
        before_commit, body_server = time.perf_counter(), pid_cpu(pid)
        session.commit()
        committed = time.perf_counter()
        commit_server, server = pid_cpu(pid) - body_server, body_server - server
    finally:
        session.close()
    names = {
        1: "read lines (stored parse)",
        2: "duplicate check",
        3: "decide each line (+ lines stored)",
        4: "bulk booking (final categories)",
        5: "anchors",
        6: "rules' transfers, suggestions",
        7: "audit, presets, import row",
    }
    last = start_mark
    for step in marks:
        wall, here, there = (step[i] - last[i] for i in (1, 2, 3))
        label = names.get(step[0], str(step[0]))
        print(
            f"  job: {label:<38} {wall:7.2f} s  (CPU: here {here:.2f} s, PostgreSQL {there:.2f} s)"
        )
        last = step
    print(f"  job: {'rest of body':<38} {before_commit - last[1]:7.2f} s")
    print(f"  job: {'COMMIT':<38} {committed - before_commit:7.2f} s")
    cpu = time.process_time() - cpu
    print(
        f"{'commit job, body + COMMIT':<44} {committed - started:7.2f} s  (CPU: here {cpu:.2f} s,"
        f" PostgreSQL {server:.2f} s + COMMIT {commit_server:.2f} s)"
    )
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


def _stub_rules_and_ml(*, clean_payees: bool) -> None:
    from fiscus.imports import decide
    from fiscus.insights.batch import LineSuggestions
    from fiscus.rules.matching import run
    from fiscus.rules.service_import import LinePlans, Reads, run_distinct

    def no_rules(_session: object, _ctx: object, rows: Any) -> Any:
        if clean_payees:  # as the import cleans them: once per distinct payee
            return LinePlans(run_distinct(rows, [], Reads(), {}), [])
        return LinePlans(run(rows, [], {}, clean_payees=False), [])

    def no_ml(*_args: object, **_kwargs: object) -> Any:
        return LineSuggestions()

    decide.rules_import.plan_lines = no_rules  # type: ignore[assignment]
    decide.insights_batch.suggest_lines = no_ml  # type: ignore[assignment]
    if clean_payees:
        print("payees cleaned; rules and categoriser replaced by no-ops (--without-categorisation)")
    else:
        print("payee clean-up, rules and categoriser replaced by no-ops (--without-rules-ml)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--profile-undo", action="store_true")
    parser.add_argument("--profile-job", action="store_true", help="cProfile the commit job")
    parser.add_argument(
        "--without-rules-ml",
        action="store_true",
        help="replace payee clean-up, rules and categoriser by no-ops (the import's own work)",
    )
    parser.add_argument(
        "--without-categorisation",
        action="store_true",
        help="payees cleaned, rules and categoriser replaced by no-ops (categorisation's baseline)",
    )
    parser.add_argument(
        "--trained",
        action="store_true",
        help="8 rules and a categoriser trained on 3,000 earlier lines (bench/import_books.py)",
    )
    args = parser.parse_args()
    if args.without_rules_ml or args.without_categorisation:
        _stub_rules_and_ml(clean_payees=args.without_categorisation)
    data = realistic_csv(args.rows, random.Random(42))
    print(f"{args.rows:,} rows, {len(data) / 1_048_576:.1f} MB of CSV")
    db = create_database("postgres", Path(tempfile.gettempdir()))
    engine = make_engine(db.app_url)
    try:
        factory = make_session_factory(engine)
        ctx, account = setup(factory, db.app_url)
        if args.trained:
            from bench import import_books

            timed(
                "(setup: rules, 3,000 examples learned)",
                lambda: import_books.prepare(factory, ctx, account),
            )
        total = time.perf_counter()
        import_id = timed(
            "upload (checks, detect, parse, dupes, preview)",
            lambda: upload(factory, ctx, account, data),
        )
        job_id = timed(
            "commit request (decisions checked, job queued)",
            lambda: request_commit(factory, ctx, import_id),
        )
        if args.profile_job:
            import cProfile
            import pstats

            job_profile = cProfile.Profile()
            result = job_profile.runcall(run_job, factory, ctx, job_id)
            pstats.Stats(job_profile).sort_stats("cumulative").print_stats(40)
        else:
            result = run_job(factory, ctx, job_id)
        print(f"{'TOTAL upload -> committed':<44} {time.perf_counter() - total:7.2f} s")
        print(f"{'(this process CPU so far)':<44} {time.process_time():7.2f} s")
        print(f"counts: {result['counts']}")
        print(f"rules: {result['rules']}, categoriser: {result['categorisation']}")
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
