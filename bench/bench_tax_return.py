"""Time of calculating one stored tax return, without HTTP and the database.

What `POST /api/v1/tax/returns/{id}/calculate` does between reading the row and
writing it back: parse and validate the stored JSON document, map it onto the engine,
calculate, apply the return-only steps (part-year cover, claimed offsets) and build the
assessment. The case is the full 2024-25 return of the tests (two payers, interest,
dividends, two share sales, four deductions, an offset) plus share schemes and
part-year cover. The issue's budget is 5 ms per return. On a shared, loaded machine
the p95 shows time slices lost to other processes; the median is the work itself.

    .venv/bin/python bench/bench_tax_return.py [--rounds 2000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' example return

from tests.tax.returns_helpers import full_return_data

from fiscus.tax.returns_reads import calculate_assessment
from fiscus.tax.returns_sections import ReturnData


def stored_row() -> Any:
    data = full_return_data()
    data["income"]["employee_shares"] = {"upfront_eligible": "2500.00"}
    data["private_health"] = {"hospital_cover_months": 5}
    document = ReturnData.model_validate(data).model_dump_json()
    return SimpleNamespace(year="2024-25", data=document)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    row = stored_row()
    timings: list[float] = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        assessment = calculate_assessment(row)
        json.loads(assessment.model_dump_json())
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95)]
    print(f"returns: {len(timings)}  refund_or_owed: {assessment.refund_or_owed}")
    median = timings[len(timings) // 2]
    print(
        f"median: {median:.4f} ms  mean: {statistics.fmean(timings):.4f} ms  "
        f"p95: {p95:.4f} ms  max: {timings[-1]:.3f} ms"
    )


if __name__ == "__main__":
    main()
