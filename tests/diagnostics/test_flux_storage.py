"""Zero storage for the flux analysis: two uploads above Starlette's 1 MB spooling
threshold are compared without a file being written anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.diagnostics.flux_helpers import URL
from tests.support.builders import register
from tests.support.zero_storage import no_file_written


def _large_tb(accounts: int, step: int) -> bytes:
    lines = [b"Account No,Account Name,Debit,Credit"]
    lines += [b"%d,Expense account %d,%d.25," % (10000 + i, i, i + step) for i in range(accounts)]
    total = sum(i + step for i in range(accounts)) * 100 + 25 * accounts
    lines.append(b"99999,Offset,,%d.%02d" % divmod(total, 100))
    return b"\n".join(lines) + b"\n"


def test_zero_storage_no_file_is_written_while_two_large_uploads_are_compared(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = register(client, "Alice")
    current, prior = _large_tb(40_000, 7), _large_tb(40_000, 0)
    assert min(len(current), len(prior)) > 1024 * 1024
    with no_file_written(tmp_path, monkeypatch):
        response = client.post(
            URL,
            files={"current": ("current.csv", current), "prior": ("prior.csv", prior)},
            headers=alice.headers,
        )
    assert response.status_code == 200, response.text[:500]
    summary = response.json()["summary"]
    assert (summary["accounts"], summary["matched"], summary["new"]) == (40_001, 40_001, 0)
