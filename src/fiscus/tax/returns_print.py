"""The printable summary of a return as rows in the order of the ATO return labels.

Each row is (code, text, amount, style); the PDF renderer (returns_pdf) only lays them
out. Every label of the deduction and offset sections is printed, nil ones included, as
on the return form; income sections are printed when they hold something.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, NamedTuple

from fiscus.tax.labels import FIGURES, SECTIONS, SITUATION
from fiscus.tax.returns_assess import capital_gains
from fiscus.tax.returns_schemas import Assessment, ReturnRead
from fiscus.tax.returns_sections import Figure, ReturnData, SignedFigure

Style = Literal["heading", "row", "detail", "total"]
ZERO = Decimal(0)


class Row(NamedTuple):
    code: str
    text: str
    amount: Decimal | None = None
    style: Style = "row"


def _fig(path: str, figure: Figure | SignedFigure) -> Row:
    label = FIGURES[path]
    source = " (prefilled)" if figure.source == "prefill" else ""
    return Row(label.code, label.name + source, Decimal(figure.amount), "detail")


def _section(path: str, total: Decimal | None = None) -> Row:
    label = SECTIONS[path]
    return Row(label.code, label.name, total)


def _income(data: ReturnData) -> list[Row]:
    inc = data.income
    rows = [Row("", "Income", style="heading")]
    gross = sum((Decimal(p.gross.amount) for p in inc.salary_wages), ZERO)
    rows.append(_section("income.salary_wages", gross))
    for payer in inc.salary_wages:
        abn = f" (ABN {payer.payer_abn})" if payer.payer_abn else ""
        rows.append(Row("", f"Payer: {payer.payer_name}{abn}", style="detail"))
        rows.append(_fig("income.salary_wages.*.tax_withheld", payer.tax_withheld))
        rows.append(_fig("income.salary_wages.*.gross", payer.gross))
    groups: list[tuple[str, list[tuple[str, Figure | SignedFigure]]]] = [
        ("income.allowances", [("amount", inc.allowances.amount)]),
        ("income.government_allowances", [("amount", inc.government_allowances.amount)]),
        (
            "income.interest",
            [("gross", inc.interest.gross), ("tfn_withheld", inc.interest.tfn_withheld)],
        ),
        ("income.dividends", [(n, f) for n, f in inc.dividends]),
        ("income.employee_shares", [(n, f) for n, f in inc.employee_shares]),
        ("income.business", [("net_income", inc.business.net_income)]),
        ("income.rent", [(n, f) for n, f in inc.rent]),
    ]
    withheld = {
        "income.allowances": inc.allowances.tax_withheld,
        "income.government_allowances": inc.government_allowances.tax_withheld,
    }
    for path, figures in groups:
        if not any(Decimal(f.amount) for _, f in figures) and not (
            path in withheld and Decimal(withheld[path].amount)
        ):
            continue
        rows.append(_section(path))
        rows.extend(_fig(f"{path}.{name}", figure) for name, figure in figures)
        if path in withheld:
            rows.append(_fig(f"{path}.tax_withheld", withheld[path]))
    rows.extend(_capital_gains(data))
    for item in inc.other:
        rows.append(Row("24Y", f"Other income: {item.description}", Decimal(item.amount.amount)))
    return rows


def _capital_gains(data: ReturnData) -> list[Row]:
    entries = data.income.capital_gains.entries
    if not entries and not Decimal(data.income.capital_gains.losses_brought_forward.amount):
        return []
    rows = [_section("income.capital_gains")]
    for entry in entries:
        gain = Decimal(entry.proceeds.amount) - Decimal(entry.cost_base.amount)
        rows.append(
            Row(
                "",
                f"{entry.description}: acquired {entry.acquired_on}, disposed of "
                f"{entry.disposed_on}, proceeds {entry.proceeds.amount} less cost base "
                f"{entry.cost_base.amount}",
                gain,
                "detail",
            )
        )
    gains, _losses = capital_gains(data)
    rows.append(
        Row("18H", "Total current year capital gains", sum((g.amount for g in gains), ZERO))
    )
    return rows


def _assessment_sum(assessment: Assessment, step: str) -> Decimal:
    return sum((Decimal(x.amount) for x in assessment.lines if x.step == step), ZERO)


def _totals(assessment: Assessment) -> list[Row]:
    gain = _assessment_sum(assessment, "net_capital_gain")
    income = _assessment_sum(assessment, "income") + gain
    return [
        Row("18A", "Net capital gain", gain),
        Row("", "Total income or loss", income, "total"),
    ]


def _deductions(data: ReturnData, assessment: Assessment) -> list[Row]:
    rows = [Row("", "Deductions", style="heading")]
    for name, figure in data.deductions:
        path = f"deductions.{name}"
        rows.append(_fig(path, figure)._replace(style="row"))
    rows.append(Row("", "Total deductions", _assessment_sum(assessment, "deduction"), "total"))
    rows.append(Row("", "Taxable income or loss", Decimal(assessment.taxable_income), "total"))
    return rows


def _offsets_and_situation(data: ReturnData) -> list[Row]:
    rows = [Row("", "Tax offsets", style="heading")]
    sapto = SITUATION["sapto_eligible"]
    rows.append(Row(sapto.code, f"{sapto.name}: {'yes' if data.sapto_eligible else 'no'}"))
    rows.extend(_fig(f"offsets.{n}", f)._replace(style="row") for n, f in data.offsets)
    rows.append(Row("", "Medicare levy, private health, spouse and loans", style="heading"))
    months = data.private_health.hospital_cover_months
    spouse = data.spouse
    loan = data.help
    rows.extend(
        [
            Row("M2", f"Months of private patient hospital cover: {months} of 12"),
            Row("M1", f"Dependent children: {data.dependants}"),
            Row(
                "Spouse",
                "Spouse: "
                + (f"yes, taxable income {spouse.taxable_income}" if spouse.has_spouse else "no"),
            ),
            Row(
                "HELP",
                "Study and training loan: "
                + (("yes, balance " + (loan.balance or "not known")) if loan.has_debt else "no"),
            ),
            Row("Residency", f"{data.residency}, resident {data.months_resident} of 12 months"),
        ]
    )
    return rows


def _assessment(assessment: Assessment) -> list[Row]:
    rows = [Row("", "Assessment", style="heading")]
    for line in assessment.lines:
        if line.step in ("income", "deduction"):
            continue
        sign = {"offset": "less ", "credit": "credit "}.get(line.effect, "")
        text = f"{sign}{line.step.replace('_', ' ')}: {line.detail}"
        rows.append(Row("", text, Decimal(line.amount), "detail"))
    refund = Decimal(assessment.refund_or_owed)
    if refund >= 0:
        rows.append(Row("", "Refund", refund, "total"))
    else:
        rows.append(Row("", "Amount owed", -refund, "total"))
    return rows


def summary_rows(read: ReturnRead, assessment: Assessment) -> list[Row]:
    data = read.data
    return [
        *_income(data),
        *_totals(assessment),
        *_deductions(data, assessment),
        *_offsets_and_situation(data),
        *_assessment(assessment),
    ]


def subtitle(read: ReturnRead, assessment: Assessment, stored: bool) -> str:
    status: str = read.status
    if read.lodgement is not None:
        status += f" on {read.lodgement.lodged_on}, reference {read.lodgement.reference}"
    when = assessment.calculated_at.strftime("%Y-%m-%d %H:%M UTC")
    basis = f"assessment calculated {when}" if stored else "estimate, not yet calculated"
    provisional = "; provisional year" if read.provisional else ""
    return f"{read.person.name} - version {read.version}, {status}; {basis}{provisional}"
