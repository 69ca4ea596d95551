"""The diagnostic workpaper (.xlsx): Summary, Standardised TB, Findings, Ratios, Lead
sheets. Every sheet starts with the same title block; tables have a frozen heading row
and an autofilter; cells are written by `xlsx_book` (formula-safe text, exact money)."""

from __future__ import annotations

from decimal import Decimal

from xlsxwriter.worksheet import Worksheet

from fiscus.diagnostics.exports.labels import LEAD_SHEETS, SEVERITIES, finding_title, ratio_label
from fiscus.diagnostics.exports.request import ExportRequest
from fiscus.diagnostics.exports.view import (
    category_totals,
    findings_by_account,
    findings_in_order,
    flat_ratios,
    lead_schedules,
)
from fiscus.diagnostics.exports.xlsx_book import Book

FIRST_ROW = 4  # title, entity and period, source, a blank line


def title_block(book: Book, sheet: Worksheet, title: str, request: ExportRequest) -> None:
    e = request.engagement
    period = f"Period ended {e.period_end.isoformat()}" if e.period_end else "Period not stated"
    source = f"Source: {request.file_format or 'trial balance'}"
    if request.sheet:
        source += f", sheet {request.sheet}"
    if request.consolidated:
        source += " (consolidated)"
    book.text(sheet, 0, 0, title, "title")
    book.text(sheet, 1, 0, f"{e.entity or 'Entity not stated'} - {period}", "subtitle")
    book.text(sheet, 2, 0, source, "subtitle")


def workpaper_xlsx(request: ExportRequest) -> bytes:
    book = Book()
    _summary(book, request)
    _trial_balance(book, request)
    _findings(book, request)
    _ratios(book, request)
    _lead_sheets(book, request)
    return book.close()


def _summary(book: Book, request: ExportRequest) -> None:
    sheet = book.sheet("Summary")
    title_block(book, sheet, "Trial balance diagnostics - summary", request)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 3, 18)
    totals = category_totals(request)
    m = request.materiality
    row = book.pairs(
        sheet,
        FIRST_ROW,
        [
            ("Accounts", len(request.accounts), "integer"),
            ("Total debits", request.total_debits, "money"),
            ("Total credits", request.total_credits, "money"),
            ("Difference", request.difference, "money"),
            ("Balanced", request.balanced, "text"),
            ("Current-year result (profit +)", totals["result"], "money"),
            ("Risk score (0-100)", request.risk_score, "integer"),
            ("Risk tier", request.risk_tier, "text"),
            ("Overall materiality", m.overall, "money"),
            ("Performance materiality", m.performance, "money"),
            ("Clearly trivial threshold", m.trivial, "money"),
            ("Materiality basis", m.basis, "text"),
            ("Benchmark amount", m.benchmark_amount, "money"),
            ("Percentage of benchmark", m.percentage, "percent"),
            ("Materiality note", m.note, "text"),
        ],
    )
    row += 1
    book.text(sheet, row, 0, "Category", "heading")
    book.text(sheet, row, 1, "Net (Dr +, Cr -)", "heading")
    for offset, category in enumerate(("asset", "liability", "equity", "revenue", "expense")):
        book.text(sheet, row + 1 + offset, 0, category.capitalize())
        book.number(sheet, row + 1 + offset, 1, totals.get(category, Decimal(0)))
    row += 8
    for col, name in enumerate(("Findings by severity", "Material", "Immaterial", "Total")):
        book.text(sheet, row, col, name, "heading")
    for offset, severity in enumerate(SEVERITIES, start=1):
        found = [f for f in request.anomalies if f.severity == severity]
        material = sum(1 for f in found if f.material)
        book.text(sheet, row + offset, 0, severity)
        for col, count in enumerate((material, len(found) - material, len(found)), start=1):
            book.number(sheet, row + offset, col, count, "integer")


