"""Detection and parsing time of a realistic 100,000-row bank CSV (issue 4: detection +
preview <= 2 s).

Generates a CommBank/Westpac-style export in memory — a junk title line, a header, dates
day-first over three years in statement order, merchant descriptions with card and store
numbers, signed amounts with thousands separators, a running balance — then times
`detect` and a full `parse` (the preview reads the whole file: it reports every row error
and is where duplicates are looked for). Pure CPU, no database. Best and median of N runs.

    .venv/bin/python bench/bench_import_parse.py [--rows 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

from fiscus.imports.parsers import detect, parse

MERCHANTS = (
    "EFTPOS WOOLWORTHS {n} SYDNEY AU",
    "CARD {card}XXXX THE COFFEE CLUB {n}",
    "DIRECT DEBIT TELSTRA {n}",
    "TRANSFER TO {n} RENT",
    "SALARY ACME PTY LTD",
    "VISA PURCHASE AMAZON MKTPLC AU {n}",
    "BPAY AGL ENERGY {n}",
    "ATM WITHDRAWAL {n} MELBOURNE",
    "UBER *TRIP HELP.UBER.COM {n}",
    "INTEREST CREDIT",
)


def _amount(text: Decimal) -> str:
    return f"{text:,.2f}"


def generate(rows: int, seed: int = 4, *, ambiguous: bool = False) -> bytes:
    rng = random.Random(seed)
    day = date(2023, 1, 1)
    balance = Decimal("5000.00")
    out = ["Transactions export for account 062-000 12345678", "Date,Description,Amount,Balance"]
    for _ in range(rows):
        if rng.random() < 1_100 / rows:  # about three years of days
            day += timedelta(days=1)
            while ambiguous and day.day > 12:  # the worst case: no day tells d/m from m/d
                day += timedelta(days=1)
        template = rng.choice(MERCHANTS)
        incoming = template.startswith(("SALARY", "INTEREST"))
        cents = rng.randint(100, 350_000 if incoming else 40_000)
        amount = Decimal(cents).scaleb(-2) * (1 if incoming else -1)
        balance += amount
        text = template.format(n=rng.randint(1000, 99999), card=rng.randint(4000, 4999))
        out.append(f'{day:%d/%m/%Y},"{text}","{_amount(amount)}","{_amount(balance)}"')
    return ("\r\n".join(out) + "\r\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--ambiguous", action="store_true", help="only days <= 12: detection scans every date"
    )
    args = parser.parse_args()
    data = generate(args.rows, ambiguous=args.ambiguous)
    detect_times, parse_times, detect_cpu, parse_cpu = [], [], [], []
    for _ in range(args.runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        detection = detect(data, "export.csv")
        detected, cpu_detected = time.perf_counter(), time.process_time()
        statement = parse(data, detection)
        parsed, cpu_parsed = time.perf_counter(), time.process_time()
        detect_times.append(detected - started)
        parse_times.append(parsed - detected)
        detect_cpu.append(cpu_detected - cpu_started)
        parse_cpu.append(cpu_parsed - cpu_detected)
    assert len(statement.lines) == args.rows, (len(statement.lines), statement.errors[:3])
    print(f"file: {args.rows:,} rows, {len(data) / 1_048_576:.1f} MB")
    print(
        f"detected: {detection.date_format.value if detection.date_format else None}, "
        f"columns {sorted(r.value for r in detection.columns)}"
    )
    for name, times, cpu in (
        ("detect", detect_times, detect_cpu),
        ("parse", parse_times, parse_cpu),
    ):
        print(
            f"{name:>7}: wall best {min(times):.3f} s, median {statistics.median(times):.3f} s;"
            f" cpu median {statistics.median(cpu):.3f} s"
        )
    total = [d + p for d, p in zip(detect_times, parse_times, strict=True)]
    cpu_total = [d + p for d, p in zip(detect_cpu, parse_cpu, strict=True)]
    print(
        f"  total: wall best {min(total):.3f} s, median {statistics.median(total):.3f} s;"
        f" cpu median {statistics.median(cpu_total):.3f} s"
    )
    print("(cpu = process time: what the run costs a core; wall also counts waiting for one)")


if __name__ == "__main__":
    main()
