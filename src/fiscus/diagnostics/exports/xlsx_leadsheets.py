"""Lead schedules (.xlsx): an Index, one tab per lead sheet A-O and Z, and a
roll-forward tab per high-risk balance-sheet account.

Each schedule lists its accounts with Prior, Current, Change and Change % (blank prior
and change when no prior analysis was posted; accounts matched by number, else by name)
and a total. Amounts are Dr positive, Cr in brackets. A roll-forward starts from the
prior closing balance, leaves the movements to the auditor (yellow input cells) and
works out the unexplained difference against the trial balance with live formulas.
"""

from __future__ import annotations

from decimal import Decimal

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from fiscus.diagnostics.exports.labels import LEAD_SHEETS, finding_title
from fiscus.diagnostics.exports.request import ExportRequest
from fiscus.diagnostics.exports.view import LeadLine, LeadSchedules, change_fraction, lead_schedules
from fiscus.diagnostics.exports.xlsx_book import Book, sheet_name
from fiscus.diagnostics.exports.xlsx_workpaper import FIRST_ROW, title_block

ZERO = Decimal(0)
MOVEMENTS = (
    "Additions",
    "Disposals and repayments",
    "Transfers and reclassifications",
    "Other movements (depreciation, revaluation, write-offs)",
)


def leadsheets_xlsx(request: ExportRequest) -> bytes:
    book = Book()
    schedules = lead_schedules(request, request.prior)
    taken: set[str] = {"index"}
    index = book.sheet("Index")
    tabs = {letter: sheet_name(f"{letter} {title}", taken) for letter, title in LEAD_SHEETS.items()}
    roll_tabs = [sheet_name(f"RF {line.label}", taken) for _, line in schedules.high_risk]
    _index(book, index, request, schedules, tabs, roll_tabs)
    for letter, title in LEAD_SHEETS.items():
        _schedule(book, book.sheet(tabs[letter]), request, schedules, letter, title)
    for tab, (letter, line) in zip(roll_tabs, schedules.high_risk, strict=True):
        _roll_forward(book, book.sheet(tab), request, letter, line)
    return book.close()


def _index(
    book: Book,
    sheet: Worksheet,
    request: ExportRequest,
    schedules: LeadSchedules,
    tabs: dict[str, str],
    roll_tabs: list[str],
) -> None:
    title_block(book, sheet, "Lead schedules - index", request)
    names = ["Lead", "Classification", "Tab", "Accounts", _prior(request), "Current", "Change"]
    book.headings(sheet, FIRST_ROW, names, [6, 38, 34, 10, 16, 16, 16])
    row = FIRST_ROW
    for letter, title in LEAD_SHEETS.items():
        row += 1
        current, prior = schedules.total(letter)
        book.text(sheet, row, 0, letter)
        book.text(sheet, row, 1, title)
        book.link(sheet, row, 2, tabs[letter])
        book.number(sheet, row, 3, len(schedules.lines[letter]), "integer")
        book.number(sheet, row, 4, prior)
        book.number(sheet, row, 5, current)
        book.number(sheet, row, 6, None if prior is None else current - prior)
    row += 2
    book.text(sheet, row, 0, "Roll-forwards of high-risk balance-sheet accounts", "bold")
    row += 1
    for col, name in enumerate(("Lead", "Account", "Tab", "Why high risk")):
        book.text(sheet, row, col, name, "heading")
    for tab, (letter, line) in zip(roll_tabs, schedules.high_risk, strict=True):
        row += 1
        book.text(sheet, row, 0, letter)
        book.text(sheet, row, 1, line.label)
        book.link(sheet, row, 2, tab)
        book.text(sheet, row, 3, "; ".join(line.risk_reasons))
    if not roll_tabs:
        book.text(sheet, row + 1, 1, "No account met the high-risk rule.")
    if schedules.high_risk_left_out:
        note = f"{schedules.high_risk_left_out} more high-risk accounts have no roll-forward tab."
        book.text(sheet, row + 1, 1, note)


