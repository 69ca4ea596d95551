"""Building small trial balances and posting them to POST /api/v1/diagnostics/flux."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from tests.support.builders import Account

URL = "/api/v1/diagnostics/flux"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "diagnostics"


def tb(*rows: tuple[str, str, str] | tuple[str, str, str, str]) -> bytes:
    """A CSV trial balance from (number, name, net[, type]) rows, net signed (debit
    positive), put in the debit or credit column."""
    typed = any(len(r) == 4 for r in rows)
    lines = ["Account No,Account Name," + ("Type," if typed else "") + "Debit,Credit"]
    for row in rows:
        number, name, net = row[0], row[1], Decimal(row[2])
        kind = (row[3] + ",") if len(row) == 4 else ("," if typed else "")
        debit, credit = (str(net), "") if net >= 0 else ("", str(-net))
        lines.append(f"{number},{name},{kind}{debit},{credit}")
    return ("\n".join(lines) + "\n").encode()


def flux(
    client: TestClient,
    who: Account,
    current: bytes | tuple[str, bytes] | None,
    prior: bytes | tuple[str, bytes] | None,
    **fields: Any,
) -> Any:
    """Post both files (bytes, or (file name, bytes)); absent ones are left out."""
    files = {}
    for part, data in (("current", current), ("prior", prior)):
        if data is not None:
            files[part] = data if isinstance(data, tuple) else (f"{part}.csv", data)
    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in fields.items()}
    return client.post(URL, files=files, data=form, headers=who.headers)


def account(body: dict[str, Any], key: str) -> dict[str, Any]:
    return next(a for a in body["accounts"] if a["key"] == key)
