"""Recurring detection on synthetic household books: accuracy and speed (pure function).

Each household has three years of everyday spending at ~40 merchants (irregular, some
several times a week: the hard part, since a supermarket visited most Saturdays looks
weekly) plus 12 true series of every cadence with date jitter, weekend shifts, price
rises and one stopped subscription. A detected series counts as right when it has a true
series' payee, its cadence and a next date within the cadence's tolerance. Prints
precision and recall over all households, and detection time against the row count.

    .venv/bin/python bench/bench_recurring.py [--households 20] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import time
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from fiscus.recurring.cadence import CADENCES, step
from fiscus.recurring.detection import Movement, clean_payee, detect

START, END = date(2023, 1, 1), date(2025, 12, 31)
MERCHANTS = [
    f"{w} {s}"
    for w in ("Corner", "City", "Green", "Harbour", "Main St", "Metro", "North", "Sun")
    for s in ("Grocer", "Cafe", "Fuel", "Pharmacy", "Bakery")
]


@dataclass(frozen=True)
class Truth:
    payee: str
    cadence: str
    next_on: date


def _series(rng: random.Random, account: uuid.UUID) -> tuple[list[Movement], list[Truth]]:
    plans = [
        ("NETFLIX.COM", "monthly", -1599, True),
        ("Spotify P0423", "monthly", -1299, False),
        ("Rent Realty", "monthly", -220000, False),
        ("Employer Payroll", "fortnightly", 312000, False),
        ("Gym Direct Debit", "weekly", -1850, False),
        ("Energy Co", "quarterly", -41000, False),
        ("Water Board", "quarterly", -18000, False),
        ("Car Insurance", "yearly", -98000, True),
        ("Domain Renewal", "yearly", -2500, False),
        ("Phone Plan", "monthly", -6500, True),
        ("Cloud Storage", "monthly", -449, False),
        ("Old Magazine", "monthly", -990, False),  # stops a year before the end
    ]
    rows: list[Movement] = []
    truths: list[Truth] = []
    for payee, name, amount, rises in plans:
        cadence = CADENCES[name]
        anchor = rng.randint(1, 31) if cadence.months else None
        first = step(cadence, START, 0, anchor) + timedelta(days=rng.randrange(cadence.days))
        stop = END - timedelta(days=365) if payee == "Old Magazine" else END
        n, on = 0, first
        while on <= stop:
            jitter = rng.randint(-1, 2) if cadence.months else rng.randint(0, 1)
            price = amount if not rises or on < END - timedelta(days=200) else amount * 115 // 100
            rows.append(
                Movement(uuid.uuid4(), on + timedelta(days=jitter), payee, price, account, "AUD")
            )
            n += 1
            on = step(cadence, first, n, anchor)
        if payee != "Old Magazine":
            truths.append(Truth(clean_payee(payee), name, on))
    return rows, truths


def _noise(rng: random.Random, account: uuid.UUID) -> list[Movement]:
    rows = []
    favourites = rng.sample(MERCHANTS, 8)
    day = START
    while day <= END:
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            merchant = rng.choice(favourites) if rng.random() < 0.6 else rng.choice(MERCHANTS)
            rows.append(
                Movement(
                    uuid.uuid4(),
                    day,
                    f"EFTPOS {merchant} {rng.randint(1000, 9999)}",
                    -rng.randint(300, 25000),
                    account,
                    "AUD",
                )
            )
        day += timedelta(days=1)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--households", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    right = found_total = truth_total = rows_total = 0
    seconds = 0.0
    for _ in range(args.households):
        account = uuid.uuid4()
        series, truths = _series(rng, account)
        rows = series + _noise(rng, account)
        rng.shuffle(rows)
        began = time.perf_counter()
        found = detect(rows)
        seconds += time.perf_counter() - began
        rows_total += len(rows)
        truth_by_payee = {t.payee: t for t in truths}
        hits = set()
        for s in found:
            t = truth_by_payee.get(s.payee_key)
            tolerance = CADENCES[s.cadence].tolerance
            if t and s.cadence == t.cadence and abs((s.next_on - t.next_on).days) <= tolerance:
                hits.add(t.payee)
        right += len(hits)
        found_total += len(found)
        truth_total += len(truths)
    per_household = rows_total // args.households
    print(f"households={args.households} movements={rows_total} ({per_household}/household)")
    print(f"detected={found_total} true={truth_total} right={right}")
    print(f"precision={right / max(found_total, 1):.3f} recall={right / truth_total:.3f}")
    per = seconds / args.households * 1000
    print(f"detect(): {seconds:.2f} s, {per:.0f} ms/household, {rows_total / seconds:,.0f} rows/s")


if __name__ == "__main__":
    main()
