"""The answer lists a page of the accounts (10,000 by default); every other field is
computed on all of them. POST /api/v1/diagnostics/trial-balance?accounts=all|..."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.builders import Account, register

URL = "/api/v1/diagnostics/trial-balance"
ACCOUNTS = 10_050


def _csv(rows: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("Account No", "Account Name", "Debit", "Credit"))
    for i in range(rows - 1):
        writer.writerow((f"6-{i:05d}", f"Wages {i}", f"{i % 900 + 1}.25", ""))
    total = sum(i % 900 + 1 for i in range(rows - 1)) + 0.25 * (rows - 1)
    writer.writerow(("3-99999", "Share capital", "", f"{total:.2f}"))
    return buffer.getvalue().encode()


@pytest.fixture(scope="module")
def big() -> bytes:
    return _csv(ACCOUNTS)


def _post(client: TestClient, who: Account, data: bytes, query: str = "") -> Any:
    files = {"file": ("tb.csv", data)}
    return client.post(f"{URL}{query}", files=files, headers=who.headers)


def test_a_large_tb_lists_the_first_10000_accounts_and_says_how_many_there_are(
    client: TestClient, big: bytes
) -> None:
    alice = register(client, "Alice")
    paged = _post(client, alice, big)
    assert paged.status_code == 200, paged.text
    every = _post(client, alice, big, "?accounts=all").json()
    body = paged.json()
    assert len(body["accounts"]) == 10_000
    assert body["accounts"] == every["accounts"][:10_000]
    assert body["accounts_total"] == every["accounts_total"] == body["row_count"] == ACCOUNTS
    assert body["accounts_page"] == {
        "offset": 0,
        "limit": 10_000,
        "returned": 10_000,
        "next_offset": 10_000,
    }
    assert len(every["accounts"]) == ACCOUNTS
    assert every["accounts_page"]["next_offset"] is None
    # Everything but the list is computed on all accounts, whatever the page.
    for key in ("total_debits", "anomalies", "totals", "ratios", "risk_score", "benford"):
        assert body[key] == every[key], key


def test_the_next_page_is_the_same_file_posted_with_the_offset(
    client: TestClient, big: bytes
) -> None:
    alice = register(client, "Alice")
    every = _post(client, alice, big, "?accounts=all").json()["accounts"]
    rest = _post(client, alice, big, "?accounts_offset=10000").json()
    assert rest["accounts"] == every[10_000:]
    assert rest["accounts_page"] == {
        "offset": 10_000,
        "limit": 10_000,
        "returned": 50,
        "next_offset": None,
    }
    small = _post(client, alice, big, "?accounts_offset=20&accounts_limit=5").json()
    assert small["accounts"] == every[20:25]
    assert small["accounts_page"]["next_offset"] == 25


def test_a_small_tb_is_listed_whole_by_default(client: TestClient) -> None:
    alice = register(client, "Alice")
    body = _post(client, alice, _csv(40)).json()
    assert len(body["accounts"]) == body["accounts_total"] == 40
    assert body["accounts_page"]["next_offset"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?accounts=some", "accounts"),
        ("?accounts_limit=0", "accounts_limit"),
        ("?accounts_limit=10001", "accounts_limit"),
        ("?accounts_offset=-1", "accounts_offset"),
        ("?accounts=all&accounts_limit=5", "accounts_limit"),
    ],
)
def test_a_bad_page_is_a_422_naming_the_parameter(
    client: TestClient, query: str, field: str
) -> None:
    alice = register(client, "Alice")
    response = _post(client, alice, _csv(5), query)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field
