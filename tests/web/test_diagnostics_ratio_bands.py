"""The plain-language bands of the ratios on the result page: each cliff on both sides
(a value on a cliff takes the band above it), units, and a null ratio's reason."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fiscus.diagnostics.views_ratios import ORDER, dupont_views, ratio_view, ratio_views


@pytest.mark.parametrize(
    ("key", "value", "tone", "words"),
    [
        ("current_ratio", "0.9999", "poor", "may struggle to pay short-term debts"),
        ("current_ratio", "1.0000", "fair", "can cover short-term debts"),
        ("current_ratio", "1.9999", "fair", "little room to spare"),
        ("current_ratio", "2.0000", "good", "comfortably covers short-term debts"),
        ("quick_ratio", "0.9999", "poor", "depends on selling stock"),
        ("quick_ratio", "1.0000", "good", "without selling stock"),
        ("debt_to_equity", "0.9999", "good", "funded mostly by the owners"),
        ("debt_to_equity", "2.0000", "poor", "heavily reliant on borrowed money"),
        ("interest_coverage", "1.4999", "poor", "barely cover"),
        ("interest_coverage", "1.5000", "fair", "thin margin"),
        ("interest_coverage", "3.0000", "good", "comfortably"),
        ("net_margin", "-0.0001", "poor", "loss-making"),
        ("net_margin", "0.0000", "fair", "a thin profit"),
        ("net_margin", "0.1000", "good", "a healthy profit"),
        ("dso", "44.9", "good", "about six weeks"),
        ("dso", "45.0", "fair", "take a while"),
        ("dso", "90.0", "poor", "slow to pay"),
        ("dio", "180.0", "poor", "obsolete"),
        ("cash_conversion_cycle", "-1.0", "good", "suppliers fund"),
    ],
)
def test_each_band_on_both_sides_of_its_cliff(key: str, value: str, tone: str, words: str) -> None:
    view = ratio_view(key, {"value": value, "reason": None})
    assert view.tone == tone
    assert words in view.band


def test_units_and_a_missing_ratio() -> None:
    assert ratio_view("current_ratio", {"value": "3.1975"}).value == "3.20\N{MULTIPLICATION SIGN}"
    assert ratio_view("gross_margin", {"value": "0.4390"}).value == "43.9 %"
    assert ratio_view("dso", {"value": "61.2"}).value == "61.2 days"
    missing = ratio_view("dio", {"value": None, "reason": "no inventory accounts"})
    assert (missing.value, missing.tone) == ("—", "none")
    assert missing.band == "not available: no inventory accounts"


def test_every_ratio_of_the_engine_has_a_band_in_reading_order() -> None:
    ratios = {key: {"value": str(Decimal("1.5"))} for key in ORDER}
    assert [v.key for v in ratio_views(ratios)] == list(ORDER)
    parts = {
        "net_margin": {"value": "0.1"},
        "asset_turnover": {"value": "2"},
        "equity_multiplier": {"value": None, "reason": "equity is negative"},
        "roe": {},
    }
    assert dupont_views({"dupont": parts}) == [
        ("Net margin", "10.0 %"),
        ("Asset turnover", "2.00\N{MULTIPLICATION SIGN}"),
        ("Equity multiplier", "— (equity is negative)"),
        ("Return on equity", "— (not available)"),
    ]
