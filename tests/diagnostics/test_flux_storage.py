"""Zero storage for the flux analysis: two uploads above Starlette's 1 MB spooling
threshold are compared without a file being written anywhere."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.diagnostics.flux_helpers import URL
from tests.support.builders import register


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
    private = tmp_path / "tmp"  # /tmp is shared with other processes: watch a private one
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    writes: list[str] = []
    spooled: list[str] = []
    recording = True

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if recording and event == "open" and len(args) >= 2:
            path, mode = args[0], args[1]
            flags = args[2] if len(args) > 2 else 0
            writing = isinstance(mode, str) and any(m in mode for m in "wax+")
            if writing or (isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR)):
                writes.append(str(path))

    sys.addaudithook(hook)
    original = tempfile.SpooledTemporaryFile.__init__

    def spy(self: Any, *args: Any, **kwargs: Any) -> None:
        spooled.append("SpooledTemporaryFile")
        original(self, *args, **kwargs)

    tempfile.SpooledTemporaryFile.__init__ = spy  # type: ignore[method-assign]
    try:
        response = client.post(
            URL,
            files={"current": ("current.csv", current), "prior": ("prior.csv", prior)},
            headers=alice.headers,
        )
    finally:
        recording = False
        tempfile.SpooledTemporaryFile.__init__ = original  # type: ignore[method-assign]
    assert response.status_code == 200, response.text[:500]
    summary = response.json()["summary"]
    assert (summary["accounts"], summary["matched"], summary["new"]) == (40_001, 40_001, 0)
    assert spooled == []
    assert [w for w in writes if not w.endswith((".db", "-journal", "-wal", "-shm"))] == []
    assert os.listdir(private) == []
