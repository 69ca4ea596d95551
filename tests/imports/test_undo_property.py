"""Property: any sequence of imports, some undone, leaves every balance (amounts and entry
counts) equal to a naive recomputation from the lines of the imports still standing."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.imports.helpers import bank_account, commit, csv_file, upload
from tests.support.builders import Account, register

START = date(2025, 3, 1)
Line = tuple[int, int]  # (day offset, amount in cents, non-zero)

lines = st.lists(
    st.tuples(
        st.integers(0, 70),
        st.integers(-500_000, 500_000).filter(lambda cents: cents != 0),
    ),
    min_size=1,
    max_size=12,
)
imports = st.lists(st.tuples(lines, st.booleans()), min_size=1, max_size=4)


def _csv(batch: list[Line]) -> bytes:
    rows = [
        (
            (START + timedelta(days=offset)).strftime("%d/%m/%Y"),
            uuid.uuid4().hex,  # unlike any other line's: no fuzzy match by chance
            str(Decimal(cents) / 100),
            uuid.uuid4().hex[:12],
        )
        for offset, cents in batch
    ]
    return csv_file(rows)


def _balance(client: TestClient, owner: Account, account_id: str, on: date) -> Decimal:
    response = client.get(
        f"/api/v1/accounts/{account_id}/balance",
        params={"date": on.isoformat()},
        headers=owner.headers,
    )
    assert response.status_code == 200, response.text
    return Decimal(response.json()["balance"])


def _entries(client: TestClient, owner: Account, account_id: str, on: date) -> int:
    response = client.get(
        "/api/v1/transactions",
        params={"account_id": account_id, "date_to": on.isoformat(), "limit": 1},
        headers=owner.headers,
    )
    assert response.status_code == 200, response.text
    return int(response.json()["total"])


@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=imports, probe_days=st.lists(st.integers(-1, 75), min_size=1, max_size=4))
def test_imports_and_undos_leave_balances_as_a_naive_sum(
    client: TestClient, batches: list[tuple[list[Line], bool]], probe_days: list[int]
) -> None:
    owner = register(client, "Owner")
    account = bank_account(client, owner)
    standing: list[Line] = []
    for batch, undo in batches:
        found = upload(client, owner, account, _csv(batch))
        decisions = {str(d["line_no"]): "import" for d in found["preview"]["duplicates"]}
        commit(client, owner, found["id"], {"decisions": decisions})
        if undo:
            response = client.post(f"/api/v1/imports/{found['id']}/undo", headers=owner.headers)
            assert response.status_code == 200, response.text
        else:
            standing.extend(batch)
    for offset in [*probe_days, 80]:
        on = START + timedelta(days=offset)
        upto = [cents for day, cents in standing if day <= offset]
        assert _balance(client, owner, account, on) == Decimal(sum(upto)) / 100
        assert _entries(client, owner, account, on) == len(upto)
    categories = client.get("/api/v1/categories", headers=owner.headers).json()
    ids = {c["name"]: c["id"] for c in categories}
    last = START + timedelta(days=80)
    for name, part in (("Uncategorised income", 1), ("Uncategorised expense", -1)):
        expected = sum(part * cents for _, cents in standing if part * cents > 0)
        if name in ids:
            assert _balance(client, owner, ids[name], last) == Decimal(expected) / 100
