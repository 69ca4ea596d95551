"""The diagnostic memo (PDF, A4 portrait): summary, risk, materiality, findings with
their suggested procedures (grouped by severity, material before below-materiality),
ratios, and a sign-off block with prepared-by / reviewed-by / date lines.

The font is DejaVu Sans where the system has it, so every account name prints; else the
PDF core font Helvetica, whose Latin-1 replaces other characters with "?" (the same
choice as the reports' PDF export). Amounts are printed with thousands separators,
credits with a minus sign.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from fpdf import FPDF

from fiscus.diagnostics.exports.labels import SEVERITIES, finding_title, ratio_label
from fiscus.diagnostics.exports.request import ExportRequest, FindingIn
from fiscus.diagnostics.exports.view import category_totals, findings_in_order, flat_ratios
from fiscus.reports.export_pdf import load_font

_MARGIN = 16.0
_LINE = 5.5
LIST_PER_CODE = 15  # findings of one code printed in full per severity group


def money(value: Decimal | None) -> str:
    return "-" if value is None else f"{value:,.2f}"


def ratio_text(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "percent":
        return f"{value * 100:.2f} %"
    if unit == "days":
        return f"{value:.1f} days"
    return f"{value:.2f}x"


class _Memo(FPDF):
    def __init__(self, request: ExportRequest) -> None:
        super().__init__(orientation="P", format="A4")
        self.request = request
        self.font_name = load_font(self)
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.set_auto_page_break(auto=True, margin=_MARGIN + 4)
        self.set_title("Trial balance diagnostic memo")
        self.set_creator("Fiscus")

    def text_of(self, text: str) -> str:
        if self.font_name == "helvetica":
            return text.encode("latin-1", "replace").decode("latin-1")
        return text

    def footer(self) -> None:
        self.set_y(-_MARGIN)
        self.set_font(self.font_name, "", 8)
        entity = self.request.engagement.entity or "Trial balance diagnostic memo"
        half = (self.w - 2 * _MARGIN) / 2
        self.cell(half, 5, self.text_of(entity)[:90], align="L")
        self.cell(0, 5, f"Page {self.page_no()}/{{nb}}", align="R")

    def heading(self, text: str) -> None:
        if self.get_y() > self.h - 50:  # keep a heading with what follows it
            self.add_page()
        self.ln(3)
        self.set_font(self.font_name, "B", 12)
        self.cell(0, 7, self.text_of(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.font_name, "", 9)

    def para(self, text: str, *, bold: bool = False, size: float = 9) -> None:
        self.set_font(self.font_name, "B" if bold else "", size)
        self.multi_cell(0, _LINE, self.text_of(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.font_name, "", 9)

    def pairs(self, rows: list[tuple[str, str]], width: float = 62) -> None:
        for label, value in rows:
            self.set_font(self.font_name, "B", 9)
            self.cell(width, _LINE, self.text_of(label))
            self.set_font(self.font_name, "", 9)
            self.multi_cell(0, _LINE, self.text_of(value), new_x="LMARGIN", new_y="NEXT")


def memo_pdf(request: ExportRequest, *, today: datetime | None = None) -> bytes:
    pdf = _Memo(request)
    pdf.add_page()
    _title(pdf, request, today or datetime.now(UTC))
    _summary(pdf, request)
    _materiality(pdf, request)
    _findings(pdf, request)
    _ratios(pdf, request)
    _sign_off(pdf, request)
    return bytes(pdf.output())


def _title(pdf: _Memo, request: ExportRequest, today: datetime) -> None:
    e = request.engagement
    pdf.para("Trial balance diagnostic memo", bold=True, size=16)
    pdf.para(e.entity or "Entity not stated", bold=True, size=11)
    period = f"Period ended {e.period_end.isoformat()}" if e.period_end else "Period not stated"
    parts = [request.file_format] if request.file_format else []
    if request.sheet:
        parts.append(f"sheet {request.sheet}")
    if request.consolidated:
        parts.append("consolidated")
    source = f" ({', '.join(parts)})" if parts else ""
    prepared = f"Prepared {today.date().isoformat()} from the analysis of the trial balance"
    pdf.para(f"{period}. {prepared}{source}.")


def _summary(pdf: _Memo, request: ExportRequest) -> None:
    totals = category_totals(request)
    counts = {s: sum(1 for f in request.anomalies if f.severity == s) for s in SEVERITIES}
    material = sum(1 for f in request.anomalies if f.material)
    pdf.heading("1. Summary")
    pdf.pairs(
        [
            ("Accounts", f"{len(request.accounts):,}"),
            ("Total debits", money(request.total_debits)),
            ("Total credits", money(request.total_credits)),
            ("Difference", money(request.difference)),
            ("Balanced", "Yes" if request.balanced else "No - the trial balance does not balance"),
            ("Current-year result", money(totals["result"]) + " (profit positive)"),
            ("Risk score", f"{request.risk_score} / 100"),
            ("Risk tier", request.risk_tier.capitalize()),
            (
                "Findings",
                f"{len(request.anomalies)} ({material} material): "
                + ", ".join(f"{counts[s]} {s}" for s in SEVERITIES),
            ),
        ]
    )
    pdf.ln(1)
    pdf.para(
        "The risk score adds each finding's severity weight (critical 30, high 15, medium 7, "
        "low 3, info 0; x1.5 when material), capped at 100. Tiers: below 20 low, 20-49 "
        "moderate, 50-74 high, 75 and above critical."
    )


def _materiality(pdf: _Memo, request: ExportRequest) -> None:
    m = request.materiality
    pdf.heading("2. Materiality")
    percentage = "-" if m.percentage is None else f"{m.percentage * 100:.2f} %"
    pdf.pairs(
        [
            ("Overall materiality", money(m.overall)),
            ("Performance materiality", money(m.performance)),
            ("Clearly trivial threshold", money(m.trivial)),
            ("Basis", m.basis.replace("_", " ")),
            ("Benchmark amount", money(m.benchmark_amount)),
            ("Percentage of benchmark", percentage),
        ]
    )
    if m.note:
        pdf.para(m.note)


def _findings(pdf: _Memo, request: ExportRequest) -> None:
    pdf.heading("3. Findings and suggested procedures")
    ordered = findings_in_order(request)
    if not ordered:
        pdf.para("The checks found nothing to report.")
    for severity in SEVERITIES:
        for material in (True, False):
            group = [f for f in ordered if f.severity == severity and f.material is material]
            if not group:
                continue
            label = "material" if material else "below materiality"
            pdf.para(f"{severity.capitalize()} - {label} ({len(group)})", bold=True, size=10)
            _group(pdf, group)


def _group(pdf: _Memo, group: list[FindingIn]) -> None:
    """The group's findings in order, at most `LIST_PER_CODE` of each code in full: a
    memo summarises; the workpaper and the CSV list every one."""
    shown: dict[str, int] = {}
    left: dict[str, list[FindingIn]] = {}
    number = 0
    for finding in group:
        if shown.get(finding.code, 0) < LIST_PER_CODE:
            shown[finding.code] = shown.get(finding.code, 0) + 1
            number += 1
            _finding(pdf, number, finding)
        else:
            left.setdefault(finding.code, []).append(finding)
    for code, rest in left.items():
        total = sum((abs(f.amount) for f in rest if f.amount is not None), Decimal(0))
        pdf.para(
            f"... and {len(rest):,} more {finding_title(code).lower()} findings "
            f"(absolute amounts totalling {money(total)}), each listed in the workpaper "
            "and the findings CSV."
        )
        pdf.ln(1.5)


def _finding(pdf: _Memo, number: int, f: FindingIn) -> None:
    where = f.account or "the trial balance"
    amount = "" if f.amount is None else f", {money(f.amount)}"
    line = "" if f.line_no is None else f" (line {f.line_no})"
    pdf.para(f"{number}. {finding_title(f.code)}: {where}{line}{amount}", bold=True)
    # One paragraph for both (a multi_cell's line breaking is what a finding costs).
    pdf.para(f"{f.explanation}\nSuggested procedure: {f.procedure}")
    pdf.ln(1.5)


def _ratios(pdf: _Memo, request: ExportRequest) -> None:
    pdf.heading("4. Ratios")
    pdf.para("From closing balances of one trial balance (no averages).")
    for key, ratio in flat_ratios(request):
        name, unit, formula = ratio_label(key)
        pdf.set_font(pdf.font_name, "B", 9)
        pdf.cell(62, _LINE, pdf.text_of(name))
        pdf.set_font(pdf.font_name, "", 9)
        pdf.cell(28, _LINE, ratio_text(ratio.value, unit), align="R")
        note = formula if ratio.value is not None else f"not computed: {ratio.reason or ''}"
        pdf.cell(4)
        pdf.multi_cell(0, _LINE, pdf.text_of(note), new_x="LMARGIN", new_y="NEXT")


def _sign_off(pdf: _Memo, request: ExportRequest) -> None:
    e = request.engagement
    if pdf.get_y() > pdf.h - 70:
        pdf.add_page()
    pdf.heading("5. Sign-off")
    pdf.para(
        "These are analytical findings from the trial balance alone; they direct, and do "
        "not replace, the procedures the engagement requires."
    )
    pdf.ln(4)
    for role, name in (("Prepared by", e.prepared_by), ("Reviewed by", e.reviewed_by)):
        pdf.set_font(pdf.font_name, "B", 9)
        pdf.cell(28, 9, role + ":")
        pdf.set_font(pdf.font_name, "", 9)
        pdf.cell(72, 9, pdf.text_of(name or ""), border="B")
        pdf.cell(6)
        pdf.set_font(pdf.font_name, "B", 9)
        pdf.cell(12, 9, "Date:")
        pdf.cell(40, 9, "", border="B", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        pdf.cell(28, 9, "Signature:")
        pdf.cell(72, 9, "", border="B", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