def _schedule(
    book: Book,
    sheet: Worksheet,
    request: ExportRequest,
    schedules: LeadSchedules,
    letter: str,
    title: str,
) -> None:
    title_block(book, sheet, f"Lead schedule {letter} - {title}", request)
    names = ["Account No", "Account name", "Classification", _prior(request), "Current", "Change"]
    names += ["Change %", "Status", "Findings", "W/P ref"]
    book.headings(sheet, FIRST_ROW, names, [12, 38, 22, 16, 16, 16, 10, 9, 30, 10])
    row = FIRST_ROW
    for line in schedules.lines[letter]:
        row += 1
        _line(book, sheet, row, line)
    if row == FIRST_ROW:
        book.text(sheet, row + 1, 1, "No balances on this lead sheet.")
        row += 1
    current, prior = schedules.total(letter)
    row += 1
    book.text(sheet, row, 1, f"Total lead sheet {letter}", "total_label")
    book.number(sheet, row, 3, prior, "money_total")
    book.number(sheet, row, 4, current, "money_total")
    book.number(sheet, row, 5, None if prior is None else current - prior, "money_total")


def _line(book: Book, sheet: Worksheet, row: int, line: LeadLine) -> None:
    book.text(sheet, row, 0, line.number)
    book.text(sheet, row, 1, line.name)
    book.text(sheet, row, 2, f"{line.category} / {line.subtype}")
    book.number(sheet, row, 3, line.prior)
    book.number(sheet, row, 4, line.current)
    book.number(sheet, row, 5, line.change)
    book.number(sheet, row, 6, change_fraction(line.prior, line.current), "percent")
    book.text(sheet, row, 7, line.status)
    book.text(sheet, row, 8, ", ".join(sorted({f.code for f in line.findings})))


def _roll_forward(
    book: Book, sheet: Worksheet, request: ExportRequest, letter: str, line: LeadLine
) -> None:
    title_block(book, sheet, f"Roll-forward: {line.label}", request)
    sheet.set_column(0, 0, 52)
    sheet.set_column(1, 1, 18)
    sheet.set_column(2, 2, 60)
    book.text(sheet, FIRST_ROW, 0, f"Lead sheet {letter} - {LEAD_SHEETS[letter]}", "bold")
    book.text(sheet, FIRST_ROW + 1, 0, "High risk because: " + "; ".join(line.risk_reasons))
    top = FIRST_ROW + 3
    book.text(sheet, top, 0, "Opening balance (prior closing)", "bold")
    book.number(sheet, top, 1, line.prior, "money" if line.prior is not None else "input")
    if line.prior is None:
        book.text(sheet, top, 2, "No prior analysis posted: enter the opening balance.")
    for offset, label in enumerate(MOVEMENTS, start=1):
        book.text(sheet, top + offset, 0, label)
        book.number(sheet, top + offset, 1, None, "input")
    last = top + len(MOVEMENTS)
    opening = line.prior if line.prior is not None else ZERO
    expected, closing, diff = last + 1, last + 2, last + 3
    first_cell, last_cell = xl_rowcol_to_cell(top, 1), xl_rowcol_to_cell(last, 1)
    book.text(sheet, expected, 0, "Expected closing balance", "total_label")
    book.formula(sheet, expected, 1, f"=SUM({first_cell}:{last_cell})", opening, "money_total")
    book.text(sheet, closing, 0, "Closing balance per trial balance", "bold")
    book.number(sheet, closing, 1, line.current)
    book.text(sheet, diff, 0, "Unexplained difference", "total_label")
    cells = (xl_rowcol_to_cell(closing, 1), xl_rowcol_to_cell(expected, 1))
    book.formula(sheet, diff, 1, f"={cells[0]}-{cells[1]}", line.current - opening, "money_total")
    book.text(sheet, diff + 1, 0, "Amounts Dr positive, Cr negative; movements in the same sign.")
    row = diff + 3
    for f in line.findings:
        book.text(sheet, row, 0, f"{f.severity}: {finding_title(f.code)}", "bold")
        book.text(sheet, row, 2, f"{f.explanation} Procedure: {f.procedure}", "wrap")
        row += 1
    row += 1
    e = request.engagement
    for role, name in (("Prepared by", e.prepared_by), ("Reviewed by", e.reviewed_by)):
        book.text(sheet, row, 0, f"{role}: {name or '____________________'}   Date: ____________")
        row += 1


def _prior(request: ExportRequest) -> str:
    end = request.engagement.prior_period_end
    return f"Prior {end.isoformat()}" if end else "Prior"
