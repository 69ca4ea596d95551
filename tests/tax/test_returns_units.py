"""Pure pieces of the returns: months held for the CGT discount, retention dates, merge
patch, the diff of two documents and honest provenance."""

from __future__ import annotations

from datetime import date

import pytest

from fiscus.tax.returns_assess import held_months
from fiscus.tax.returns_figures import changes, keep_honest_provenance, merge_patch
from fiscus.tax.returns_reads import retention_ends


@pytest.mark.parametrize(
    ("acquired", "disposed", "months"),
    [
        ("2023-07-01", "2024-07-01", 11),  # the anniversary itself: not yet 12 months
        ("2023-07-01", "2024-07-02", 12),
        ("2023-01-31", "2024-01-31", 11),
        ("2023-01-31", "2024-02-01", 12),
        ("2023-01-30", "2024-01-31", 12),
        ("2024-02-29", "2025-02-28", 11),
        ("2024-02-29", "2025-03-01", 12),
        ("2024-01-05", "2024-11-20", 10),
        ("2024-01-05", "2024-01-05", 0),
    ],
)
def test_months_held(acquired: str, disposed: str, months: int) -> None:
    assert held_months(date.fromisoformat(acquired), date.fromisoformat(disposed)) == months


def test_retention_ends_on_the_anniversary() -> None:
    assert retention_ends(date(2025, 9, 15), 7) == date(2032, 9, 15)
    assert retention_ends(date(2024, 2, 29), 7) == date(2031, 2, 28)
    assert retention_ends(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_merge_patch_merges_objects_and_replaces_the_rest() -> None:
    doc = {"a": {"x": 1, "y": 2}, "list": [1, 2], "gone": 3}
    patch = {"a": {"y": 5, "z": 6}, "list": [9], "gone": None}
    assert merge_patch(doc, patch) == {"a": {"x": 1, "y": 5, "z": 6}, "list": [9]}
    assert doc["a"] == {"x": 1, "y": 2}  # the stored document is not touched


def test_changes_compare_figures_by_amount() -> None:
    fig = {"amount": "1.00", "source": "user", "transaction_ids": []}
    before = {"d": {"d1": fig, "d2": fig}, "payers": [{"name": "A"}]}
    after = {
        "d": {"d1": {**fig, "amount": "2.00"}, "d2": {**fig, "source": "prefill"}},
        "payers": [{"name": "A"}, {"name": "B"}],
    }
    assert changes(before, after) == [("d.d1", "1.00", "2.00"), ("payers.1.name", None, "B")]


def test_only_an_unchanged_prefilled_figure_keeps_its_provenance() -> None:
    prefilled = {"amount": "5.00", "source": "prefill", "transaction_ids": ["t1"]}
    before = {"a": prefilled, "b": prefilled}
    after = {"a": dict(prefilled), "b": {**prefilled, "amount": "6.00"}, "c": dict(prefilled)}
    keep_honest_provenance(before, after)
    assert after["a"] == prefilled
    assert after["b"] == {"amount": "6.00", "source": "user", "transaction_ids": []}
    assert after["c"] == {"amount": "5.00", "source": "user", "transaction_ids": []}
