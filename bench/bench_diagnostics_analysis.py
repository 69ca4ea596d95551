"""Time the analysis engines on synthetic trial balances: the row engine
(`analysis.analyse` on TBRows) and the columnar one (`analysis.analyse_page` on the
same trial balance read columnar from its CSV, the first 10,000 accounts built).

    .venv/bin/python bench/bench_diagnostics_analysis.py [--rows 50000 1000000]

Rows cycle through 20 realistic account names over MYOB-style numbers, with
log-uniform amounts (Benford-like) in cents; the trial balance balances. Prints wall
and CPU time per size and engine (CPU includes polars' threads), and the load average
(the machine is shared).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import time
from decimal import Decimal

from fiscus.diagnostics.analysis import analyse, analyse_page
from fiscus.diagnostics.ingest import ingest
from fiscus.diagnostics.trial_balance import TBRow, TrialBalance

NAMES = [
    ("1", "Cash at Bank"),
    ("1", "Trade Debtors"),
    ("1", "Inventory"),
    ("1", "Prepayments"),
    ("1", "Plant and Equipment"),
    ("1", "Accumulated Depreciation"),
    ("2", "Trade Creditors"),
    ("2", "GST Payable"),
    ("2", "Accrued Expenses"),
    ("2", "Bank Loan"),
    ("3", "Retained Earnings"),
    ("4", "Sales"),
    ("4", "Interest Income"),
    ("5", "Cost of Sales"),
    ("6", "Wages"),
    ("6", "Rent"),
    ("6", "Electricity"),
    ("6", "Insurance"),
    ("6", "Repairs"),
    ("6", "Travel"),
]


def build(n: int, seed: int = 5) -> TrialBalance:
    rng = random.Random(seed)
    rows = []
    zero = Decimal(0)
    for i in range(n - 1):
        head, name = NAMES[i % len(NAMES)]
        cents = int(10 ** rng.uniform(2, 8))
        amount = Decimal(cents).scaleb(-2)
        debit_normal = head in "156" and name != "Accumulated Depreciation"
        debit, credit = (amount, zero) if debit_normal else (zero, amount)
        rows.append(TBRow(i + 2, f"{head}-{i:07d}", f"{name} {i % 997}", debit, credit, None))
    diff = sum((r.debit - r.credit for r in rows), zero)
    rows.append(TBRow(n + 1, "3-9999999", "Share Capital", max(-diff, zero), max(diff, zero), None))
    return TrialBalance(rows=tuple(rows), sheet=None, source_rows=n, excluded=())


def as_csv(tb: TrialBalance) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("Account No", "Account Name", "Debit", "Credit"))
    writer.writerows((r.number, r.name, r.debit or "", r.credit or "") for r in tb.rows)
    return buffer.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[50_000, 1_000_000])
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    for n in args.rows:
        tb = build(n)
        start = time.perf_counter()
        cpu = time.process_time()
        result = analyse(tb)
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu
        print(
            f"{n:>9} rows: row engine {wall:.2f} s wall, {cpu:.2f} s CPU, "
            f"{len(result.anomalies)} findings, risk {result.risk_score}"
        )
        columnar = ingest(as_csv(tb), "tb.csv").sheets[0].trial_balance
        start, cpu = time.perf_counter(), time.process_time()
        paged = analyse_page(columnar, start=0, stop=min(n, 10_000))
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        same = (paged.anomalies, paged.totals) == (result.anomalies, result.totals)
        print(
            f"{n:>9} rows: columnar engine {wall:.2f} s wall, {cpu:.2f} s CPU, "
            f"{len(paged.anomalies)} findings, risk {paged.risk_score}, same findings: {same}"
        )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