def _trial_balance(book: Book, request: ExportRequest) -> None:
    sheet = book.sheet("Standardised TB")
    title_block(book, sheet, "Standardised trial balance with classification", request)
    names = ["Line", "Account No", "Account name", "Debit", "Credit", "Net (Dr +, Cr -)"]
    names += ["Category", "Subtype", "Normal balance", "Contra", "Lead sheet", "Lead sheet title"]
    names += ["Confidence", "Source", "Findings"]
    widths = [6, 12, 38, 15, 15, 16, 11, 16, 9, 7, 6, 30, 10, 10, 30]
    book.headings(sheet, FIRST_ROW, names, widths)
    linked = findings_by_account(request)
    row = FIRST_ROW
    for index, a in enumerate(request.accounts):
        row += 1
        c = a.classification
        book.number(sheet, row, 0, a.line_no, "integer")
        book.text(sheet, row, 1, a.number)
        book.text(sheet, row, 2, a.name)
        for col, amount in ((3, a.debit), (4, a.credit), (5, a.net)):
            book.number(sheet, row, col, amount)
        for col, value in enumerate((c.category, c.subtype, c.normal_balance), start=6):
            book.text(sheet, row, col, value)
        book.text(sheet, row, 9, "yes" if c.contra else "")
        book.text(sheet, row, 10, a.lead_sheet)
        book.text(sheet, row, 11, LEAD_SHEETS[a.lead_sheet])
        book.number(sheet, row, 12, Decimal(str(c.confidence)), "percent")
        book.text(sheet, row, 13, c.source)
        book.text(sheet, row, 14, ", ".join(sorted({f.code for f in linked.get(index, [])})))
    sheet.autofilter(FIRST_ROW, 0, row, len(names) - 1)
    row += 1
    book.text(sheet, row, 2, "Total", "total_label")
    book.number(sheet, row, 3, request.total_debits, "money_total")
    book.number(sheet, row, 4, request.total_credits, "money_total")
    book.number(sheet, row, 5, request.difference, "money_total")


def _findings(book: Book, request: ExportRequest) -> None:
    sheet = book.sheet("Findings")
    title_block(book, sheet, "Findings and suggested procedures", request)
    names = ["Severity", "Material", "Code", "Finding", "Account", "Line", "Amount"]
    names += ["Explanation", "Suggested procedure", "Work done", "Conclusion"]
    widths = [9, 9, 22, 28, 32, 6, 15, 50, 50, 30, 20]
    book.headings(sheet, FIRST_ROW, names, widths)
    row = FIRST_ROW
    for f in findings_in_order(request):
        row += 1
        book.text(sheet, row, 0, f.severity)
        book.text(sheet, row, 1, "yes" if f.material else "no")
        book.text(sheet, row, 2, f.code)
        book.text(sheet, row, 3, finding_title(f.code))
        book.text(sheet, row, 4, f.account, "wrap")
        book.number(sheet, row, 5, f.line_no, "integer")
        book.number(sheet, row, 6, f.amount)
        book.text(sheet, row, 7, f.explanation, "wrap")
        book.text(sheet, row, 8, f.procedure, "wrap")
    if row == FIRST_ROW:
        book.text(sheet, row + 1, 0, "No findings.")
    else:
        sheet.autofilter(FIRST_ROW, 0, row, len(names) - 1)


def _ratios(book: Book, request: ExportRequest) -> None:
    sheet = book.sheet("Ratios")
    title_block(book, sheet, "Financial ratios (closing balances, no averages)", request)
    names = ["Ratio", "Key", "Value", "Unit", "Computed as", "Why not computed"]
    book.headings(sheet, FIRST_ROW, names, [30, 26, 12, 9, 52, 40])
    row = FIRST_ROW
    for key, ratio in flat_ratios(request):
        row += 1
        label, unit, formula = ratio_label(key)
        book.text(sheet, row, 0, label)
        book.text(sheet, row, 1, key)
        book.number(sheet, row, 2, ratio.value, unit)
        book.text(sheet, row, 3, unit)
        book.text(sheet, row, 4, formula)
        book.text(sheet, row, 5, ratio.reason)


def _lead_sheets(book: Book, request: ExportRequest) -> None:
    sheet = book.sheet("Lead sheets")
    title_block(book, sheet, "Lead sheets", request)
    schedules = lead_schedules(request, request.prior)
    names = ["Lead", "Lead sheet", "Accounts", "Current"]
    widths = [6, 38, 10, 16]
    if schedules.has_prior:
        names, widths = [*names, "Prior", "Change"], [*widths, 16, 16]
    book.headings(sheet, FIRST_ROW, names, widths)
    row = FIRST_ROW
    grand = [Decimal(0), Decimal(0)]
    for letter, title in LEAD_SHEETS.items():
        row += 1
        current, prior = schedules.total(letter)
        book.text(sheet, row, 0, letter)
        book.text(sheet, row, 1, title)
        book.number(sheet, row, 2, len(schedules.lines[letter]), "integer")
        book.number(sheet, row, 3, current)
        grand[0] += current
        if prior is not None:
            book.number(sheet, row, 4, prior)
            book.number(sheet, row, 5, current - prior)
            grand[1] += prior
    row += 1
    book.text(sheet, row, 1, "Total (equals the TB difference)", "total_label")
    book.number(sheet, row, 3, grand[0], "money_total")
    if schedules.has_prior:
        book.number(sheet, row, 4, grand[1], "money_total")
        book.number(sheet, row, 5, grand[0] - grand[1], "money_total")
