"""Which changed entries are queued for learning: everything but lines that stood on
Uncategorised before (or did not exist) and stand there again after (or are gone)."""

from __future__ import annotations

import uuid

import pytest

from fiscus.insights.changes import Changes

BANK, FOOD, UNCAT = "bank", "food", "uncat"
Call = tuple[int, tuple[str, ...]]  # sign, the accounts of the entry's legs in that call


@pytest.mark.parametrize(
    ("calls", "queued"),
    [
        ([(1, (BANK, FOOD))], True),  # created by hand
        ([(1, (BANK, UNCAT))], False),  # a bank import's new line
        ([(-1, (BANK, UNCAT))], False),  # an import line deleted (undo)
        ([(-1, (BANK, UNCAT)), (1, (BANK, UNCAT))], False),  # its amount edited
        ([(-1, (UNCAT,)), (1, (FOOD,))], True),  # categorised (a rule, the review, by hand)
        ([(-1, (FOOD,)), (1, (UNCAT,))], True),  # a learned entry moved back: unlearn it
        ([(-1, (BANK, FOOD))], True),  # a learned entry deleted: unlearn it
        ([(-1, (BANK, FOOD)), (1, (BANK, FOOD))], True),  # edited
        # booked on Uncategorised and moved by a rule in the same unit of work
        ([(1, (BANK, UNCAT)), (-1, (UNCAT,)), (1, (FOOD,))], True),
        ([(1, (BANK, UNCAT)), (-1, (BANK, UNCAT))], False),  # booked and undone at once
    ],
)
def test_what_is_queued(calls: list[Call], queued: bool) -> None:
    changes, entry = Changes(), uuid.uuid4()
    for sign, accounts in calls:
        changes.applied([(entry, account == UNCAT) for account in accounts], sign)
    assert changes.to_learn() == ([entry] if queued else [])


def test_marked_entries_are_queued_whatever_their_legs_and_forgotten_ones_never() -> None:
    changes, marked, forgotten = Changes(), uuid.uuid4(), uuid.uuid4()
    changes.applied([(marked, True)], 1)
    changes.mark([marked])  # its description edited
    changes.applied([(forgotten, False)], 1)
    changes.forget([forgotten])  # the categoriser's own apply
    assert changes.to_learn() == [marked]


def test_entries_of_one_call_are_told_apart() -> None:
    changes, line, bought = Changes(), uuid.uuid4(), uuid.uuid4()
    changes.applied([(line, False), (line, True), (bought, False), (bought, False)], 1)
    assert changes.to_learn() == [bought]
