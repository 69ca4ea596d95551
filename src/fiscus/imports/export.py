"""Transaction export: the entries of any transaction-list filter as CSV, XLSX or OFX.

What a row is (CSV and XLSX, the same columns, `COLUMNS`):
- An income, expense or transfer entry (two postings) is one row, read like the
  transactions page: `account` is the balance-sheet side, `category` the income or
  expense category, `transfer_account` the other side of a transfer. `amount` is signed
  from `account`'s view: + money in (or a liability paid down), - money out. A transfer
  is seen from the account the export is filtered by, else from the account it left.
- A split (journal entry) is one row per posting, numbered in `line` (1, 2, ...), all
  with the same `entry_id`, date and description: `account` is the posting's account
  (of any type), `amount` its signed amount (debit +, credit -; the lines of an entry
  sum to zero per currency) and `memo` the posting's memo.
So every row's amount is what was posted to its `account`, and a reader who needs the
entries groups rows by `entry_id`.

Text cells that a spreadsheet would read as a formula (leading `= + - @`, tab, CR, ...)
get a `'` prefix (`core.spreadsheet.safe_cell`), in CSV and XLSX alike; amounts are
numbers this module formats itself from minor units, so they are written as they are
(as number cells in XLSX) and a negative amount keeps its sign. OFX is written by
`export_ofx` for one account.

Size: at most `ROW_CAP` entries per export (a 422 beyond it, before any row is read).
The rows are read in batches (`ledger.export_rows`) and written to a spooled temporary
file (memory up to `SPOOL_BYTES`, then disk), inside the request's unit of work: the
file is complete before the first byte is sent, so a failure can never reach the client
as a truncated file that looks whole, and the read holds one batch at a time.
"""

from __future__ import annotations

import csv
import functools
import io
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO, Any, NamedTuple

import xlsxwriter
from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.core.currency import exponent
from fiscus.core.errors import InvalidInput
from fiscus.core.spreadsheet import safe_cell
from fiscus.imports import export_ofx
from fiscus.ledger import export_rows
from fiscus.ledger import service as ledger_service
from fiscus.ledger.export_rows import ExportEntry, ExportQuery

ROW_CAP = 100_000
SPOOL_BYTES = 8 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
TEXT_COLUMNS = frozenset(
    ("description", "payee", "account", "category", "transfer_account", "tags", "notes", "memo")
)
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ofx": "application/x-ofx",
}


class ExportTooLarge(InvalidInput):
    """Too many transactions match to export at once; narrow the dates or the filters."""

    code = "export_too_large"


@dataclass
class ExportFile:
    """A finished export: its bytes in a temporary file (at position 0) and how to send it."""

    file: IO[bytes]
    media_type: str
    filename: str
    size: int

    def chunks(self) -> Iterator[bytes]:
        """The file in chunks, closed (and so deleted) when the last one is read."""
        try:
            while chunk := self.file.read(CHUNK_BYTES):
                yield chunk
        finally:
            self.file.close()


class Row(NamedTuple):
    """One exported row, its cells in `COLUMNS` order (see the module docstring); money
    as an exact decimal, the date as a date."""

    date: date
    description: str
    payee: str
    type: str
    amount: Decimal
    currency: str
    account: str
    category: str
    transfer_account: str
    status: str
    tags: str
    notes: str
    memo: str
    line: int | None
    entry_id: str


COLUMNS = Row._fields  # the header row, in this order


def export_transactions(
    session: Session, ctx: TenantContext, *, query: ExportQuery, format: str, today: date
) -> ExportFile:
    """The entries matching `query` as a file of `format` ("csv", "xlsx" or "ofx")."""
    account = None
    if format == "ofx":  # checked first: a missing account is named before any read
        account = export_ofx.statement_account(session, ctx, query.account_id)
    filters = export_rows.transaction_filters(session, ctx, query)
    extent = export_rows.extent(session, ctx, filters)
    if extent.count > ROW_CAP:
        raise ExportTooLarge(
            f"{extent.count} transactions match; at most {ROW_CAP} can be exported at once. "
            "Narrow the dates or the filters."
        )
    entries = export_rows.iter_entries(session, ctx, filters)
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+b")  # noqa: SIM115
    try:
        if account is not None:
            export_ofx.write(
                out, session, ctx, account, entries, query=query, extent=extent, today=today
            )
        else:
            names = {a.id: a.name for a in ledger_service.list_accounts(session, ctx)}
            rows = (row for entry in entries for row in rows_of(entry, names, query.account_id))
            (_write_csv if format == "csv" else _write_xlsx)(out, rows)
        size = out.tell()
        out.seek(0)
    except BaseException:
        out.close()
        raise
    filename = f"transactions-{today.isoformat()}.{format}"
    return ExportFile(out, MEDIA_TYPES[format], filename, size)


