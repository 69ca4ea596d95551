"""Which accounts an analysis answer lists: a page of `accounts[]`, every other field
whole.

A 1,000,000-line trial balance answered in full is ~480 MB of JSON that no browser can
hold; every total, check, ratio and finding is computed on all accounts either way. By
default the answer lists the first `PAGE_SIZE` (10,000) accounts, so a trial balance of
up to 10,000 accounts is answered in full as before; `accounts=all` asks for every one,
and `accounts_offset`/`accounts_limit` for another page. Nothing is stored between
requests (zero storage): the next page is the same file posted again with the offset.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fiscus.diagnostics.ingest.errors import MalformedRequest

PAGE_SIZE = 10_000


@dataclass(frozen=True, slots=True)
class AccountsPage:
    """`limit` None: every account from `offset` on."""

    offset: int = 0
    limit: int | None = PAGE_SIZE

    def window(self, total: int) -> tuple[int, int]:
        """[start, stop) of the accounts listed out of `total`."""
        start = min(self.offset, total)
        stop = total if self.limit is None else min(total, start + self.limit)
        return start, stop

    def describe(self, total: int) -> dict[str, Any]:
        start, stop = self.window(total)
        return {
            "offset": start,
            "limit": self.limit,
            "returned": stop - start,
            "next_offset": stop if stop < total else None,
        }


EVERY_ACCOUNT = AccountsPage(0, None)


def _integer(params: Mapping[str, str], name: str, low: int, high: int) -> int | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise MalformedRequest(
            f"{name} must be a whole number from {low:,} to {high:,}.", field=name
        )
    return int(raw)


def parse_page(params: Mapping[str, str]) -> AccountsPage:
    """The page the query string asks for: `accounts=all`, `accounts_offset`,
    `accounts_limit` (at most PAGE_SIZE); a bad value is a 422 naming the parameter."""
    every = params.get("accounts")
    if every not in (None, "", "all"):
        raise MalformedRequest("accounts must be 'all' (or left out).", field="accounts")
    offset = _integer(params, "accounts_offset", 0, 1 << 31) or 0
    limit = _integer(params, "accounts_limit", 1, PAGE_SIZE)
    if every == "all":
        if limit is not None:
            raise MalformedRequest(
                "accounts=all and accounts_limit exclude each other.", field="accounts_limit"
            )
        return AccountsPage(offset, None)
    return AccountsPage(offset, PAGE_SIZE if limit is None else limit)
