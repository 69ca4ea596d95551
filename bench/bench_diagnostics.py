"""Trial-balance analysis end to end through HTTP: 50,000 and 1,000,000 accounts.

Starts the real app (`create_app`, a throw-away migrated SQLite database) under
Starlette's TestClient, registers a user, then POSTs generated trial balances to
`/api/v1/diagnostics/trial-balance` and times the whole request (multipart encoding by
the client, the in-memory upload read, parsing, column detection, the analysis, the
JSON answer and its decoding). Per size: the median of `--runs` requests, this
process's CPU time for them (the machine is shared; CPU time is disturbed less than
wall time), and the process's peak RSS (ru_maxrss, which includes the client's copy).

In the same run, a naive baseline of what this replaces (pandas with openpyxl cannot be
installed here): stdlib `csv.DictReader`, a `Decimal` per cell, totals and an account
list rendered to JSON -- no detection, no checks, no HTTP -- and, for an XLSX of the
smaller size, openpyxl's read-only reader against our calamine path. The ratio is printed.

    .venv/bin/python bench/bench_diagnostics.py [--sizes 50000,1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("FISCUS_ARGON2_TIME_COST", "1")
os.environ.setdefault("FISCUS_ARGON2_MEMORY_KIB", "1024")
os.environ.setdefault("FISCUS_LOG_LEVEL", "WARNING")

import openpyxl
import xlsxwriter
from fastapi.testclient import TestClient

from fiscus.config import Settings
from fiscus.db.migrate import upgrade
from fiscus.diagnostics import schemas
from fiscus.diagnostics.ingest import ingest
from fiscus.main import create_app

URL = "/api/v1/diagnostics/trial-balance"
NAMES = (
    "Cash at bank",
    "Trade debtors",
    "Inventory",
    "Prepayments",
    "Plant and equipment",
    "Trade creditors",
    "Accrued expenses",
    "GST payable",
    "Bank loan",
    "Share capital",
    "Retained earnings",
    "Sales",
    "Cost of sales",
    "Wages",
    "Rent",
    "Electricity",
    "Motor vehicle expenses",
    "Depreciation",
    "Interest expense",
    "Sundry expenses",
)


def trial_balance(rows: int, seed: int = 7) -> list[tuple[str, str, str, str]]:
    """`rows` accounts (number, name, debit, credit) whose debits equal their credits."""
    rng = random.Random(seed)
    out: list[tuple[str, str, str, str]] = []
    balance = 0
    for i in range(rows - 1):
        cents = rng.randint(100, 50_000_000)
        name = f"{NAMES[i % len(NAMES)]} {i // len(NAMES) + 1}"
        if rng.random() < 0.5:
            out.append((f"{10000 + i}", name, f"{cents // 100:,}.{cents % 100:02d}", ""))
            balance += cents
        else:
            out.append((f"{10000 + i}", name, "", f"{cents // 100:,}.{cents % 100:02d}"))
            balance -= cents
    amount = f"{abs(balance) // 100}.{abs(balance) % 100:02d}"
    last = (amount, "") if balance < 0 else ("", amount)
    out.append((f"{10000 + rows}", "Suspense clearing", *last))
    return out


def as_csv(rows: list[tuple[str, str, str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("Account No", "Account Name", "Debit", "Credit"))
    writer.writerows(rows)
    return buffer.getvalue().encode()


def as_xlsx(rows: list[tuple[str, str, str, str]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet("TB")
    sheet.write_row(0, 0, ("Account No", "Account Name", "Debit", "Credit"))
    for r, (number, name, debit, credit) in enumerate(rows, start=1):
        sheet.write_string(r, 0, number)
        sheet.write_string(r, 1, name)
        if debit:
            sheet.write_number(r, 2, float(debit.replace(",", "")))
        if credit:
            sheet.write_number(r, 3, float(credit.replace(",", "")))
    book.close()
    return buffer.getvalue()


def naive_csv(data: bytes) -> bytes:
    """The baseline: DictReader, Decimal per cell, totals, the accounts as JSON."""
    accounts, debits, credits = [], Decimal(0), Decimal(0)
    for row in csv.DictReader(io.StringIO(data.decode())):
        debit = Decimal(row["Debit"].replace(",", "") or "0")
        credit = Decimal(row["Credit"].replace(",", "") or "0")
        debits, credits = debits + debit, credits + credit
        accounts.append(
            {
                "number": row["Account No"],
                "name": row["Account Name"],
                "debit": str(debit),
                "credit": str(credit),
                "net": str(debit - credit),
            }
        )
    body = {"balanced": debits == credits, "total_debits": str(debits), "accounts": accounts}
    return json.dumps(body).encode()


def naive_xlsx(data: bytes) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    accounts, debits, credits = [], Decimal(0), Decimal(0)
    for number, name, debit_cell, credit_cell in book.active.iter_rows(min_row=2, values_only=True):
        debit = Decimal(str(debit_cell or 0))
        credit = Decimal(str(credit_cell or 0))
        debits, credits = debits + debit, credits + credit
        accounts.append(
            {"number": number, "name": name, "debit": str(debit), "credit": str(credit)}
        )
    return json.dumps({"balanced": debits == credits, "accounts": accounts}).encode()


def timed(runs: int, call: Callable[[], object]) -> tuple[float, float]:
    """(median wall seconds, median CPU seconds of this process)."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def phases(data: bytes, name: str) -> str:
    """Where the time goes, in process (no HTTP): ingestion, the analysis, the JSON."""
    began = time.perf_counter()
    ingested = ingest(data, name)
    read = time.perf_counter()
    body = schemas.analyse(ingested.sheets[0].trial_balance, schemas.AnalysisOptions())
    analysed = time.perf_counter()
    size = len(schemas.dumps(body))
    done = time.perf_counter()
    return (
        f"  phases: ingest {read - began:.2f} s, analyse {analysed - read:.2f} s, "
        f"JSON {done - analysed:.2f} s ({size / 1_048_576:.0f} MB answer)"
    )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50000,1000000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp())
    url = f"sqlite:///{var / 'bench.db'}"
    upgrade(url)
    settings = Settings(database_url=url, var_dir=var, env="test", secret_key="x" * 40)
    print(f"load average {os.getloadavg()}  (machine shared with other sessions)")
    with TestClient(create_app(settings)) as client:
        body = {"email": "bench@example.com", "password": "a long bench passphrase", "name": "B"}
        token = client.post("/api/v1/auth/register", json=body).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}

        def post(name: str, data: bytes) -> None:
            response = client.post(URL, files={"file": (name, data)}, headers=headers)
            assert response.status_code == 200, response.text[:300]
            assert response.json()["balanced"] is True

        for size in (int(s) for s in args.sizes.split(",")):
            rows = trial_balance(size)
            data = as_csv(rows)
            wall, cpu = timed(args.runs, lambda d=data: post("tb.csv", d))
            base_wall, base_cpu = timed(args.runs, lambda d=data: naive_csv(d))
            print(
                f"CSV {size:>9,} rows {len(data) / 1_048_576:6.1f} MB: HTTP median {wall:6.2f} s "
                f"(cpu {cpu:.2f} s); naive baseline {base_wall:6.2f} s (cpu {base_cpu:.2f} s); "
                f"ratio {base_wall / wall:.2f}x; peak RSS so far {peak_mb():,.0f} MB"
            )
            print(phases(data, "tb.csv"))
            if size <= 100_000:
                book = as_xlsx(rows)
                wall, cpu = timed(args.runs, lambda b=book: post("tb.xlsx", b))
                base_wall, _ = timed(1, lambda b=book: naive_xlsx(b))
                print(
                    f"XLSX {size:>8,} rows {len(book) / 1_048_576:6.1f} MB: HTTP median "
                    f"{wall:6.2f} s (cpu {cpu:.2f} s); openpyxl baseline {base_wall:6.2f} s; "
                    f"ratio {base_wall / wall:.2f}x"
                )
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
