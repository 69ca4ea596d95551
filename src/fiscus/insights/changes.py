"""Which entries a unit of work changed in a way the categoriser may have to learn.

The ledger's postings listener reports the legs taken off (-1) and put on (+1), a call
at a time; an edit takes the old legs off before it puts the new ones on. What an entry
was before the unit of work shows in its first change: legs put on (it did not exist,
or was deleted) or legs taken off (what it stood on); what it is after, in its last:
legs put on (what it stands on now) or taken off (it is gone). An entry needs no
learning when it stood on an Uncategorised category (or did not exist) and stands on one
again (or is gone) — such an entry is never an example: a bank import's new lines, an
import undone, an uncategorised line's amount edited. Everything else is queued: a line
booked on Uncategorised and moved by a rule in the same unit of work ends on a real
category, whatever it passed through. Edits that change what an entry would teach without
touching its legs (payee, description, a category merged away) are marked and queued.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

Change = tuple[bool, bool]  # (legs put on, not taken off; any of them on Uncategorised)


class Changes:
    """The entries of one tenant touched by a unit of work, with their first and last
    change."""

    def __init__(self) -> None:
        self._first: dict[uuid.UUID, Change] = {}
        self._last: dict[uuid.UUID, Change] = {}
        self._marked: set[uuid.UUID] = set()

    def mark(self, ids: Iterable[uuid.UUID]) -> None:
        self._marked.update(ids)

    def applied(self, legs: Iterable[tuple[uuid.UUID, bool]], sign: int) -> None:
        """One call of the postings listener: each leg's entry and whether the leg is on
        an Uncategorised category."""
        uncategorised: dict[uuid.UUID, bool] = {}
        for entry, on_uncategorised in legs:
            uncategorised[entry] = uncategorised.get(entry, False) or on_uncategorised
        for entry, on_uncategorised in uncategorised.items():
            change = (sign > 0, on_uncategorised)
            self._first.setdefault(entry, change)
            self._last[entry] = change

    def forget(self, ids: Iterable[uuid.UUID]) -> None:
        for entry in ids:
            self._first.pop(entry, None)
            self._last.pop(entry, None)
            self._marked.discard(entry)

    def to_learn(self) -> list[uuid.UUID]:
        touched = [e for e in self._first if not _quiet(self._first[e], self._last[e])]
        return sorted({*touched, *self._marked})


def _quiet(first: Change, last: Change) -> bool:
    was_quiet = first[0] or first[1]  # did not exist, or stood on Uncategorised
    stays_quiet = not last[0] or last[1]  # is gone, or stands on Uncategorised
    return was_quiet and stays_quiet
