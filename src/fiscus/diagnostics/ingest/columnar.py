"""The trial balance of a frame sheet, built column by column (see layouts.py for the
rules, which this applies unchanged).

Polars does the common cells: an amount written as digits with optional thousands
commas and decimals ("1,234.56", "1234"), a blank, a plain label and number. Every
other line goes through `layouts._Builder` itself, one line at a time: an amount in
any other form (a sign, brackets, Dr/Cr, a currency), a line that may be excluded (no
number, no label, no amount, a number starting like "Total"/"Subtotal"/"Grand"). So
the result is the one the row path gives, at a fraction of the cost for a large file.

`build_columns` returns None (the caller then takes the row path) where it cannot be
sure of that: a decimal-comma column, a repeated header line in a delimited file (a
frame cannot tell trailing empty fields from missing ones), amounts with more than 12
decimals or 30 digits.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from fiscus.diagnostics.ingest.amounts import column_uses_decimal_comma
from fiscus.diagnostics.ingest.errors import MalformedFile
from fiscus.diagnostics.ingest.frame import FrameSheet
from fiscus.diagnostics.ingest.layouts import _Builder, layout_of
from fiscus.diagnostics.trial_balance import ExcludedRow, RowsView, TBColumns, TrialBalance

MAX_SCALE = 12
_PLAIN = r"^[0-9][0-9,]{0,19}(\.[0-9]{1,12})?$"
_SUSPECT_FIRST = tuple("SsTtGg")


def _text(frame: pl.DataFrame, index: int | None) -> pl.Expr:
    if index is None or index >= frame.width:
        return pl.lit("")
    return pl.col(f"c{index}").str.strip_chars()


def _plain(cell: pl.Expr, from_doubles: bool) -> pl.Expr:
    ok = cell.str.contains(_PLAIN)
    return ok & (cell.str.len_chars() <= 15) if from_doubles else ok


def _units(cell: pl.Expr, scale: int) -> pl.Expr:
    """Units of 10**-scale of a plain amount cell; 0 for a blank or another cell (the
    row path's exact amount replaces those). At most 20 + 12 digits: within Decimal(38)."""
    parsed = (
        cell.str.replace_all(",", "", literal=True)
        .cast(pl.Decimal(38, scale), strict=False)
        .to_physical()
    )
    return (
        pl.when(pl.col("plain") & (cell != ""))
        .then(parsed)
        .otherwise(pl.lit(0, pl.Int128))
        .cast(pl.Int128)
    )


def _places_of(column: str) -> pl.Expr:
    """The decimals a plain amount cell is written with (0 for other cells)."""
    cell = pl.col(column)
    dot = cell.str.find(".", literal=True)
    return (
        pl.when(pl.col("plain") & dot.is_not_null())
        .then(cell.str.len_chars().cast(pl.Int64) - dot.cast(pl.Int64) - 1)
        .otherwise(0)
        .cast(pl.Int16)
    )


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


class _Columnar:
    def __init__(self, sheet: FrameSheet, columns: dict[str, int], header_row: int | None):
        self.sheet = sheet
        self.columns = columns
        self.start = 0 if header_row is None else header_row + 1
        self.header = sheet.head[header_row] if header_row is not None else None
        self.layout = layout_of(columns)
        self.two = self.layout == "debit_credit"
        # The row path's builder, over the first lines only: its decimal-comma decision
        # (from the first 2,000 data lines) and its per-line methods.
        self.rows = _Builder(sheet.head, columns, header_row, sheet.from_doubles)
        sample = sheet.frame.slice(self.start, 2000)
        self.rows.comma = {
            role: column_uses_decimal_comma(sample[f"c{columns[role]}"].to_list())
            if columns[role] < sample.width
            else False
            for role in self.rows.comma
        }

    def texts(self) -> pl.DataFrame:
        frame = self.sheet.frame.slice(self.start)
        c = self.columns
        first, second = ("debit", "credit") if self.two else ("net", "indicator")
        texts = frame.select(
            pl.int_range(pl.len(), dtype=pl.Int64).alias("i"),
            _text(frame, c.get("name")).alias("label"),
            _text(frame, c.get("number")).alias("number"),
            _text(frame, c.get(first)).alias("first"),
            _text(frame, c.get(second)).alias("second"),
            _text(frame, c.get("type")).alias("type_hint"),
        )
        one, two = pl.col("first"), pl.col("second")
        doubles = self.sheet.from_doubles
        if self.two:
            plain = ((one == "") | _plain(one, doubles)) & ((two == "") | _plain(two, doubles))
        else:
            # A zero marked Cr is a negative zero in the row path: leave it to that path.
            zero = one.str.contains(r"^[0,]+(\.0+)?$")
            credit = two.str.slice(0, 1).str.to_lowercase() == "c"
            plain = ((one == "") | _plain(one, doubles)) & ~(zero & credit)
        return texts.with_columns(plain.alias("plain"))

    def repeated_headers(self) -> pl.Series | None:
        """Positions (in the data) of lines equal to the header; None when a frame
        cannot tell (a delimited file)."""
        frame = self.sheet.frame.slice(self.start)
        if self.header is None:
            return pl.Series("i", [], dtype=pl.Int64)
        header = self.header + [""] * (frame.width - len(self.header))
        if len(header) > frame.width:
            return pl.Series("i", [], dtype=pl.Int64)
        same = pl.all_horizontal([pl.col(f"c{i}") == value for i, value in enumerate(header)])
        found = frame.select(pl.int_range(pl.len(), dtype=pl.Int64).alias("i"), same.alias("s"))
        hits = found.filter(pl.col("s"))["i"]
        if len(hits) and not self.sheet.exact_width:
            return None
        return hits

    def build(self) -> TrialBalance | None:
        if any(self.rows.comma.values()):
            return None
        headers = self.repeated_headers()
        if headers is None:
            return None
        texts = self.texts()
        if len(headers):
            texts = texts.filter(~pl.col("i").is_in(headers.implode()))
        present = (
            (pl.col("first") != "") | (pl.col("second") != "")
            if self.two
            else (pl.col("first") != "")
        )
        texts = texts.with_columns(present.alias("present"))
        suspect = (
            (pl.col("number") == "")
            | (pl.col("label") == "")
            | ~pl.col("present")
            | pl.col("number").str.slice(0, 1).is_in(_SUSPECT_FIRST)
            | ~pl.col("plain")
        )
        slow = texts.filter(suspect)
        outcome = self.slow_lines(slow)
        if outcome is None:
            return None
        dropped, exact, excluded = outcome
        return self.assemble(texts, dropped, exact, excluded, headers)

    def slow_lines(
        self, slow: pl.DataFrame
    ) -> tuple[set[int], dict[int, tuple[Decimal, Decimal]], list[ExcludedRow]] | None:
        """The row path's decisions for the lines that need them: (positions excluded,
        exact amounts of the others, excluded lines)."""
        b = self.rows
        frame = self.sheet.frame.slice(self.start)
        dropped: set[int] = set()
        exact: dict[int, tuple[Decimal, Decimal]] = {}
        excluded: list[ExcludedRow] = []
        for i, label, number, first, second, present, plain in slow.select(
            "i", "label", "number", "first", "second", "present", "plain"
        ).iter_rows():
            line_no = self.start + i + 1
            if self.two:
                amounts = b.debit_credit(first, second, line_no)
            else:
                amounts = b.net(first, second, line_no)
            if not number or not label or not present or number[0] in "SsTtGg":
                row = ["" if v is None else v for v in frame.row(i)]
                reason = b.exclusion(row, label or number, number, present)
                if reason is not None:
                    dropped.add(i)
                    excluded.append(ExcludedRow(line_no, reason))
                    continue
            if not plain:
                exact[i] = amounts
        if b.errors:
            where = f" in sheet {self.sheet.name!r}" if self.sheet.name else ""
            raise MalformedFile(f"Amounts that cannot be read{where}: {'; '.join(b.errors)}.")
        scale = max((_places(v) for pair in exact.values() for v in pair), default=0)
        return (dropped, exact, excluded) if scale <= MAX_SCALE else None

    def assemble(
        self,
        texts: pl.DataFrame,
        dropped: set[int],
        exact: dict[int, tuple[Decimal, Decimal]],
        excluded: list[ExcludedRow],
        headers: pl.Series,
    ) -> TrialBalance | None:
        accounts = texts
        if dropped:
            gone = pl.Series(sorted(dropped), dtype=pl.Int64).implode()
            accounts = texts.filter(~pl.col("i").is_in(gone))
        amounts = ("first", "second") if self.two else ("first",)
        places = accounts.select(_places_of(c).max() for c in amounts).row(0)
        scale = max([v or 0 for v in places] + [_places(v) for p in exact.values() for v in p])
        if scale > MAX_SCALE:
            return None
        # `exact` is keyed by position in the data; the columns by position in accounts.
        keys = sorted(exact)
        found = accounts.select(pl.arg_where(pl.col("i").is_in(keys))).to_series().to_list()
        by_position = {n: exact[i] for n, i in zip(found, keys, strict=True)}
        frame = self.frame_of(accounts, by_position, scale)
        excluded += [ExcludedRow(self.start + int(i) + 1, "repeated header") for i in headers]
        excluded.sort(key=lambda e: e.line_no)
        columns = TBColumns(frame, scale, by_position)
        source_rows = self.sheet.height - self.start
        return TrialBalance(
            RowsView(columns), self.sheet.name, source_rows, tuple(excluded), columns
        )

    def frame_of(
        self, accounts: pl.DataFrame, exact: dict[int, tuple[Decimal, Decimal]], scale: int
    ) -> pl.DataFrame:
        """The account columns; `exact` (by position) holds the amounts the row path
        parsed, put in place of the plain parse (which leaves them 0)."""
        first_units, first_dp = _units(pl.col("first"), scale), _places_of("first")
        if self.two:
            debit, credit = first_units, _units(pl.col("second"), scale)
            d_dp, c_dp = first_dp, _places_of("second")
        else:
            credit_side = pl.col("second").str.slice(0, 1).str.to_lowercase() == "c"
            zero, none = pl.lit(0, pl.Int128), pl.lit(0, pl.Int16)
            debit = pl.when(credit_side).then(zero).otherwise(first_units)
            credit = pl.when(credit_side).then(first_units).otherwise(zero)
            d_dp = pl.when(credit_side).then(none).otherwise(first_dp)
            c_dp = pl.when(credit_side).then(first_dp).otherwise(none)
        frame = accounts.select(
            (pl.col("i") + self.start + 1).alias("line_no"),
            pl.when(pl.col("number") == "").then(None).otherwise(pl.col("number")).alias("number"),
            pl.when(pl.col("label") == "")
            .then(pl.col("number"))
            .otherwise(pl.col("label"))
            .alias("name"),
            pl.when(pl.col("type_hint") == "")
            .then(None)
            .otherwise(pl.col("type_hint"))
            .alias("type_hint"),
            debit.alias("debit"),
            credit.alias("credit"),
            d_dp.cast(pl.Int16).alias("debit_dp"),
            c_dp.cast(pl.Int16).alias("credit_dp"),
        )
        if exact:
            where = list(exact)
            values = list(exact.values())
            frame = frame.with_columns(
                frame["debit"].scatter(where, [int(d.scaleb(scale)) for d, _ in values]),
                frame["credit"].scatter(where, [int(c.scaleb(scale)) for _, c in values]),
                frame["debit_dp"].scatter(where, [_places(d) for d, _ in values]),
                frame["credit_dp"].scatter(where, [_places(c) for _, c in values]),
            )
        return frame


def build_columns(
    sheet: FrameSheet, columns: dict[str, int], header_row: int | None
) -> TrialBalance | None:
    """The sheet's trial balance built columnar, or None where the row path must."""
    if header_row is not None and header_row >= len(sheet.head):
        return None
    return _Columnar(sheet, columns, header_row).build()
