"""Time of one full tax assessment in the engine (no HTTP, no database).

Runs `calculate` on a busy case (itemised income with capital gains, family, HELP,
SAPTO off, SBITO, franking, part-year) for every supported year and prints the mean and
p95 per calculation in milliseconds. The issue's budget is 5 ms per return.

    .venv/bin/python bench/bench_tax_calculate.py [--rounds 2000]
"""

from __future__ import annotations

import argparse
import statistics
import time
from decimal import Decimal

from fiscus.tax.engine.calculate import calculate
from fiscus.tax.engine.model import CapitalGain, Family, Itemised, Residency, TaxInput
from fiscus.tax.rules import YEARS


def case(year: str) -> TaxInput:
    return TaxInput(
        year=year,
        residency=Residency.RESIDENT,
        itemised=Itemised(
            income=(("salary", Decimal("92000.45")), ("interest", Decimal("812.10"))),
            deductions=(("car", Decimal("1200")), ("donations", Decimal("350"))),
            capital_gains=(CapitalGain(Decimal("12000"), 30), CapitalGain(Decimal("900"), 3)),
            capital_losses=Decimal("1500"),
        ),
        months_resident=11,
        family=Family(spouse=True, spouse_taxable_income=Decimal("41000"), dependants=2),
        help_debt=Decimal("23000"),
        business_income=Decimal("8000"),
        franking_credits=Decimal("300"),
        tax_withheld=Decimal("21000"),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    inputs = [case(year) for year in YEARS]
    timings: list[float] = []
    for _ in range(args.rounds):
        for item in inputs:
            started = time.perf_counter()
            calculate(item)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95)]
    print(f"calculations: {len(timings)}")
    print(f"mean: {statistics.fmean(timings):.4f} ms  p95: {p95:.4f} ms  max: {timings[-1]:.3f} ms")


if __name__ == "__main__":
    main()
