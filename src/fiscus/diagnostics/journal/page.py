"""Which flagged entries a journal-entry answer lists: a page of `entries[]`, every
other part (summary, totals, population, gaps, Benford) computed on the whole ledger.

A ledger of a million lines may flag tens of thousands of entries, each answered with
its lines; by default the answer lists the `PAGE_SIZE` (1,000) highest-scoring, and
`entries_offset` / `entries_limit` (at most 10,000) ask for another page of the same
order. Nothing is kept between requests (zero storage): the next page is the same file
posted again with the offset.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fiscus.diagnostics.ingest.errors import MalformedRequest

PAGE_SIZE = 1_000
MAX_LIMIT = 10_000


@dataclass(frozen=True, slots=True)
class EntriesPage:
    offset: int = 0
    limit: int = PAGE_SIZE

    def describe(self, total: int) -> dict[str, Any]:
        start = min(self.offset, total)
        stop = min(total, start + self.limit)
        return {
            "offset": start,
            "limit": self.limit,
            "returned": stop - start,
            "total": total,
            "next_offset": stop if stop < total else None,
        }

    def cut(self, items: list[Any]) -> list[Any]:
        start = min(self.offset, len(items))
        return items[start : start + self.limit]


def _integer(params: Mapping[str, str], name: str, low: int, high: int) -> int | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise MalformedRequest(
            f"{name} must be a whole number from {low:,} to {high:,}.", field=name
        )
    return int(raw)


def parse_page(params: Mapping[str, str]) -> EntriesPage:
    """The page the query string asks for; a bad value is a 422 naming the parameter."""
    offset = _integer(params, "entries_offset", 0, 1 << 31) or 0
    limit = _integer(params, "entries_limit", 1, MAX_LIMIT)
    return EntriesPage(offset, PAGE_SIZE if limit is None else limit)
