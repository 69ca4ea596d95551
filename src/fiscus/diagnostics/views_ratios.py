"""Ratios as the results page shows them: a label, the value in its unit, and a band in
plain language ("may struggle to pay short-term debts").

Bands are rules of thumb for a reader who is not an analyst, not audit conclusions: what
is healthy differs by industry, which is why every band says "may" and the page shows
the exact value beside it. Cliffs are the usual textbook ones (current ratio 1 and 2,
quick ratio 1, interest cover 1.5 and 3, DSO 45 and 90 days, ...). A value exactly on a
cliff falls in the band above it (a current ratio of 1.00 can cover short-term debts).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

Unit = Literal["times", "percent", "days"]
Tone = Literal["good", "fair", "poor", "none"]
# (lower bound inclusive, tone, sentence): the last band whose bound the value reaches.
Bands = tuple[tuple[Decimal | None, Tone, str], ...]

D = Decimal


@dataclass(frozen=True, slots=True)
class RatioView:
    key: str
    label: str
    value: str
    tone: Tone
    band: str


_TIMES: dict[str, tuple[str, Bands]] = {
    "current_ratio": (
        "Current ratio",
        (
            (None, "poor", "may struggle to pay short-term debts"),
            (D(1), "fair", "can cover short-term debts, with little room to spare"),
            (D(2), "good", "comfortably covers short-term debts"),
        ),
    ),
    "quick_ratio": (
        "Quick ratio",
        (
            (None, "poor", "depends on selling stock to pay short-term debts"),
            (D(1), "good", "can pay short-term debts without selling stock"),
        ),
    ),
    "cash_ratio": (
        "Cash ratio",
        (
            (None, "fair", "cash alone covers part of the short-term debts"),
            (D(1), "good", "cash alone covers the short-term debts"),
        ),
    ),
    "debt_to_equity": (
        "Debt to equity",
        (
            (None, "good", "funded mostly by the owners"),
            (D(1), "fair", "owes more than the owners have put in"),
            (D(2), "poor", "heavily reliant on borrowed money"),
        ),
    ),
    "interest_coverage": (
        "Interest coverage",
        (
            (None, "poor", "earnings barely cover, or do not cover, interest"),
            (D("1.5"), "fair", "earnings cover interest, with a thin margin"),
            (D(3), "good", "earnings cover interest comfortably"),
        ),
    ),
    "asset_turnover": (
        "Asset turnover",
        (
            (None, "fair", "each dollar of assets brings in less than a dollar of sales"),
            (D(1), "good", "each dollar of assets brings in a dollar or more of sales"),
        ),
    ),
    "inventory_turnover": (
        "Inventory turnover",
        ((None, "fair", "stock sells through slowly"), (D(4), "good", "stock sells through")),
    ),
    "receivables_turnover": (
        "Receivables turnover",
        (
            (None, "poor", "customers pay slowly"),
            (D(4), "fair", "customers pay within a few months"),
            (D(8), "good", "customers pay promptly"),
        ),
    ),
}

_PERCENT: dict[str, tuple[str, Bands]] = {
    "debt_ratio": (
        "Debt ratio",
        (
            (None, "good", "most assets are owned outright"),
            (D("0.5"), "fair", "half or more of the assets are funded by debt"),
            (D("0.8"), "poor", "assets are funded mostly by debt"),
        ),
    ),
    "equity_ratio": (
        "Equity ratio",
        (
            (None, "poor", "the owners fund little of the assets"),
            (D("0.2"), "fair", "the owners fund part of the assets"),
            (D("0.5"), "good", "the owners fund most of the assets"),
        ),
    ),
    "long_term_debt_ratio": (
        "Long-term debt ratio",
        (
            (None, "good", "little long-term borrowing"),
            (D("0.5"), "poor", "long-term funding is mostly borrowed"),
        ),
    ),
    "gross_margin": (
        "Gross margin",
        (
            (None, "poor", "sells below what the goods or services cost"),
            (D(0), "fair", "keeps a thin share of each sale after direct costs"),
            (D("0.3"), "good", "keeps a healthy share of each sale after direct costs"),
        ),
    ),
    "operating_margin": (
        "Operating margin",
        (
            (None, "poor", "the operations lose money"),
            (D(0), "fair", "the operations make a thin profit"),
            (D("0.1"), "good", "the operations are solidly profitable"),
        ),
    ),
    "net_margin": (
        "Net margin",
        (
            (None, "poor", "loss-making"),
            (D(0), "fair", "a thin profit on each sale"),
            (D("0.1"), "good", "a healthy profit on each sale"),
        ),
    ),
    "roa": (
        "Return on assets",
        (
            (None, "poor", "the assets are producing a loss"),
            (D(0), "fair", "the assets earn a modest return"),
            (D("0.05"), "good", "the assets earn a good return"),
        ),
    ),
    "roe": (
        "Return on equity",
        (
            (None, "poor", "the owners' funds are producing a loss"),
            (D(0), "fair", "the owners earn a modest return"),
            (D("0.15"), "good", "the owners earn a strong return"),
        ),
    ),
}

_DAYS: dict[str, tuple[str, Bands]] = {
    "dso": (
        "Days sales outstanding",
        (
            (None, "good", "customers pay within about six weeks"),
            (D(45), "fair", "customers take a while to pay"),
            (D(90), "poor", "customers are slow to pay; collections may need attention"),
        ),
    ),
    "dpo": (
        "Days payables outstanding",
        (
            (None, "good", "suppliers are paid promptly"),
            (D(60), "fair", "suppliers wait a while to be paid"),
            (D(90), "poor", "suppliers wait long; the business may be stretching them"),
        ),
    ),
    "dio": (
        "Days inventory outstanding",
        (
            (None, "good", "stock moves quickly"),
            (D(90), "fair", "stock sits for a few months"),
            (D(180), "poor", "stock sits for a long time; some may be obsolete"),
        ),
    ),
    "cash_conversion_cycle": (
        "Cash conversion cycle",
        (
            (None, "good", "suppliers fund the working capital"),
            (D(0), "fair", "cash is tied up in working capital for a while"),
            (D(90), "poor", "cash is tied up in working capital for a long time"),
        ),
    ),
}

_TABLES: tuple[tuple[Unit, dict[str, tuple[str, Bands]]], ...] = (
    ("times", _TIMES),
    ("percent", _PERCENT),
    ("days", _DAYS),
)
# Liquidity, leverage, profitability, then efficiency: the order an analyst reads them.
ORDER = (
    "current_ratio",
    "quick_ratio",
    "cash_ratio",
    "debt_to_equity",
    "debt_ratio",
    "equity_ratio",
    "long_term_debt_ratio",
    "interest_coverage",
    "gross_margin",
    "operating_margin",
    "net_margin",
    "roa",
    "roe",
    "dso",
    "dpo",
    "dio",
    "cash_conversion_cycle",
    "asset_turnover",
    "inventory_turnover",
    "receivables_turnover",
)


def band(bands: Bands, value: Decimal) -> tuple[Tone, str]:
    tone, text = bands[0][1], bands[0][2]
    for bound, band_tone, band_text in bands:
        if bound is None or value >= bound:
            tone, text = band_tone, band_text
    return tone, text


def _value_text(unit: Unit, value: Decimal) -> str:
    if unit == "percent":
        return f"{value * 100:,.1f} %"
    if unit == "days":
        return f"{value:,.1f} days"
    return f"{value:,.2f}\N{MULTIPLICATION SIGN}"


def _lookup(key: str) -> tuple[Unit, str, Bands]:
    for unit, table in _TABLES:
        if key in table:
            label, bands = table[key]
            return unit, label, bands
    raise KeyError(key)


def ratio_view(key: str, ratio: dict[str, Any]) -> RatioView:
    unit, label, bands = _lookup(key)
    raw = ratio.get("value")
    if raw is None:
        reason = ratio.get("reason") or "its inputs are missing"
        return RatioView(key, label, "—", "none", f"not available: {reason}")
    value = Decimal(str(raw))
    tone, text = band(bands, value)
    return RatioView(key, label, _value_text(unit, value), tone, text)


def ratio_views(ratios: dict[str, Any]) -> list[RatioView]:
    return [ratio_view(key, ratios[key]) for key in ORDER if isinstance(ratios.get(key), dict)]


def dupont_views(ratios: dict[str, Any]) -> list[tuple[str, str]]:
    """The DuPont breakdown: (label, value) of net margin x asset turnover x equity
    multiplier = return on equity; a missing part shows its reason."""
    parts = ratios.get("dupont")
    if not isinstance(parts, dict):
        return []
    labels = (
        ("net_margin", "Net margin", "percent"),
        ("asset_turnover", "Asset turnover", "times"),
        ("equity_multiplier", "Equity multiplier", "times"),
        ("roe", "Return on equity", "percent"),
    )
    out = []
    for key, label, unit in labels:
        part = parts.get(key) or {}
        raw = part.get("value")
        text = (
            _value_text(unit, Decimal(str(raw)))  # type: ignore[arg-type]
            if raw is not None
            else f"— ({part.get('reason') or 'not available'})"
        )
        out.append((label, text))
    return out
