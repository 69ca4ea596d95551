"""Amount tests: round amounts and amounts just below the approval threshold.

- Round amount: a line amount that is a whole multiple of 1,000 (weight 5), 10,000 (10)
  or 100,000 (15); the roundest line decides the entry's tier. 999.99 and 1,000.01 are
  not round; 1,000.00 is.
- Just below threshold: the entry's size (the larger of its debits and credits) or a
  line amount `a` with `threshold x (1 - 5 %) <= a < threshold`: with a threshold of
  10,000, 9,500.00 and 9,999.99 are flagged, 9,499.99 and 10,000.00 are not. Run only
  when `threshold` is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from fiscus.diagnostics.journal.lines import Entry
from fiscus.diagnostics.journal.scoring import ROUND_WEIGHTS, Flag, flag

THRESHOLD_BAND = Decimal("0.05")


def round_tier(amount: Decimal) -> int | None:
    """The largest tier (100,000, 10,000, 1,000) the amount is a multiple of."""
    if not amount:
        return None
    for tier in ROUND_WEIGHTS:  # largest first
        if amount % tier == 0:
            return tier
    return None


def round_amounts(entries: Sequence[Entry]) -> list[tuple[Entry, Flag]]:
    found = []
    for entry in entries:
        tiers = [(round_tier(line.amount), line) for line in entry.lines]
        rounds = [(tier, line) for tier, line in tiers if tier is not None]
        if not rounds:
            continue
        top = max(tier for tier, _ in rounds)
        values = sorted({line.amount for _, line in rounds})
        amounts = ", ".join(str(v) for v in values)
        detail = (
            f"Round amount {amounts} (a multiple of {top:,})."
            if len(values) == 1
            else f"Round amounts {amounts} (the roundest a multiple of {top:,})."
        )
        lines = (line.line_no for _, line in rounds)
        found.append((entry, flag("round_amount", detail, lines, weight=ROUND_WEIGHTS[top])))
    return found


def just_below(entries: Sequence[Entry], threshold: Decimal) -> list[tuple[Entry, Flag]]:
    low = threshold * (1 - THRESHOLD_BAND)
    found = []
    for entry in entries:
        near = [line for line in entry.lines if low <= line.amount < threshold]
        size = entry.size
        if not near and not low <= size < threshold:
            continue
        amount = size if low <= size < threshold else max(line.amount for line in near)
        share = (threshold - amount) / threshold * 100
        detail = (
            f"{amount} is {share.quantize(Decimal('0.01'))} % below the approval threshold "
            f"{threshold}."
        )
        lines = near or entry.lines  # the entry's size is near: every line makes it
        found.append((entry, flag("just_below_threshold", detail, (ln.line_no for ln in lines))))
    return found
