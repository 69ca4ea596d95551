"""Financial ratios from one trial balance's closing balances (no averages: a single
trial balance has no opening figures). Every ratio is a `Ratio` with a value, or null
and the reason. Percentages are fractions (0.40, not 40). Exact Decimal division,
rounded half-even to 4 places; day counts (DSO, DPO, DIO, cycle) to 1 place on a
365-day year.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from fiscus.diagnostics.analysis.totals import Figures
from fiscus.diagnostics.analysis.types import Ratio

FOUR = Decimal("0.0001")
ONE = Decimal("0.1")
DAYS = Decimal(365)


def _div(num: Decimal, den: Decimal, den_name: str, *, positive: bool = False) -> Ratio:
    if den == 0:
        return Ratio(None, f"{den_name} is zero")
    if positive and den < 0:
        return Ratio(None, f"{den_name} is negative")
    return Ratio((num / den).quantize(FOUR, ROUND_HALF_EVEN))


def _days(balance: Decimal, flow: Decimal, flow_name: str) -> Ratio:
    if flow <= 0:
        return Ratio(None, f"{flow_name} is zero" if flow == 0 else f"{flow_name} is negative")
    return Ratio((balance / flow * DAYS).quantize(ONE, ROUND_HALF_EVEN))


def _needs(figures: Figures, ratio: Ratio, *required: str) -> Ratio:
    """The ratio, or null when a lead sheet it needs has no account at all (a zero
    balance would otherwise pass for a real one)."""
    missing = [r for r in required if r not in figures.has]
    if missing:
        return Ratio(None, "no " + " or ".join(_LABEL[m] for m in missing) + " accounts")
    return ratio


_LABEL = {
    "A": "cash",
    "B": "receivables",
    "C": "inventory",
    "H": "payables",
    "revenue": "revenue",
    "expense": "expense",
    "asset": "asset",
    "liability": "liability",
    "equity": "equity",
}


def _liquidity(f: Figures) -> dict[str, Ratio]:
    cl = "current liabilities"
    return {
        "current_ratio": _div(f.current_assets, f.current_liabilities, cl, positive=True),
        "quick_ratio": _div(f.cash + f.receivables, f.current_liabilities, cl, positive=True),
        "cash_ratio": _needs(f, _div(f.cash, f.current_liabilities, cl, positive=True), "A"),
    }


def _leverage(f: Figures) -> dict[str, Ratio]:
    return {
        "debt_to_equity": _div(f.total_liabilities, f.equity, "equity", positive=True),
        "debt_ratio": _div(f.total_liabilities, f.total_assets, "total assets", positive=True),
        "equity_ratio": _div(f.equity, f.total_assets, "total assets", positive=True),
        "long_term_debt_ratio": _div(
            f.long_term_debt,
            f.long_term_debt + f.equity,
            "long-term debt plus equity",
            positive=True,
        ),
        "interest_coverage": _div(f.ebit, f.finance_costs, "interest expense", positive=True),
    }


def _profitability(f: Figures) -> dict[str, Ratio]:
    rev = "revenue"
    return {
        "gross_margin": _div(f.gross_profit, f.revenue, rev, positive=True),
        "operating_margin": _div(f.ebit, f.revenue, rev, positive=True),
        "net_margin": _div(f.net_profit, f.revenue, rev, positive=True),
        "roa": _div(f.net_profit, f.total_assets, "total assets", positive=True),
        "roe": _div(f.net_profit, f.equity, "equity", positive=True),
    }


def _efficiency(f: Figures) -> dict[str, Ratio]:
    dso = _needs(f, _days(f.receivables, f.revenue, "revenue"), "B")
    dpo = _needs(f, _days(f.payables, f.cost_of_sales, "cost of sales"), "H")
    dio = _needs(f, _days(f.inventory, f.cost_of_sales, "cost of sales"), "C")
    if dso.value is not None and dpo.value is not None and dio.value is not None:
        ccc = Ratio(dso.value + dio.value - dpo.value)
    else:
        ccc = Ratio(None, next(r.reason for r in (dso, dio, dpo) if r.value is None))
    return {
        "dso": dso,
        "dpo": dpo,
        "dio": dio,
        "cash_conversion_cycle": ccc,
        "asset_turnover": _div(f.revenue, f.total_assets, "total assets", positive=True),
        "inventory_turnover": _needs(
            f, _div(f.cost_of_sales, f.inventory, "inventory", positive=True), "C"
        ),
        "receivables_turnover": _needs(
            f, _div(f.revenue, f.receivables, "receivables", positive=True), "B"
        ),
    }


def _dupont(f: Figures, ratios: dict[str, Ratio]) -> dict[str, Ratio]:
    margin, turnover = ratios["net_margin"], ratios["asset_turnover"]
    multiplier = _div(f.total_assets, f.equity, "equity", positive=True)
    parts = (margin, turnover, multiplier)
    if all(p.value is not None for p in parts):
        product = margin.value * turnover.value * multiplier.value  # type: ignore[operator]
        roe = Ratio(product.quantize(FOUR, ROUND_HALF_EVEN))
    else:
        roe = Ratio(None, next(p.reason for p in parts if p.value is None))
    return {
        "net_margin": margin,
        "asset_turnover": turnover,
        "equity_multiplier": multiplier,
        "roe": roe,
    }


def ratios_of(f: Figures) -> dict[str, Ratio | dict[str, Ratio]]:
    flat = {**_liquidity(f), **_leverage(f), **_profitability(f), **_efficiency(f)}
    out: dict[str, Ratio | dict[str, Ratio]] = dict(flat)
    out["dupont"] = _dupont(f, flat)
    return out
