"""Bytes to text: which encoding a bank file uses (UTF-8 with or without BOM, UTF-16,
Windows-1252), and reading delimited rows with their physical line numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from fiscus.imports.parsers.base import Choice

csv.field_size_limit(1_000_000)  # per-cell limits are ours (limits.py), not csv's 128 kB


def detect_encoding(data: bytes) -> Choice[str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return Choice("utf-8-sig", 0.99, note="UTF-8 with a byte-order mark")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Choice("utf-16", 0.99, note="UTF-16 with a byte-order mark")
    head = data[:4000]
    if head.count(b"\x00") > len(head) // 4:
        little = head[1::2].count(b"\x00") > head[0::2].count(b"\x00")
        return Choice("utf-16-le" if little else "utf-16-be", 0.85, ("utf-16-be", "utf-16-le"))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            return Choice("latin-1", 0.5, ("cp1252",))
        return Choice("cp1252", 0.85, ("latin-1", "utf-8"), note="not valid UTF-8")
    if data.isascii():
        return Choice("utf-8", 0.9, ("cp1252",), note="plain ASCII: any of these reads it")
    return Choice("utf-8", 0.97, ("cp1252",))


def decode(data: bytes, encoding: str) -> str:
    """The text; undecodable bytes become U+FFFD rather than failing the whole file."""
    if encoding == "utf-8" and data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    text = data.decode(encoding, errors="replace")
    return text.removeprefix("\ufeff")


def read_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first physical line number, cells) per record; quoted newlines are kept in the cell."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    previous = 0
    for row in reader:
        yield previous + 1, row
        previous = reader.line_num


def head_and_spread(
    text: str, head: int = 200, spots: int = 8, per_spot: int = 25
) -> tuple[str, str]:
    """The first `head` lines, and a few runs of lines from across the rest of the file.

    Detection looks at these instead of a 100k-row file; the spread catches what the
    first rows do not show (a later day > 12, a debit after a page of credits)."""
    end = 0
    for _ in range(head):
        nxt = text.find("\n", end)
        if nxt < 0:
            return text, ""
        end = nxt + 1
    rest_start, size = end, len(text)
    runs: list[str] = []
    for i in range(1, spots + 1):
        start = text.find("\n", rest_start + (size - rest_start) * i // (spots + 1))
        if start < 0:
            break
        stop = start + 1
        for _ in range(per_spot):
            nxt = text.find("\n", stop)
            if nxt < 0:
                stop = size
                break
            stop = nxt + 1
        runs.append(text[start + 1 : stop])
    return text[:end], "".join(runs)
