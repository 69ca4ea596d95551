"""Python work done while the database works: one statement-running call in a thread,
pure Python in the caller's, on PostgreSQL.

A commit's unit of work is one transaction, so one connection and one backend: its
statements cannot run side by side. But while the backend books the entries (seconds of
its CPU for a large file) the job's own process only waits, and what it does next — the
import lines' `COPY` text, the suggestions' parameters, the audit digest — needs no
database. `alongside` runs the statements in a worker thread (psycopg releases the GIL
while it waits for the server) and that Python here, then joins: the unit sees the same
statements in the same order as if they ran one after the other. `Behind` does the same
for statements that need nothing this thread computes (the import lines' insert, run
while the rules and the model decide, once their reads are done).

The caller's function must not touch the session or any ORM object's unloaded state
(the session is the thread's until the join). On SQLite, whose connection belongs to the
thread that opened it, the two run one after the other. Whatever either raises is raised
here once both are done, the statements' error first, so the unit of work rolls back
with nothing still running on its connection.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")
U = TypeVar("U")


def alongside(
    session: Session,
    work: Callable[[], T],
    meanwhile: Callable[[], U],
    *,
    ready: threading.Event | None = None,
) -> tuple[T, U]:
    """(`work()`, `meanwhile()`): `work` runs the statements, `meanwhile` only Python.
    With `ready`, `meanwhile` starts once `work` sets it (or ends): the Python `work`
    does before it waits on the database (rows to stage) then has the GIL to itself, and
    the database starts sooner."""
    behind = Behind(session, work, ended=ready)
    with behind:
        behind.start()
        if ready is not None:
            ready.wait()
        made = meanwhile()
    return behind.result, made


class Behind(Generic[T]):
    """`work` in a thread from `start()` on, while this thread goes on, joined when the
    `with` block ends (run here then, if nothing started it); its value is `result`.
    Unlike `alongside`, this thread may use the session meanwhile: `work` must then send
    its statements on the driver connection itself (psycopg runs one at a time), never
    through the session, and a statement of this thread waits while one of `work` runs —
    so start it once this thread's reads are done. One after the other on SQLite. The
    work's error is raised first (the block's own statements fail once the transaction is
    aborted)."""

    def __init__(
        self, session: Session, work: Callable[[], T], ended: threading.Event | None = None
    ) -> None:
        self._threaded = session.get_bind().dialect.name == "postgresql"
        self._work = work
        self._ended = ended or threading.Event()  # set once `work` has returned or raised
        self._thread: threading.Thread | None = None
        self._done = False
        self._results: list[T] = []
        self._failed: list[BaseException] = []

    @property
    def result(self) -> T:
        """What `work` returned (once the block has ended)."""
        return self._results[0]

    def start(self) -> None:
        if self._done or self._thread is not None:
            return
        if not self._threaded:
            self._done = True
            try:
                self._results.append(self._work())
            finally:
                self._ended.set()
            return
        context = contextvars.copy_context()  # the scope and settings the statements read

        def run() -> None:
            try:
                self._results.append(context.run(self._work))
            except BaseException as exc:  # re-raised in the caller's thread
                self._failed.append(exc)
            finally:
                self._ended.set()

        self._thread = threading.Thread(target=run, name="import-statements", daemon=True)
        self._thread.start()

    def __enter__(self) -> Behind[T]:
        return self

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread, self._done = None, True
        if self._failed:
            raise self._failed[0] from None
        if error is None:
            self.start()  # never started: run here, now