def rows_of(entry: ExportEntry, names: dict[uuid.UUID, str], focus: uuid.UUID | None) -> list[Row]:
    """The rows of one entry: one for a two-leg entry, one per posting for a split."""
    postings = entry.postings
    common = (entry.occurred_on, entry.description, entry.payee or "", entry.kind)
    tail = (entry.status, ", ".join(entry.tags), entry.notes or "")
    if entry.kind == "journal" or len(postings) != 2:
        return [
            Row(
                *common,
                _decimal(p.amount, p.currency),
                p.currency,
                names.get(p.account_id, ""),
                "",
                "",
                *tail,
                p.memo or "",
                i,
                str(entry.id),
            )
            for i, p in enumerate(postings, start=1)
        ]
    debit, credit = sorted(postings, key=lambda p: p.amount < 0)
    # The ledger's simple view: income lands on the debited account, everything else
    # leaves the credited one; a transfer is turned round to face the filtered account.
    side, other = (debit, credit) if entry.kind == "income" else (credit, debit)
    if entry.kind == "transfer" and focus == debit.account_id:
        side, other = debit, credit
    other_name = names.get(other.account_id, "")
    transfer = entry.kind == "transfer"
    return [
        Row(
            *common,
            _decimal(side.amount, side.currency),
            side.currency,
            names.get(side.account_id, ""),
            "" if transfer else other_name,
            other_name if transfer else "",
            *tail,
            "",
            None,
            str(entry.id),
        )
    ]


def _decimal(minor: int, currency: str) -> Decimal:
    """Minor units as the exact decimal (what `Money.from_minor` gives, without its
    checks: the ledger stored them)."""
    return Decimal(minor).scaleb(-_places(currency))


@functools.cache
def _places(currency: str) -> int:
    return exponent(currency)


_TEXT_INDEXES = frozenset(i for i, c in enumerate(COLUMNS) if c in TEXT_COLUMNS)
_DATE, _AMOUNT, _LINE = (COLUMNS.index(c) for c in ("date", "amount", "line"))


def _csv_cells(row: Row) -> list[str]:
    """A row as CSV text: free text neutralised, our own values (date, amount) as is."""
    cells: list[Any] = [safe_cell(v) if i in _TEXT_INDEXES else v for i, v in enumerate(row)]
    cells[_DATE] = row.date.isoformat()
    cells[_AMOUNT] = format(row.amount, "f")
    cells[_LINE] = "" if row.line is None else str(row.line)
    return cells


def _write_csv(out: IO[bytes], rows: Iterable[Row]) -> None:
    """UTF-8 with a byte-order mark (so Excel reads it as UTF-8), one header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(COLUMNS)
    for count, row in enumerate(rows, start=1):
        writer.writerow(_csv_cells(row))
        if count % 1000 == 0:
            out.write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()
    out.write(buffer.getvalue().encode("utf-8"))


def _write_xlsx(out: IO[bytes], rows: Iterable[Row]) -> None:
    """One sheet, header row frozen; dates as date cells, amounts as number cells in the
    currency's decimals, text as string cells (never parsed as formulas or URLs).

    XLSX numbers are binary doubles: amounts up to 15 significant digits show exactly."""
    options = {
        "constant_memory": True,  # rows go to disk as written, not kept per sheet
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    workbook = xlsxwriter.Workbook(out, options)
    sheet = workbook.add_worksheet("Transactions")
    bold = workbook.add_format({"bold": True})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    money: dict[int, Any] = {}
    widths = {"date": 11, "description": 36, "payee": 22, "account": 20, "category": 20}
    for i, column in enumerate(COLUMNS):
        sheet.set_column(i, i, widths.get(column, 14))
    sheet.freeze_panes(1, 0)
    for i, column in enumerate(COLUMNS):
        sheet.write_string(0, i, column, bold)
    for r, row in enumerate(rows, start=1):
        sheet.write_datetime(r, _DATE, row.date, day)
        places = _places(row.currency)
        if places not in money:
            money[places] = workbook.add_format(
                {"num_format": "0." + "0" * places if places else "0"}
            )
        sheet.write_number(r, _AMOUNT, float(row.amount), money[places])
        if row.line is not None:
            sheet.write_number(r, _LINE, row.line)
        for i, value in enumerate(row):
            if i not in (_DATE, _AMOUNT, _LINE) and value:
                sheet.write_string(r, i, safe_cell(value) if i in _TEXT_INDEXES else value)
    workbook.close()
