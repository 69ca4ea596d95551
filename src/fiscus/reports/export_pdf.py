"""PDF export: the table on A4 pages with the title, subtitle, headings and page numbers.

DejaVu Sans is used where the system has it (every character of every name prints);
otherwise the PDF core font Helvetica, which only has Latin-1, so other characters are
printed as "?" rather than failing the export.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from fpdf import FPDF

from fiscus.core.money import Money
from fiscus.reports.table import Cell, Row, Table

_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
_LINE = 6.0
_MARGIN = 12.0


def money_text(cell: Cell) -> str:
    """A cell as a person reads it: money with thousands separators, percentages with '%'."""
    if cell is None:
        return ""
    if isinstance(cell, Money):
        return f"{cell.amount:,}"
    if isinstance(cell, Decimal):
        return f"{cell:,}%"
    return cell


class _Document(FPDF):
    def __init__(self, table: Table) -> None:
        super().__init__(orientation="L" if len(table.columns) > 5 else "P", format="A4")
        self.report = table
        self.font_name = load_font(self)
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.set_auto_page_break(auto=True, margin=_MARGIN + 4)
        self.set_title(table.title)
        self.set_creator("Fiscus")
        usable = self.w - 2 * _MARGIN
        others = len(table.columns) - 1
        self.first_width = usable - 30.0 * others if others else usable
        self.widths = [self.first_width] + [30.0] * others

    def text_of(self, text: str) -> str:
        if self.font_name == "helvetica":
            return text.encode("latin-1", "replace").decode("latin-1")
        return text

    def header(self) -> None:
        self.set_font(self.font_name, "B", 14)
        self.cell(0, 8, self.text_of(self.report.title), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.font_name, "", 9)
        self.cell(0, 5, self.text_of(self.report.subtitle), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)
        self.set_font(self.font_name, "B", 9)
        for index, column in enumerate(self.report.columns):
            align = "L" if column.kind == "text" else "R"
            self.cell(
                self.widths[index], _LINE, self.text_of(column.heading), border="B", align=align
            )
        self.ln(_LINE)

    def footer(self) -> None:
        self.set_y(-_MARGIN)
        self.set_font(self.font_name, "", 8)
        self.cell(0, 5, f"Page {self.page_no()}/{{nb}}", align="R")

    def row(self, row: Row) -> None:
        bold = row.style in ("heading", "subtotal", "total")
        self.set_font(self.font_name, "B" if bold else "", 9)
        border = "T" if row.style == "total" else ""
        for index, cell in enumerate(row.cells):
            width = self.widths[index]
            if index == 0:
                indent = 4.0 * row.depth
                if indent:  # a zero-width cell would run to the right margin
                    self.cell(indent, _LINE, "", border=border)
                text = self.fit(self.text_of(money_text(cell)), width - indent - 1)
                self.cell(width - indent, _LINE, text, border=border)
            else:
                self.cell(width, _LINE, self.text_of(money_text(cell)), border=border, align="R")
        self.ln(_LINE)

    def fit(self, text: str, width: float) -> str:
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "...") > width:
            text = text[:-1]
        return text + "..."


def load_font(pdf: FPDF) -> str:
    """Add DejaVu Sans (regular and bold) to `pdf` where the system has it and return the
    font name to use: "dejavu", else "helvetica" (Latin-1 only)."""
    for folder in _FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            pdf.add_font("dejavu", "", str(regular))
            pdf.add_font("dejavu", "B", str(bold))
            return "dejavu"
    return "helvetica"


def to_pdf(table: Table) -> bytes:
    pdf = _Document(table)
    pdf.add_page()
    if not table.rows:
        pdf.set_font(pdf.font_name, "", 9)
        pdf.cell(0, _LINE, "Nothing to report for this period.")
    for row in table.rows:
        pdf.row(row)
    return bytes(pdf.output())
