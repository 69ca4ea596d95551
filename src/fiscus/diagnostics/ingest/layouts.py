"""From a sheet's rows and its column roles to the normalised trial balance.

Three layouts: debit and credit columns; one net balance, signed (positive = debit);
one net balance with a Dr/Cr indicator column (the indicator decides the side, the sign
of the amount only when the indicator is blank). A "Dr"/"Cr" written in an amount cell
decides that cell's side in every layout; a negative debit is a credit and vice versa.

Lines that are not accounts are excluded, with the reason: blank lines, a repeated
header, totals and subtotals ("Total", "Subtotal", "Grand total" with no account
number), section headings (a label with no amount) and amounts with no label.
"""

from __future__ import annotations

import re
from decimal import Decimal

from fiscus.diagnostics.ingest.amounts import NotAnAmount, column_uses_decimal_comma, parse_amount
from fiscus.diagnostics.ingest.errors import MalformedFile
from fiscus.diagnostics.trial_balance import ExcludedRow, TBRow, TrialBalance

_TOTAL = re.compile(
    r"^\W*(grand\s+|sub[\s-]?)?(totals?|summe|gesamt|totaal|sum)\b|\btotals?\W*$", re.IGNORECASE
)
_ZERO = Decimal(0)
MAX_REPORTED_ERRORS = 5


def layout_of(columns: dict[str, int]) -> str:
    if "debit" in columns and "credit" in columns:
        return "debit_credit"
    if "net" in columns and "indicator" in columns:
        return "net_with_indicator"
    if "net" in columns:
        return "net_signed"
    return "none"


class _Builder:
    def __init__(
        self,
        rows: list[list[str]],
        columns: dict[str, int],
        header_row: int | None,
        from_doubles: bool,
    ):
        self.rows = rows
        self.from_doubles = from_doubles
        self.columns = columns
        self.start = 0 if header_row is None else header_row + 1
        self.header = rows[header_row] if header_row is not None else None
        self.layout = layout_of(columns)
        amount_roles = ("debit", "credit") if self.layout == "debit_credit" else ("net",)
        sample = rows[self.start : self.start + 2000]
        self.comma = {
            role: column_uses_decimal_comma(
                [r[columns[role]] for r in sample if columns[role] < len(r)]
            )
            for role in amount_roles
        }
        self.errors: list[str] = []

    def column(self, role: str) -> list[str]:
        """The role's stripped cells of every data line ("" where the line is short):
        one comprehension per column instead of a method call per cell."""
        index = self.columns.get(role)
        data = self.rows[self.start :]
        if index is None:
            return [""] * len(data)
        return [row[index].strip() if index < len(row) else "" for row in data]

    def amount(self, text: str, role: str, line_no: int) -> tuple[Decimal, str | None]:
        try:
            value, side = parse_amount(text, decimal_comma=self.comma[role])
        except NotAnAmount:
            if len(self.errors) < MAX_REPORTED_ERRORS:
                self.errors.append(f"line {line_no}: the {role} {text[:40]!r} is not an amount")
            return _ZERO, None
        if value is None:
            return _ZERO, side
        if self.from_doubles and len(text) > 15:
            value = Decimal(repr(float(value)))
        return value, side

    def debit_credit(
        self, debit_text: str, credit_text: str, line_no: int
    ) -> tuple[Decimal, Decimal]:
        debit, d_side = self.amount(debit_text, "debit", line_no) if debit_text else (_ZERO, None)
        credit, c_side = (
            self.amount(credit_text, "credit", line_no) if credit_text else (_ZERO, None)
        )
        if d_side == "cr":
            debit = -debit
        if c_side == "dr":
            credit = -credit
        if debit >= 0 and credit >= 0:
            return debit, credit
        net = debit - credit
        return (net, _ZERO) if net >= 0 else (_ZERO, -net)

    def net(self, text: str, indicator: str, line_no: int) -> tuple[Decimal, Decimal]:
        value, side = self.amount(text, "net", line_no) if text else (_ZERO, None)
        first = indicator[:1].lower()
        if first in ("d", "c"):
            side = "dr" if first == "d" else "cr"
        if side is not None:
            value = abs(value) if side == "dr" else -abs(value)
        return (value, _ZERO) if value >= 0 else (_ZERO, -value)

    def exclusion(self, row: list[str], label: str, number: str, present: bool) -> str | None:
        if not (label or number or present) and not any(cell.strip() for cell in row):
            return "blank line"
        if (not number and _TOTAL.search(label)) or (number and _TOTAL.search(number)):
            return "total or subtotal"
        if not present and not number and label:
            return "heading without amounts"
        if not label and not number:
            return "amounts without an account (a subtotal)"
        return None

    def build(self, sheet: str | None) -> tuple[TrialBalance, list[str]]:
        accounts: list[TBRow] = []
        excluded: list[ExcludedRow] = []
        two_columns = self.layout == "debit_credit"
        firsts = self.column("debit" if two_columns else "net")
        seconds = self.column("credit" if two_columns else "indicator")
        lines = zip(
            self.rows[self.start :],
            self.column("name"),
            self.column("number"),
            firsts,
            seconds,
            self.column("type"),
            strict=True,
        )
        line_no = self.start
        header = self.header
        for row, label, number, first, second, type_hint in lines:
            line_no += 1
            if row == header:  # before its cells are read as amounts
                excluded.append(ExcludedRow(line_no, "repeated header"))
                continue
            if two_columns:
                debit, credit = self.debit_credit(first, second, line_no)
                present = bool(first or second)
            else:
                debit, credit = self.net(first, second, line_no)
                present = bool(first)
            if not number or not label or not present or number[0] in "SsTtGg":
                reason = self.exclusion(row, label or number, number, present)
                if reason is not None:
                    excluded.append(ExcludedRow(line_no, reason))
                    continue
            accounts.append(
                TBRow(line_no, number or None, label or number, debit, credit, type_hint or None)
            )
        source_rows = len(self.rows) - self.start
        return TrialBalance(tuple(accounts), sheet, source_rows, tuple(excluded)), self.errors


def build_trial_balance(
    rows: list[list[str]],
    columns: dict[str, int],
    header_row: int | None,
    sheet: str | None,
    *,
    from_doubles: bool = False,
) -> TrialBalance:
    """The trial balance of one sheet; an amount cell that is no amount fails the whole
    sheet (naming the first lines), since a silently skipped balance misstates it."""
    trial_balance, errors = _Builder(rows, columns, header_row, from_doubles).build(sheet)
    if errors:
        where = f" in sheet {sheet!r}" if sheet else ""
        raise MalformedFile(f"Amounts that cannot be read{where}: {'; '.join(errors)}.")
    return trial_balance
