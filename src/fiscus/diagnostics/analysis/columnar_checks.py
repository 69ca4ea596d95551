"""The checks of the columnar engine (see columnar.py): each per-account check run by
the row engine's own code on the accounts that can have a finding, the hygiene checks
on the few accounts they report on, in the row engine's order."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from itertools import pairwise
from statistics import median
from typing import TYPE_CHECKING

import polars as pl

from fiscus.diagnostics.analysis import checks, hygiene
from fiscus.diagnostics.analysis.findings import Findings
from fiscus.diagnostics.analysis.types import (
    AccountResult,
    Anomaly,
    BenfordTest,
    Materiality,
    Totals,
)
from fiscus.diagnostics.trial_balance import decimal_of

if TYPE_CHECKING:
    from fiscus.diagnostics.analysis.columnar import Engine


def run_checks(
    e: Engine,
    totals: Totals,
    mat: Materiality,
    difference: Decimal,
    benford: tuple[BenfordTest, ...],
) -> list[Anomaly]:
    f = Findings(mat)
    checks.out_of_balance(f, difference)
    unit = 10**e.scale
    net = pl.col("net")
    round_ = (net.abs() >= 1000 * unit) & ((net.abs() % (1000 * unit)) == 0)
    wrong = (pl.col("category") != "unknown") & (net != 0) & ((net > 0) != pl.col("debit_normal"))
    rows = e.rows_where(pl.col("name_finding") | wrong | round_)
    trigger = e.frame["trigger"].to_list()
    intercompany: list[AccountResult] = []
    round_counts: dict[Decimal, int] = defaultdict(int)
    for row, a in zip(rows, e.accounts_at(rows), strict=True):
        checks.per_account(f, a, bool(trigger[row]), intercompany, round_counts)
    checks.intercompany_nets(f, intercompany)
    checks.repeated_round(f, round_counts)
    checks.equation(f, totals, difference)
    retained = e.sums("subtype").get("retained_earnings", Decimal(0))
    dividend = (pl.col("category") == "equity") & pl.col("dividend_word")
    units, places = e.frame.select(
        pl.col("net").filter(dividend).sum(), pl.col("net_dp").filter(dividend).max()
    ).row(0)
    dividend_total = decimal_of(int(units or 0), e.scale, max(int(places or 0), 0))
    checks.deficit_finding(f, retained, dividend_total, totals)
    _hygiene(e, f, totals, mat, benford)
    return f.items


def _hygiene(
    e: Engine, f: Findings, totals: Totals, mat: Materiality, benford: tuple[BenfordTest, ...]
) -> None:
    frame = e.frame
    number = pl.col("number")
    repeated = number.is_not_null() & number.is_duplicated()
    hygiene.duplicates(f, e.accounts_at(e.rows_where(repeated)))
    hygiene.unclassified(
        f,
        e.accounts_at(e.rows_where((pl.col("category") == "unknown") & (pl.col("net") != 0))),
        mat,
    )
    _gaps(e, f)
    zeros = e.rows_where(pl.col("net") == 0)
    if zeros:
        hygiene.zero_balances_of(f, e.accounts_at(zeros[:10]), len(zeros))
    counts = frame.group_by("category", maintain_order=True).agg(
        pl.len().alias("n"), pl.col("row").get(pl.col("net").abs().arg_max()).alias("biggest")
    )
    biggest = {cat: (n, row) for cat, n, row in counts.iter_rows()}
    hygiene.concentration_of(
        f, {cat: (n, e.accounts_at([row])[0]) for cat, (n, row) in biggest.items()}, totals
    )
    hygiene.benford_findings(f, benford)


def _gaps(e: Engine, f: Findings) -> None:
    number = pl.col("number")
    plain = e.frame.select(number.filter(number.str.contains(r"^[0-9]+$"))).to_series()
    # Only a non-ASCII number can be all digits (str.isdigit) without being 0-9 ones.
    odd = e.frame.select(number.filter(number.str.contains(r"[^\x00-\x7f]"))).to_series()
    extra = {int(n) for n in odd if n.isdigit()}
    longest = plain.str.len_chars().max() if len(plain) else 0
    # Numbers beyond Int64, or written with other digits: the row engine's own way.
    if extra or (isinstance(longest, int) and longest > 18):
        numbers = sorted({int(n) for n in plain} | extra)
        if len(numbers) >= 3:
            steps = [b - a for a, b in pairwise(numbers)]
            hygiene.gap_findings(f, numbers, steps, median(steps))
        return
    series = plain.cast(pl.Int64).unique().sort()
    if len(series) < 3:
        return
    steps_ = series.diff().drop_nulls()
    ordered = steps_.sort().to_list()
    n = len(ordered)
    # statistics.median: the middle step, or the mean of the two middle ones (a float).
    typical: float = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
    wanted = (steps_ > hygiene.GAP_FACTOR * typical) & (steps_ >= hygiene.GAP_MIN)
    positions = wanted.arg_true().head(hygiene.MAX_GAPS).to_list()
    lows = [int(series[p]) for p in positions]
    hygiene.gap_findings(f, lows, [int(steps_[p]) for p in positions], typical)
