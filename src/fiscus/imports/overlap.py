"""Python work done while the database works: one statement-running call in a thread,
pure Python in the caller's, on PostgreSQL.

A commit's unit of work is one transaction, so one connection and one backend: its
statements cannot run side by side. But while the backend books the entries (seconds of
its CPU for a large file) the job's own process only waits, and what it does next — the
import lines' `COPY` text, the suggestions' parameters, the audit digest — needs no
database. `alongside` runs the statements in a worker thread (psycopg releases the GIL
while it waits for the server) and that Python here, then joins: the unit sees the same
statements in the same order as if they ran one after the other. `behind` does the same
for statements that need nothing the block computes (the import lines, stored while the
rules and the model decide), the block's own statements queued between them.

The caller's function must not touch the session or any ORM object's unloaded state
(the session is the thread's until the join). On SQLite, whose connection belongs to the
thread that opened it, the two run one after the other. Whatever either raises is raised
here once both are done, the statements' error first, so the unit of work rolls back
with nothing still running on its connection.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")
U = TypeVar("U")


def alongside(session: Session, work: Callable[[], T], meanwhile: Callable[[], U]) -> tuple[T, U]:
    """(`work()`, `meanwhile()`): `work` runs the statements, `meanwhile` only Python."""
    if session.get_bind().dialect.name != "postgresql":
        return work(), meanwhile()
    done: list[T] = []
    failed: list[BaseException] = []
    context = contextvars.copy_context()  # the scope and settings the statements read

    def run() -> None:
        try:
            done.append(context.run(work))
        except BaseException as exc:  # re-raised in the caller's thread
            failed.append(exc)

    thread = threading.Thread(target=run, name="import-statements", daemon=True)
    thread.start()
    try:
        made = meanwhile()
    except BaseException as exc:
        thread.join()
        raise (failed[0] if failed else exc) from None
    thread.join()
    if failed:
        raise failed[0]
    return done[0], made


@contextmanager
def behind(session: Session, work: Callable[[], object]) -> Iterator[None]:
    """`work` in a thread while the block runs here, joined when the block ends. Unlike
    `alongside`, the block may use the session too: `work` must then be bound to the
    driver connection itself (psycopg serialises the two threads' statements on it),
    never to the session. One after the other on SQLite. The work's error is raised
    first (the block's own statements fail once the transaction is aborted)."""
    if session.get_bind().dialect.name != "postgresql":
        work()
        yield
        return
    failed: list[BaseException] = []
    context = contextvars.copy_context()

    def run() -> None:
        try:
            context.run(work)
        except BaseException as exc:  # re-raised in the caller's thread
            failed.append(exc)

    thread = threading.Thread(target=run, name="import-statements-behind", daemon=True)
    thread.start()
    try:
        yield
    except BaseException as exc:
        thread.join()
        raise (failed[0] if failed else exc) from None
    thread.join()
    if failed:
        raise failed[0]
