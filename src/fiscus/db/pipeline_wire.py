"""A unit of work's statements on the wire: every message written, then one flush.

psycopg's pipeline (`conn.pipeline()` + `execute` per statement) flushes the socket and
waits on the event loop once per statement, so a five-statement read is five sends, and
PostgreSQL, woken by each, reads and answers them one by one. `sent` queues the whole
unit in libpq's pipeline mode (a Parse the first time a statement is seen on the
connection, then Bind/Execute under that name), adds the Sync, and flushes once; the
answers are read in one wait loop. `bench/bench_pipeline_wire.py` measures the client's
CPU per unit both ways: 1.15-1.48x less for the account register's unit (five
statements, 102 rows), 1.9-2.1x less for a four-statement one (docs/performance.md,
"one flush per unit of work").

This is psycopg's own machinery (`PostgresQuery` to adapt the parameters, `Transformer`
to load the rows, `AsyncConnection.wait` to drive the generator), used one level lower
than `execute`; the pinned psycopg (uv.lock) is what it is tested with.

Statements are prepared under names of this module, per connection, keyed like
psycopg's own cache by the query and its parameter types. psycopg never prepares on these
connections (the pool turns its automatic preparing off), so its `DEALLOCATE ALL` after
a rollback, which would drop them, never happens.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Generator, Sequence
from typing import Any, NamedTuple

import psycopg
from psycopg import abc, errors, pq
from psycopg._queries import PostgresQuery
from psycopg.adapt import Transformer
from psycopg.pq.abc import PGresult
from psycopg.waiting import Ready, Wait

Rows = list[tuple[Any, ...]]  # a statement's rows, as the driver loads them


class Statement(NamedTuple):
    """One statement of a unit: prepared under a name of this module, or sent as it is;
    its rows in PostgreSQL's text format, or in its binary one (cheaper for the server to
    send and for psycopg to load: uuids, timestamps and integers are not formatted and
    parsed again)."""

    sql: str
    params: Any
    prepare: bool
    binary: bool = False


_names = itertools.count()
_prepared: weakref.WeakKeyDictionary[Any, dict[tuple[bytes, Any], bytes]] = (
    weakref.WeakKeyDictionary()
)
_FAILED = (pq.ExecStatus.FATAL_ERROR, pq.ExecStatus.PIPELINE_ABORTED)


async def sent(conn: psycopg.AsyncConnection[Any], statements: Sequence[Statement]) -> list[Rows]:
    """`statements` sent as one pipeline: the rows of each (none where it returns none).
    The first statement that fails raises its error; those after it were not run. A unit
    interrupted before its answers are all read (a cancelled request) leaves the
    connection closed, for the pool to replace."""
    async with conn.lock:
        pgconn = conn.pgconn
        names = _prepared.setdefault(conn, {})
        transformer = Transformer(conn)
        pgconn.enter_pipeline_mode()
        try:
            steps = _queue(pgconn, transformer, names, statements)
            pgconn.pipeline_sync()
            results = await conn.wait(_answers(pgconn))
            pgconn.exit_pipeline_mode()
        except BaseException:
            pgconn.finish()
            raise
    return _rows(conn, transformer, names, steps, results)


def _queue(
    pgconn: Any,
    transformer: abc.Transformer,
    names: dict[tuple[bytes, Any], bytes],
    statements: Sequence[Statement],
) -> list[tuple[bytes, Any] | None]:
    """Each statement's messages into libpq's buffer; per result to expect, the cache key
    of a Parse sent for it, or None for a statement's own result."""
    steps: list[tuple[bytes, Any] | None] = []
    for sql, params, prepare, binary in statements:
        query = PostgresQuery(transformer)
        query.convert(sql, params)
        rows_format = pq.Format.BINARY if binary else pq.Format.TEXT
        if not prepare:
            pgconn.send_query_params(
                query.query,
                query.params,
                param_types=query.types,
                param_formats=query.formats,
                result_format=rows_format,
            )
        else:
            key = (query.query, query.types)
            name = names.get(key)
            if name is None:
                name = names[key] = b"_fiscus_%d" % next(_names)
                pgconn.send_prepare(name, query.query, param_types=query.types)
                steps.append(key)
            pgconn.send_query_prepared(
                name, query.params, param_formats=query.formats, result_format=rows_format
            )
        steps.append(None)
    return steps


def _answers(pgconn: Any) -> Generator[Wait, Ready | int, list[list[PGresult]]]:
    """Flush what is queued, then read every result up to the Sync: one list of results
    per command (libpq ends each command's results with a None)."""
    results: list[list[PGresult]] = []
    current: list[PGresult] = []
    while True:
        ready = yield Wait.RW if pgconn.flush() else Wait.R
        if not ready & Ready.R:
            continue
        pgconn.consume_input()
        while not pgconn.is_busy():
            result = pgconn.get_result()
            if result is None:
                if not current:
                    break
                results.append(current)
                current = []
            elif result.status == pq.ExecStatus.PIPELINE_SYNC:
                return results
            else:
                current.append(result)


def _rows(
    conn: psycopg.AsyncConnection[Any],
    transformer: abc.Transformer,
    names: dict[tuple[bytes, Any], bytes],
    steps: list[tuple[bytes, Any] | None],
    results: list[list[PGresult]],
) -> list[Rows]:
    """The statements' rows; a Parse that did not succeed is forgotten (its name is not
    on the server), and the first failed result is raised (a pipeline's first failure
    is the statement's own error; only those after it are "aborted")."""
    out: list[Rows] = []
    failure: PGresult | None = None
    for key, (result, *_) in zip(steps, results, strict=True):
        if result.status in _FAILED:
            if key is not None:
                names.pop(key, None)
            failure = result if failure is None else failure
        elif key is None and result.status == pq.ExecStatus.TUPLES_OK:
            transformer.set_pgresult(result)
            out.append(transformer.load_rows(0, result.ntuples, tuple))
        elif key is None:
            out.append([])
    if failure is not None:
        raise errors.error_from_result(failure, encoding=conn.info.encoding)
    return out
