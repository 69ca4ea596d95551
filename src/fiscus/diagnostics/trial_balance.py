"""The normalised trial balance: the one shape ingestion produces and analysis consumes.

Ingestion (`fiscus.diagnostics.ingest`) turns any accepted file layout (debit/credit
columns, a signed net balance, a net balance with a Dr/Cr column) into these rows, so the
analysis engine never sees a file's layout. Amounts are exact `Decimal`s, never floats.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import overload

import polars as pl


@dataclass(frozen=True, slots=True)
class TBRow:
    """One account line. `debit` and `credit` are both >= 0; a net-balance layout puts
    a positive (debit) balance in `debit` and a negative (credit) one in `credit`.

    `line_no` is the 1-based line of the source sheet (the header is line 1 in a file
    whose header is its first line), so findings can point back into the file.
    `type_hint` is the file's own account-type cell when it had one (e.g. "Asset",
    "Expense", "BS"), unnormalised."""

    line_no: int
    number: str | None
    name: str
    debit: Decimal
    credit: Decimal
    type_hint: str | None

    @property
    def net(self) -> Decimal:
        """Debit minus credit: positive for a debit balance."""
        return self.debit - self.credit


def decimal_of(units: int, scale: int, places: int) -> Decimal:
    """`units` / 10**scale written with `places` decimals, as `Decimal(text)` of the
    cell would be (Decimal("1.50") keeps its two places; "1" has none)."""
    return Decimal(units // 10 ** (scale - places)).scaleb(-places)


@dataclass(frozen=True, slots=True)
class TBColumns:
    """The accounts as columns (one row per account, in file order): `line_no`,
    `number` (null when none), `name`, `type_hint` (null when none), `debit`/`credit`
    as exact integers of 10**-scale (Int128), and `debit_dp`/`credit_dp` the decimals
    each amount was written with, so a Decimal built back is the one parsing gives.
    `exact` holds the Decimals of the few amounts that cannot be told from units and
    places alone (a negative zero)."""

    frame: pl.DataFrame
    scale: int
    exact: dict[int, tuple[Decimal, Decimal]] = field(default_factory=dict)

    def __len__(self) -> int:
        return self.frame.height

    def total(self, side: str) -> Decimal:
        """The sum of a side as `sum(Decimals, Decimal(0))` gives it (its exponent the
        smallest of the terms' and 0)."""
        units = self.frame.select(pl.col(side).sum()).item()
        places = self.frame.select(pl.col(f"{side}_dp").max()).item()
        return decimal_of(int(units or 0), self.scale, max(int(places or 0), 0))

    def rows_at(self, start: int, stop: int) -> list[TBRow]:
        return self._build(self.frame.slice(start, stop - start), range(start, stop))

    def rows_of(self, positions: Sequence[int]) -> list[TBRow]:
        """The TBRows at these positions (in this order)."""
        if not positions:
            return []
        return self._build(self.frame[list(positions)], positions)

    def _build(self, part: pl.DataFrame, positions: Sequence[int]) -> list[TBRow]:
        scale, exact = self.scale, self.exact
        out = []
        for i, (line_no, number, name, hint, debit, credit, d_dp, c_dp) in zip(
            positions,
            part.select(
                "line_no", "number", "name", "type_hint", "debit", "credit", "debit_dp", "credit_dp"
            ).iter_rows(),
            strict=True,
        ):
            amounts = exact.get(i)
            if amounts is None:
                amounts = decimal_of(debit, scale, d_dp), decimal_of(credit, scale, c_dp)
            out.append(TBRow(line_no, number, name, amounts[0], amounts[1], hint))
        return out


class RowsView(Sequence[TBRow]):
    """`TrialBalance.rows` of a columnar trial balance: its length without building
    anything, the TBRows built (once) when they are read."""

    def __init__(self, columns: TBColumns) -> None:
        self._columns = columns
        self._rows: tuple[TBRow, ...] | None = None

    def _all(self) -> tuple[TBRow, ...]:
        if self._rows is None:
            self._rows = tuple(self._columns.rows_at(0, len(self._columns)))
        return self._rows

    def __len__(self) -> int:
        return len(self._columns)

    @overload
    def __getitem__(self, index: int) -> TBRow: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[TBRow]: ...
    def __getitem__(self, index: int | slice) -> TBRow | Sequence[TBRow]:
        if self._rows is None and isinstance(index, slice) and index.step in (None, 1):
            start, stop, _ = index.indices(len(self))
            return tuple(self._columns.rows_at(start, max(start, stop)))
        return self._all()[index]

    def __iter__(self) -> Iterator[TBRow]:
        return iter(self._all())


@dataclass(frozen=True, slots=True)
class ExcludedRow:
    """A source line that is not an account: a total, a subtotal, a blank or a
    repeated header. `reason` is a short English explanation for the report."""

    line_no: int
    reason: str


@dataclass(frozen=True, slots=True)
class TrialBalance:
    """The accounts of one sheet (or of several sheets combined, `sheet` None).

    `source_rows` counts the data lines read below the header, accounts and excluded
    lines together."""

    rows: Sequence[TBRow]
    sheet: str | None
    source_rows: int
    excluded: tuple[ExcludedRow, ...]
    # The same accounts as columns when ingestion read them columnar (`rows` is then a
    # view that builds the TBRows only when asked): the analysis's fast path.
    columns: TBColumns | None = None

    @property
    def total_debits(self) -> Decimal:
        if self.columns is not None:
            return self.columns.total("debit")
        return sum((r.debit for r in self.rows), Decimal(0))

    @property
    def total_credits(self) -> Decimal:
        if self.columns is not None:
            return self.columns.total("credit")
        return sum((r.credit for r in self.rows), Decimal(0))


def consolidate(parts: tuple[TrialBalance, ...]) -> TrialBalance:
    """The sheets' rows combined into one trial balance (the consolidated view).

    Line numbers stay those of each row's own sheet; the analysis reports the sheet
    for each part separately. Columnar parts of one scale stay columnar."""
    source_rows = sum(part.source_rows for part in parts)
    excluded = tuple(ex for part in parts for ex in part.excluded)
    columns = [part.columns for part in parts]
    if parts and all(c is not None for c in columns):
        combined = _combined([c for c in columns if c is not None])
        if combined is not None:
            return TrialBalance(RowsView(combined), None, source_rows, excluded, combined)
    return TrialBalance(
        rows=tuple(row for part in parts for row in part.rows),
        sheet=None,
        source_rows=source_rows,
        excluded=excluded,
    )


def _combined(parts: list[TBColumns]) -> TBColumns | None:
    """The parts' columns one after the other, in the largest scale; None where the
    rescaled units could leave Int128 (amounts beyond 10**25: the row path then)."""
    scale = max(c.scale for c in parts)
    frames = []
    exact: dict[int, tuple[Decimal, Decimal]] = {}
    offset = 0
    for c in parts:
        factor = 10 ** (scale - c.scale)
        frame = c.frame
        if factor != 1:
            largest = frame.select(pl.max_horizontal(pl.col("debit").max(), pl.col("credit").max()))
            if int(largest.item() or 0) * factor >= 10**37:
                return None
            multiplier = pl.lit(factor, pl.Int128)
            frame = frame.with_columns(pl.col("debit") * multiplier, pl.col("credit") * multiplier)
        frames.append(frame)
        exact.update({offset + k: v for k, v in c.exact.items()})
        offset += len(c)
    return TBColumns(pl.concat(frames), scale, exact)
