"""Shortcuts for the engine tests."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fiscus.tax.engine.calculate import calculate
from fiscus.tax.engine.model import Residency, TaxInput, TaxResult

YEARS = ["2019-20", "2020-21", "2021-22", "2022-23", "2023-24", "2024-25", "2025-26", "2026-27"]


def run(year: str, income: str | int, residency: str = "resident", **kw: Any) -> TaxResult:
    return calculate(TaxInput(year, Residency(residency), Decimal(str(income)), **kw))


def D(text: str | int) -> Decimal:  # noqa: N802 - reads like a literal
    return Decimal(str(text))
