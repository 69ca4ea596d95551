"""Chart-of-accounts hygiene, concentration and Benford findings.

- duplicate_account_number: one number, several names (medium).
- unclassified_material_account: category unknown and |net| >= performance materiality
  (medium; when there is no materiality, any unknown non-zero account, low).
- numbering_gap: within accounts whose numbers are all digits, sorted, a step more
  than GAP_FACTOR (10) times the median step and at least GAP_MIN (100) (info, at
  most MAX_GAPS reported).
- zero_balance_accounts: one info finding counting the accounts with a zero net.
- concentration: an account holding at least CONCENTRATION (50 %) of its category's
  total, in a category of at least 3 accounts (info).
- benford_*: a marginal (low) or nonconforming (medium) test.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import pairwise
from statistics import median

from fiscus.diagnostics.analysis.findings import Findings, label_of
from fiscus.diagnostics.analysis.types import (
    AccountResult,
    BenfordTest,
    Materiality,
    Severity,
    Totals,
)

ZERO = Decimal(0)
GAP_FACTOR = 10
GAP_MIN = 100
MAX_GAPS = 20
CONCENTRATION = Decimal("0.5")
CONCENTRATION_MIN_ACCOUNTS = 3


def _same(a: str, b: str) -> bool:
    return a == b or " ".join(a.lower().split()) == " ".join(b.lower().split())


def duplicates(f: Findings, accounts: Sequence[AccountResult]) -> None:
    first: dict[str, AccountResult] = {}
    others: dict[str, set[str]] = {}
    for a in accounts:
        if not a.number:
            continue
        seen = first.setdefault(a.number, a)
        if seen is not a and not _same(seen.name, a.name):
            others.setdefault(a.number, set()).add(" ".join(a.name.lower().split()))
    for number, names in others.items():
        count = len(names | {" ".join(first[number].name.lower().split())})
        f.add(
            "duplicate_account_number",
            "medium",
            f"The account number {number} is used for {count} different names.",
            (
                "Confirm with the client which account the number belongs to; correct the chart "
                "before relying on the mapping."
            ),
            account=first[number],
            amount=None,
        )


def unclassified(f: Findings, accounts: Sequence[AccountResult], materiality: Materiality) -> None:
    threshold = materiality.performance
    for a in accounts:
        if a.classification.category != "unknown" or not a.net:
            continue
        if threshold is None:
            f.add(
                "unclassified_account",
                "low",
                "An account could not be classified; there is no materiality to judge it against.",
                "Classify the account (override) and re-run.",
                account=a,
                amount=a.net,
            )
        elif abs(a.net) >= threshold:
            f.add(
                "unclassified_material_account",
                "medium",
                (
                    f"An account with a balance above performance materiality ({threshold}) could "
                    "not be classified."
                ),
                "Classify the account (override) and re-run; obtain its analysis.",
                account=a,
                amount=a.net,
            )


def gaps(f: Findings, accounts: Sequence[AccountResult]) -> None:
    numbers = sorted({int(a.number) for a in accounts if a.number and a.number.isdigit()})
    if len(numbers) < 3:
        return
    steps = [b - a for a, b in pairwise(numbers)]
    gap_findings(f, numbers, steps, median(steps))


def gap_findings(f: Findings, numbers: list[int], steps: list[int], typical: float) -> None:
    """`numbers`: the distinct all-digit account numbers, sorted; `steps` between them."""
    reported = 0
    for low, step in zip(numbers, steps, strict=False):
        if step > GAP_FACTOR * typical and step >= GAP_MIN and reported < MAX_GAPS:
            reported += 1
            f.add(
                "numbering_gap",
                "info",
                (
                    f"No accounts between {low} and {low + step} (a gap of {step}; the "
                    f"typical step is {typical})."
                ),
                (
                    "Ask whether accounts were deleted or merged during the year; check that "
                    "nothing was left out of the export."
                ),
                label=f"{low}-{low + step}",
            )


def zero_balances(f: Findings, accounts: Sequence[AccountResult]) -> None:
    zeros = [a for a in accounts if not a.net]
    if zeros:
        zero_balances_of(f, zeros[:10], len(zeros))


def zero_balances_of(f: Findings, first: Sequence[AccountResult], count: int) -> None:
    """`first`: the first ten zero-balance accounts; `count`: how many there are."""
    if count:
        shown = ", ".join(label_of(a) for a in first)
        more = f" and {count - 10} more" if count > 10 else ""
        f.add(
            "zero_balance_accounts",
            "info",
            f"{count} accounts have a zero balance: {shown}{more}.",
            (
                "Consider closing unused accounts; check that zero balances are real and not a "
                "failed export."
            ),
            label=f"{count} accounts",
        )


def concentration(f: Findings, accounts: Sequence[AccountResult], totals: Totals) -> None:
    counts: dict[str, int] = {}
    biggest: dict[str, AccountResult] = {}
    cat: str
    for a in accounts:
        cat = a.classification.category
        counts[cat] = counts.get(cat, 0) + 1
        if cat not in biggest or abs(a.net) > abs(biggest[cat].net):
            biggest[cat] = a
    concentration_of(f, {cat: (counts[cat], a) for cat, a in biggest.items()}, totals)


def concentration_of(
    f: Findings, biggest: dict[str, tuple[int, AccountResult]], totals: Totals
) -> None:
    """`biggest`: per category (in order of appearance) its account count and its
    first account of the largest |net|."""
    for cat, (count, a) in biggest.items():
        total = totals.by_category.get(cat, ZERO)
        if cat == "unknown" or count < CONCENTRATION_MIN_ACCOUNTS or not total:
            continue
        share = a.net / total
        if share >= CONCENTRATION:
            f.add(
                "concentration",
                "info",
                f"One account holds {share:.0%} of total {cat}.",
                (
                    "Focus testing on this account; consider whether the balance should be "
                    "analysed into components."
                ),
                account=a,
                amount=a.net,
            )


def benford_findings(f: Findings, tests: Sequence[BenfordTest]) -> None:
    for t in tests:
        if t.status in ("marginal", "nonconformity"):
            severity: Severity = "low" if t.status == "marginal" else "medium"
            f.add(
                f"benford_{t.test}",
                severity,
                (
                    f"Benford {t.test.replace('_', ' ')} test: MAD {t.mad} over {t.population} "
                    f"balances is {t.status}."
                ),
                (
                    "Look at the digits most over-represented; select the balances starting with "
                    "them for testing."
                ),
                label="all accounts",
            )


def run(
    f: Findings,
    accounts: Sequence[AccountResult],
    totals: Totals,
    materiality: Materiality,
    tests: Sequence[BenfordTest],
) -> None:
    duplicates(f, accounts)
    unclassified(f, accounts, materiality)
    gaps(f, accounts)
    zero_balances(f, accounts)
    concentration(f, accounts, totals)
    benford_findings(f, tests)
