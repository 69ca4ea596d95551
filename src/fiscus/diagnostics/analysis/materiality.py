"""Materiality: a fixed amount, or a percentage of a benchmark bounded by floor/cap;
performance materiality and the clearly-trivial threshold as fractions of it.

Without a request the benchmark is chosen as auditors commonly do: 5 % of pre-tax
profit when there is a profit, else 1 % of revenue, else 1 % of total assets. Amounts
are rounded to cents, half up.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from fiscus.diagnostics.analysis.totals import Figures
from fiscus.diagnostics.analysis.types import Benchmark, Materiality, MaterialityRequest

CENT = Decimal("0.01")
DEFAULT_PERCENTAGE: dict[Benchmark, Decimal] = {
    "pre_tax_profit": Decimal("0.05"),
    "revenue": Decimal("0.01"),
    "total_assets": Decimal("0.01"),
    "equity": Decimal("0.02"),
}
AUTOMATIC_ORDER: tuple[Benchmark, ...] = ("pre_tax_profit", "revenue", "total_assets")


def benchmark_amount(figures: Figures, benchmark: Benchmark) -> Decimal:
    if benchmark == "pre_tax_profit":
        return figures.pre_tax_profit
    if benchmark == "revenue":
        return figures.revenue + figures.other_income
    if benchmark == "total_assets":
        return figures.total_assets
    return figures.equity


def _bounded(value: Decimal, request: MaterialityRequest) -> Decimal:
    if request.floor is not None and value < request.floor:
        value = request.floor
    if request.cap is not None and value > request.cap:
        value = request.cap
    return value


def _result(
    overall: Decimal,
    basis: str,
    request: MaterialityRequest,
    base: Decimal | None,
    pct: Decimal | None,
    note: str,
) -> Materiality:
    overall = overall.quantize(CENT, ROUND_HALF_UP)
    return Materiality(
        overall=overall,
        performance=(overall * request.performance).quantize(CENT, ROUND_HALF_UP),
        trivial=(overall * request.trivial).quantize(CENT, ROUND_HALF_UP),
        basis=basis,
        benchmark_amount=base,
        percentage=pct,
        note=note,
    )


def _none(basis: str, note: str) -> Materiality:
    return Materiality(None, None, None, basis, None, None, note)


def compute(figures: Figures, request: MaterialityRequest | None) -> Materiality:
    request = request or MaterialityRequest()
    if request.amount is not None:
        return _result(
            _bounded(request.amount, request), "fixed", request, None, None, "Fixed amount given."
        )
    if request.benchmark is not None:
        chosen: list[Benchmark] = [request.benchmark]
    else:
        chosen = list(AUTOMATIC_ORDER)
    for benchmark in chosen:
        base = benchmark_amount(figures, benchmark)
        if base <= 0:
            continue
        pct = request.percentage or DEFAULT_PERCENTAGE[benchmark]
        note = (
            "Benchmark chosen automatically."
            if request.benchmark is None
            else "Benchmark requested."
        )
        return _result(_bounded(base * pct, request), benchmark, request, base, pct, note)
    if request.benchmark is not None:
        return _none(
            request.benchmark, f"The benchmark {request.benchmark} is not positive; no materiality."
        )
    return _none(
        "none", "No positive benchmark (pre-tax profit, revenue, total assets); no materiality."
    )
