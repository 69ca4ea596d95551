"""The summary PDF of a return (fpdf2, A4): the rows of returns_print laid out.

DejaVu Sans is used where the system has it; otherwise Helvetica (Latin-1 only, other
characters print as "?"), as the reports' PDF export does.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from fiscus.tax.returns_print import Row, subtitle, summary_rows
from fiscus.tax.returns_schemas import Assessment, ReturnRead

_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
_LINE = 5.5
_MARGIN = 14.0
_CODE, _AMOUNT = 18.0, 32.0


def _load_font(pdf: FPDF) -> str:
    for folder in _FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            pdf.add_font("dejavu", "", str(regular))
            pdf.add_font("dejavu", "B", str(bold))
            return "dejavu"
    return "helvetica"


class _Summary(FPDF):
    def __init__(self, title: str, subtitle: str) -> None:
        super().__init__(format="A4")
        self.title_text, self.subtitle_text = title, subtitle
        self.font_name = _load_font(self)
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.set_auto_page_break(auto=True, margin=_MARGIN + 4)
        self.set_title(title)
        self.set_creator("Fiscus")

    def safe(self, text: str) -> str:
        if self.font_name == "helvetica":
            return text.encode("latin-1", "replace").decode("latin-1")
        return text

    def header(self) -> None:
        self.set_font(self.font_name, "B", 13)
        self.cell(0, 8, self.safe(self.title_text), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.font_name, "", 8.5)
        self.multi_cell(0, 4.5, self.safe(self.subtitle_text), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-_MARGIN)
        self.set_font(self.font_name, "", 7.5)
        self.cell(0, 5, "Summary prepared by Fiscus - not an ATO form", align="L")
        self.cell(0, 5, f"Page {self.page_no()}/{{nb}}", align="R")

    def row(self, row: Row) -> None:
        if row.style == "heading":
            self.ln(2)
            self.set_font(self.font_name, "B", 10.5)
            self.cell(0, 7, self.safe(row.text), border="B", new_x="LMARGIN", new_y="NEXT")
            return
        bold = row.style in ("row", "total")
        self.set_font(self.font_name, "B" if bold else "", 9 if bold else 8.5)
        text_width = self.w - 2 * _MARGIN - _CODE - _AMOUNT
        indent = 4.0 if row.style == "detail" else 0.0
        border = "T" if row.style == "total" else ""
        self.cell(_CODE, _LINE, self.safe(row.code), border=border)
        text = self.safe(row.text)
        if self.get_string_width(text) > text_width - indent - 1:
            y = self.get_y()
            self.set_x(self.get_x() + indent)
            self.multi_cell(text_width - indent, _LINE, text, border=border)
            end = self.get_y()
            self.set_xy(_MARGIN + _CODE + text_width, y)
            self.cell(_AMOUNT, _LINE, self._amount(row), border=border, align="R")
            self.set_y(end)
            return
        self.cell(indent, _LINE, "", border=border)
        self.cell(text_width - indent, _LINE, text, border=border)
        self.cell(_AMOUNT, _LINE, self._amount(row), border=border, align="R")
        self.ln(_LINE)

    @staticmethod
    def _amount(row: Row) -> str:
        return "" if row.amount is None else f"{row.amount:,.2f}"


def render(read: ReturnRead, assessment: Assessment) -> bytes:
    title = f"Individual tax return summary {read.year}"
    pdf = _Summary(title, subtitle(read, assessment, stored=read.assessment is not None))
    pdf.add_page()
    for row in summary_rows(read, assessment):
        pdf.row(row)
    return bytes(pdf.output())
