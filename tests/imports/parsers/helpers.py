"""Reading the hand-written bank exports under tests/imports/fixtures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from fiscus.imports.parsers import ParsedStatement, detect, parse

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def read(name: str) -> ParsedStatement:
    data = fixture(name)
    return parse(data, detect(data, name))


def amounts(statement: ParsedStatement) -> list[Decimal]:
    return [line.amount for line in statement.lines]
