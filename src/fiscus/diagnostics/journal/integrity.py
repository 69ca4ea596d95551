"""Integrity tests: unbalanced entries and gaps in the entry numbers.

Unbalanced: an entry whose debits differ from its credits, by a cent or more. Gaps:
entry numbers made of an optional prefix and digits (`1042`, `JE-01042`) are grouped by
prefix; within a group of at least two numbers, every number missing between the
smallest and the largest is a gap, reported as ranges (at most 50 ranges per
sequence). A gap is a fact about the population, not about an entry: no entry is
flagged for it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import Any

from fiscus.diagnostics.journal.lines import Entry
from fiscus.diagnostics.journal.scoring import Flag, flag

_NUMBERED = re.compile(r"^(.*?)(\d+)$")
MAX_RANGES = 50


def unbalanced(entries: Sequence[Entry]) -> list[tuple[Entry, Flag]]:
    found = []
    for entry in entries:
        debits, credits = entry.total_debits, entry.total_credits
        if debits != credits:
            found.append(
                (
                    entry,
                    flag(
                        "unbalanced_entry",
                        f"Debits {debits} and credits {credits} differ by {debits - credits}.",
                        (line.line_no for line in entry.lines),
                    ),
                )
            )
    return found


def _sequences(entries: Sequence[Entry]) -> dict[str, tuple[set[int], int]]:
    """prefix -> (numbers, zero-padded width or 0)."""
    groups: dict[str, tuple[set[int], int]] = {}
    for entry in entries:
        match = _NUMBERED.match(entry.number)
        if match:
            digits = match.group(2)
            numbers, width = groups.get(match.group(1), (set(), 0))
            numbers.add(int(digits))
            if digits.startswith("0"):
                width = max(width, len(digits))
            groups[match.group(1)] = (numbers, width)
    return groups


def _sequence(prefix: str, numbers: set[int], width: int) -> dict[str, Any]:
    ordered = sorted(numbers)
    ranges = [
        {
            "from": f"{prefix}{str(a + 1).zfill(width)}",
            "to": f"{prefix}{str(b - 1).zfill(width)}",
            "count": b - a - 1,
        }
        for a, b in itertools.pairwise(ordered)
        if b - a > 1
    ]
    return {
        "prefix": prefix,
        "first": f"{prefix}{str(ordered[0]).zfill(width)}",
        "last": f"{prefix}{str(ordered[-1]).zfill(width)}",
        "entries": len(ordered),
        "missing": sum(b - a - 1 for a, b in itertools.pairwise(ordered)),
        "ranges": ranges[:MAX_RANGES],
        "ranges_left_off": max(0, len(ranges) - MAX_RANGES),
    }


def gaps(entries: Sequence[Entry]) -> dict[str, Any]:
    """The gap report: per numbered sequence its first and last number, the count of
    numbers missing and the missing ranges."""
    sequences = [
        _sequence(prefix, numbers, width)
        for prefix, (numbers, width) in sorted(_sequences(entries).items())
        if len(numbers) >= 2
    ]
    return {
        "status": "run" if sequences else "not_run",
        "reason": None if sequences else "No entry numbers form a numeric sequence.",
        "numbered_entries": sum(int(s["entries"]) for s in sequences),
        "missing": sum(int(s["missing"]) for s in sequences),
        "sequences": sequences,
    }
