"""Client CPU of turning a list page's rows into entries (`page_rows.entries_of`), of
the one entry's sort keys a cursor needs (`PageRows.keys_at`), and of writing the page's
items as JSON (orjson, as `api_transactions._dumps`, against pydantic_core's `to_json`,
which wrote them before; the bytes are asserted equal), per page.

A page as the account register's statement returns it: 51 entries of two postings each
(102 rows), sorted by date. No database: the rows are built here, so the figure is the
Python work alone, repeatable on a quiet machine.

    PYTHONPATH=. .venv/bin/python bench/bench_page_rows.py [--pages 5000]
"""

from __future__ import annotations

import argparse
import timeit
import uuid
from datetime import UTC, date, datetime
from typing import Any

from pydantic_core import to_json

from fiscus.ledger.api_transactions import _dumps, entry_fields
from fiscus.ledger.page_rows import entries_of


def register_rows(entries: int = 51, legs: int = 2) -> list[tuple[Any, ...]]:
    stamp = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    rows = []
    for n in range(entries):
        head = (uuid.uuid4(), date(2025, 1, 1 + n % 28), "Weekly shop", "Woolworths", None)
        head += (",food,", "cleared", "expense", None, stamp, stamp)
        for _ in range(legs):
            rows.append((*head, uuid.uuid4(), uuid.uuid4(), 8420, "AUD", None, None))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    args = parser.parse_args()
    rows = register_rows()
    found = entries_of(rows, "-date")
    assert len(found.entries) == 51
    assert found.keys_at(49)[2] == found.entries[49][0].id
    n = args.pages
    best = min(timeit.repeat(lambda: entries_of(rows, "-date"), number=n, repeat=5)) / n * 1e6
    keys = min(timeit.repeat(lambda: found.keys_at(49), number=n, repeat=5)) / n * 1e6
    print(f"entries_of, 51 entries / 102 rows: {best:7.1f} µs per page (best of 5)")
    print(f"keys_at, the cursor's entry:      {keys:7.2f} µs per page (best of 5)")
    items = [entry_fields(head, legs) for head, legs in found.entries]
    assert _dumps(items) == to_json(items)
    timed = {
        "pydantic_core.to_json": lambda: to_json(items),
        "orjson (_dumps)": lambda: _dumps(items),
    }
    spent = {k: min(timeit.repeat(f, number=n, repeat=5)) / n * 1e6 for k, f in timed.items()}
    old, new = spent.values()
    print(f"the items' JSON: to_json {old:7.1f} µs, orjson {new:7.1f} µs ({old / new:.1f}x)")


if __name__ == "__main__":
    main()
