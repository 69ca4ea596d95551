"""Diagnostics exports: time to validate a posted analysis and write each file.

    .venv/bin/python bench/bench_diagnostics_exports.py [accounts ...]

Builds the synthetic trial balance of bench_diagnostics.py, analyses it, and times
`exports.export` (parse + validate + write, what the route runs in its thread) for the
memo, the workpaper, the lead schedules (with the same analysis as the prior) and the
findings CSV: wall seconds, CPU seconds in brackets, file size. Prints figures; asserts
nothing.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_diagnostics import as_csv, trial_balance

from fiscus.diagnostics import exports
from fiscus.diagnostics import schemas as results
from fiscus.diagnostics.exports.request import parse
from fiscus.diagnostics.ingest import ingest


def analysis_json(accounts: int) -> bytes:
    ingested = ingest(as_csv(trial_balance(accounts)), "tb.csv", mapping=None, sheets=None)
    tb = ingested.sheets[0].trial_balance
    return results.dumps(results.analyse(tb, results.AnalysisOptions()))


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 5_000]
    for accounts in sizes:
        body = analysis_json(accounts)
        decoded = json.loads(body)
        with_prior = json.dumps({**decoded, "prior": decoded}).encode()
        started, cpu = time.perf_counter(), time.process_time()
        parse(body)
        figures = [f"parse {time.perf_counter() - started:.2f}s ({time.process_time() - cpu:.2f})"]
        for kind in ("pdf", "excel", "leadsheets", "csv"):
            started, cpu = time.perf_counter(), time.process_time()
            out = exports.export(kind, with_prior if kind == "leadsheets" else body)
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            figures.append(f"{kind} {wall:.2f}s ({cpu:.2f}) {len(out.body) // 1024} kB")
        print(
            f"{accounts:>7,} accounts, {len(decoded['anomalies']):,} findings, "
            f"body {len(body) / 1e6:.1f} MB: " + ", ".join(figures)
        )


if __name__ == "__main__":
    main()
