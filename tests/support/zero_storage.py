"""The zero-storage proof of the diagnostics uploads: nothing in the block may write a
file (the SQLite database's own files excepted) or create a SpooledTemporaryFile, and no
file may appear in the temp directory.

The machine's /tmp and the working tree are shared with other processes, so the
directory watch is on a private temp dir this process's `tempfile` must use; the audit
hook sees every open for writing by this process, wherever it goes. Audit hooks cannot
be removed: each one stops recording when its block ends.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

_DATABASE_FILES = (".db", "-journal", "-wal", "-shm")


@contextmanager
def no_file_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    private = tmp_path / "tmp"
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
        yield
    finally:
        recording = False
        tempfile.SpooledTemporaryFile.__init__ = original  # type: ignore[method-assign]
    assert spooled == []
    assert [w for w in writes if not w.endswith(_DATABASE_FILES)] == []
    assert os.listdir(private) == []
