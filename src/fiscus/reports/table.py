"""A report as the exporters see it: a title, column headings and rows of cells.

Every report builds one `Table`; CSV, XLSX and PDF are written from it by the same
exporter layer, so a report never formats a file itself. Money cells are `Money` (or
None for an empty cell), percentages are `Decimal`, everything else is text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from fiscus.core.money import Money

ColumnKind = Literal["text", "money", "percent", "date"]
RowStyle = Literal["normal", "heading", "subtotal", "total"]
Cell = str | Money | Decimal | None


@dataclass(frozen=True, slots=True)
class Column:
    heading: str
    kind: ColumnKind = "text"


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Cell, ...]
    style: RowStyle = "normal"
    depth: int = 0  # indentation of the first cell (a category's place in the tree)


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    subtitle: str  # the period and the currency, printed under the title
    filename: str  # without extension, e.g. "trial-balance-2025-06-30"
    columns: tuple[Column, ...]
    rows: list[Row] = field(default_factory=list)

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row.cells) != len(self.columns):
                raise ValueError(f"row has {len(row.cells)} cells for {len(self.columns)} columns")
