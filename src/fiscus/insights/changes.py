"""Which entries a unit of work changed in a way the categoriser may have to learn.

The ledger's postings listener reports every leg added (+1) or taken off (-1); this
keeps, per entry, whether legs were removed or added and whether any of them was on an
Uncategorised category. An entry needs no learning when, before the change, it either
did not exist or stood on Uncategorised (such an entry is never an example), and after
it, it either is gone or stands on Uncategorised again: a bank import's new lines, an
import undone, an uncategorised line's amount edited. Everything else is queued. Edits
that change what an entry would teach without touching its legs (payee, description, a
category merged away) are marked and always queued.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

REMOVED, REMOVED_UNCATEGORISED, ADDED, ADDED_UNCATEGORISED, MARKED = 1, 2, 4, 8, 16


class Changes:
    """The entries of one tenant touched by a unit of work, with what happened to them."""

    def __init__(self) -> None:
        self._flags: dict[uuid.UUID, int] = {}

    def mark(self, ids: Iterable[uuid.UUID]) -> None:
        for txn_id in ids:
            self._flags[txn_id] = self._flags.get(txn_id, 0) | MARKED

    def applied(self, leg: uuid.UUID, on_uncategorised: bool, sign: int) -> None:
        if sign > 0:
            flags = ADDED | (ADDED_UNCATEGORISED if on_uncategorised else 0)
        else:
            flags = REMOVED | (REMOVED_UNCATEGORISED if on_uncategorised else 0)
        self._flags[leg] = self._flags.get(leg, 0) | flags

    def forget(self, ids: Iterable[uuid.UUID]) -> None:
        for txn_id in ids:
            self._flags.pop(txn_id, None)

    def to_learn(self) -> list[uuid.UUID]:
        return sorted(txn_id for txn_id, flags in self._flags.items() if _may_teach(flags))


def _may_teach(flags: int) -> bool:
    if flags & MARKED:
        return True
    was_quiet = not flags & REMOVED or bool(flags & REMOVED_UNCATEGORISED)
    stays_quiet = not flags & ADDED or bool(flags & ADDED_UNCATEGORISED)
    return not (was_quiet and stays_quiet)
