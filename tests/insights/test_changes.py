"""Which changed entries are queued for learning: everything but lines that stood on
Uncategorised before (or did not exist) and stand there again after (or are gone)."""

from __future__ import annotations

import uuid

import pytest

from fiscus.insights.changes import Changes

BANK, FOOD, UNCAT = "bank", "food", "uncat"
Leg = tuple[str, int]  # account, sign


@pytest.mark.parametrize(
    ("legs", "queued"),
    [
        ([(BANK, 1), (FOOD, 1)], True),  # created by hand
        ([(BANK, 1), (UNCAT, 1)], False),  # a bank import's new line
        ([(BANK, -1), (UNCAT, -1)], False),  # an import line deleted (undo)
        ([(BANK, -1), (UNCAT, -1), (BANK, 1), (UNCAT, 1)], False),  # its amount edited
        ([(UNCAT, -1), (FOOD, 1)], True),  # categorised (a rule, the review, by hand)
        ([(FOOD, -1), (UNCAT, 1)], True),  # a learned entry moved back: unlearn it
        ([(BANK, -1), (FOOD, -1)], True),  # a learned entry deleted: unlearn it
        ([(BANK, -1), (FOOD, -1), (BANK, 1), (FOOD, 1)], True),  # edited
    ],
)
def test_what_is_queued(legs: list[Leg], queued: bool) -> None:
    changes, entry = Changes(), uuid.uuid4()
    for account, sign in legs:
        changes.applied(entry, account == UNCAT, sign)
    assert changes.to_learn() == ([entry] if queued else [])


def test_marked_entries_are_queued_whatever_their_legs_and_forgotten_ones_never() -> None:
    changes, marked, forgotten = Changes(), uuid.uuid4(), uuid.uuid4()
    changes.applied(marked, True, 1)
    changes.mark([marked])  # its description edited
    changes.applied(forgotten, False, 1)
    changes.forget([forgotten])  # the categoriser's own apply
    assert changes.to_learn() == [marked]
