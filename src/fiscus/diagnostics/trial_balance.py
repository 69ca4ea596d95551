"""The normalised trial balance: the one shape ingestion produces and analysis consumes.

Ingestion (`fiscus.diagnostics.ingest`) turns any accepted file layout (debit/credit
columns, a signed net balance, a net balance with a Dr/Cr column) into these rows, so the
analysis engine never sees a file's layout. Amounts are exact `Decimal`s, never floats.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


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

    rows: tuple[TBRow, ...]
    sheet: str | None
    source_rows: int
    excluded: tuple[ExcludedRow, ...]

    @property
    def total_debits(self) -> Decimal:
        return sum((r.debit for r in self.rows), Decimal(0))

    @property
    def total_credits(self) -> Decimal:
        return sum((r.credit for r in self.rows), Decimal(0))


def consolidate(parts: tuple[TrialBalance, ...]) -> TrialBalance:
    """The sheets' rows combined into one trial balance (the consolidated view).

    Line numbers stay those of each row's own sheet; the analysis reports the sheet
    for each part separately."""
    return TrialBalance(
        rows=tuple(row for part in parts for row in part.rows),
        sheet=None,
        source_rows=sum(part.source_rows for part in parts),
        excluded=tuple(ex for part in parts for ex in part.excluded),
    )
