"""Small general-ledger files for the journal-entry tests, and how to post them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from tests.support.builders import Account

URL = "/api/v1/diagnostics/journal-entries"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "diagnostics"
HEADER = (
    "Journal No", "Date", "Time", "Account Code", "Account Name", "Description", "Debit",
    "Credit", "Entered By",
)  # fmt: skip
Row = Sequence[str]


def line(
    entry: str,
    day: str,
    account: str,
    debit: str = "",
    credit: str = "",
    *,
    clock: str = "10:00:00",
    name: str | None = None,
    text: str | None = None,
    user: str = "jsmith",
) -> tuple[str, ...]:
    """One CSV line; the description defaults to one unique to the entry."""
    return (
        entry, day, clock, account, name or f"Account {account}",
        f"Entry {entry}" if text is None else text, debit, credit, user,
    )  # fmt: skip


def pair(
    entry: str, day: str, amount: str, *, debit: str = "6100", credit: str = "1100", **kw: Any
) -> list[tuple[str, ...]]:
    """A balanced two-line entry."""
    return [line(entry, day, debit, amount, **kw), line(entry, day, credit, "", amount, **kw)]


def filler(count: int = 60, start: int = 1) -> list[tuple[str, ...]]:
    """`count` ordinary entries: weekdays of March 2025 at 10:00, amounts with cents,
    unique descriptions, four accounts used by many entries."""
    weekdays = [f"{d:02d}/03/2025" for d in range(3, 29) if (d - 3) % 7 < 5]
    rows: list[tuple[str, ...]] = []
    for i in range(count):
        amount = f"{101 + i * 7}.{(13 + i) % 100:02d}"
        debit, credit = ("6100", "1100") if i % 2 else ("6200", "1200")
        rows += pair(
            str(start + i), weekdays[i % len(weekdays)], amount, debit=debit, credit=credit
        )
    return rows


def gl_csv(rows: Iterable[Row], header: Row = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def post(client: TestClient, who: Account, data: bytes, name: str = "gl.csv", **fields: str) -> Any:
    return client.post(URL, files={"file": (name, data)}, data=fields, headers=who.headers)


def flags(body: dict[str, Any]) -> dict[str, set[str]]:
    """entry number -> codes of its flags."""
    return {e["entry"]: {f["code"] for f in e["flags"]} for e in body["entries"]}


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()
