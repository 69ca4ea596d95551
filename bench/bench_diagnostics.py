"""Trial-balance analysis end to end through HTTP: 50,000 and 1,000,000 accounts.

Starts the real app (`create_app`, a throw-away migrated SQLite database) under
Starlette's TestClient, registers a user, then POSTs generated trial balances to
`/api/v1/diagnostics/trial-balance` and times the whole request (multipart encoding by
the client, the in-memory upload read, parsing, column detection, the analysis, the
JSON answer -- the default page: every total and finding, the first 10,000 accounts --
and its decoding by the client). Per size: the median of `--runs` requests, this
process's CPU time for them (the machine is shared; CPU time is disturbed less than
wall time, but counts polars' threads too), and the peak memory: ru_maxrss of this one
process (server and client together under TestClient), read right after our requests
at that size and before the baseline runs.

The trial balances are realistic: each account on its normal side but 2 % on the
other (a wrong-side finding each), log-uniform amounts in cents.

In the same run, the naive baseline: pandas (`read_csv`, thousands separators, float
amounts) or pandas with openpyxl for an XLSX, totals, and every account rendered to
JSON (`to_json`) -- no detection, classification or checks, no HTTP, and not exact
(floats). The ratio baseline / ours is printed (> 1: ours is faster).

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
from pathlib import Path

os.environ.setdefault("FISCUS_ARGON2_TIME_COST", "1")
os.environ.setdefault("FISCUS_ARGON2_MEMORY_KIB", "1024")
os.environ.setdefault("FISCUS_LOG_LEVEL", "WARNING")

import pandas as pd
import xlsxwriter
from fastapi.testclient import TestClient

from fiscus.config import Settings
from fiscus.db.migrate import upgrade
from fiscus.diagnostics import schemas
from fiscus.diagnostics.accounts_page import AccountsPage
from fiscus.diagnostics.ingest import ingest
from fiscus.main import create_app

URL = "/api/v1/diagnostics/trial-balance"
# (name, number prefix, debit normal)
NAMES = (
    ("Cash at bank", "1", True),
    ("Trade debtors", "1", True),
    ("Inventory", "1", True),
    ("Prepayments", "1", True),
    ("Plant and equipment", "1", True),
    ("Trade creditors", "2", False),
    ("Accrued expenses", "2", False),
    ("GST payable", "2", False),
    ("Bank loan", "2", False),
    ("Share capital", "3", False),
    ("Retained earnings", "3", False),
    ("Sales", "4", False),
    ("Cost of sales", "5", True),
    ("Wages", "6", True),
    ("Rent", "6", True),
    ("Electricity", "6", True),
    ("Motor vehicle expenses", "6", True),
    ("Depreciation", "6", True),
    ("Interest expense", "6", True),
    ("Sundry expenses", "6", True),
)


def trial_balance(rows: int, seed: int = 7) -> list[tuple[str, str, str, str]]:
    """`rows` accounts (number, name, debit, credit) whose debits equal their credits."""
    rng = random.Random(seed)
    out: list[tuple[str, str, str, str]] = []
    balance = 0
    for i in range(rows - 1):
        cents = int(10 ** rng.uniform(2, 8.5))
        label, head, debit_normal = NAMES[i % len(NAMES)]
        name = f"{label} {i // len(NAMES) + 1}"
        number = f"{head}{i:07d}"
        if debit_normal != (rng.random() < 0.02):
            out.append((number, name, f"{cents // 100:,}.{cents % 100:02d}", ""))
            balance += cents
        else:
            out.append((number, name, "", f"{cents // 100:,}.{cents % 100:02d}"))
            balance -= cents
    amount = f"{abs(balance) // 100}.{abs(balance) % 100:02d}"
    last = (amount, "") if balance < 0 else ("", amount)
    out.append(("39999999", "Suspense clearing", *last))
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


def _naive_answer(frame: pd.DataFrame) -> bytes:
    frame = frame.fillna({"Debit": 0.0, "Credit": 0.0})
    frame["Net"] = frame["Debit"] - frame["Credit"]
    debits, credits = float(frame["Debit"].sum()), float(frame["Credit"].sum())
    accounts = frame.to_json(orient="records")
    head = json.dumps({"balanced": round(debits - credits, 2) == 0, "total_debits": debits})
    return head[:-1].encode() + b',"accounts":' + accounts.encode() + b"}"


def naive_csv(data: bytes) -> bytes:
    """The baseline: pandas read_csv (floats), totals, every account as JSON."""
    frame = pd.read_csv(io.BytesIO(data), thousands=",", dtype={"Account No": str})
    return _naive_answer(frame)


def naive_xlsx(data: bytes) -> bytes:
    """The baseline for a workbook: pandas with openpyxl."""
    frame = pd.read_excel(io.BytesIO(data), engine="openpyxl", dtype={"Account No": str})
    return _naive_answer(frame)


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
    body = schemas.analyse(
        ingested.sheets[0].trial_balance, schemas.AnalysisOptions(), AccountsPage()
    )
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
    print(f"{os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}")
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
            peak = peak_mb()
            base_wall, base_cpu = timed(args.runs, lambda d=data: naive_csv(d))
            print(
                f"CSV {size:>9,} rows {len(data) / 1_048_576:6.1f} MB: HTTP median {wall:6.2f} s "
                f"(cpu {cpu:.2f} s); pandas baseline {base_wall:6.2f} s (cpu {base_cpu:.2f} s); "
                f"ratio {base_wall / wall:.2f}x wall, {base_cpu / cpu:.2f}x cpu; "
                f"peak RSS {peak:,.0f} MB"
            )
            print(phases(data, "tb.csv"))
            if size <= 100_000:
                book = as_xlsx(rows)
                wall, cpu = timed(args.runs, lambda b=book: post("tb.xlsx", b))
                base_wall, base_cpu = timed(1, lambda b=book: naive_xlsx(b))
                print(
                    f"XLSX {size:>8,} rows {len(book) / 1_048_576:6.1f} MB: HTTP median "
                    f"{wall:6.2f} s (cpu {cpu:.2f} s); pandas+openpyxl baseline {base_wall:6.2f} s "
                    f"(cpu {base_cpu:.2f} s); ratio {base_wall / wall:.2f}x wall, "
                    f"{base_cpu / cpu:.2f}x cpu"
                )
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
