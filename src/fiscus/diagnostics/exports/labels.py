"""Words the exports print: lead-sheet titles, ratio names and units, severity order,
finding titles. One table each, so the PDF and the workbooks say the same thing."""

from __future__ import annotations

from typing import Literal

# The lead schedules, in workpaper order (the letters the classifier assigns, see
# analysis/keywords.py and docs.md).
LEAD_SHEETS: dict[str, str] = {
    "A": "Cash and cash equivalents",
    "B": "Trade and other receivables",
    "C": "Inventories",
    "D": "Prepayments and other current assets",
    "E": "Investments",
    "F": "Property, plant and equipment",
    "G": "Intangible assets",
    "H": "Trade and other payables",
    "I": "Tax balances",
    "J": "Borrowings",
    "K": "Provisions and employee benefits",
    "L": "Other liabilities",
    "M": "Equity",
    "N": "Revenue and other income",
    "O": "Expenses",
    "Z": "Unclassified and suspense",
}

SEVERITIES = ("critical", "high", "medium", "low", "info")

RatioUnit = Literal["times", "percent", "days"]

# key -> (name, unit, how it is computed); the keys of `analysis.ratios`.
RATIOS: dict[str, tuple[str, RatioUnit, str]] = {
    "current_ratio": ("Current ratio", "times", "current assets / current liabilities"),
    "quick_ratio": ("Quick ratio", "times", "(cash + receivables) / current liabilities"),
    "cash_ratio": ("Cash ratio", "times", "cash / current liabilities"),
    "debt_to_equity": ("Debt to equity", "times", "total liabilities / equity"),
    "debt_ratio": ("Debt ratio", "percent", "total liabilities / total assets"),
    "equity_ratio": ("Equity ratio", "percent", "equity / total assets"),
    "long_term_debt_ratio": (
        "Long-term debt ratio",
        "percent",
        "non-current liabilities / (non-current liabilities + equity)",
    ),
    "interest_coverage": ("Interest coverage", "times", "EBIT / finance costs"),
    "gross_margin": ("Gross margin", "percent", "(revenue - cost of sales) / revenue"),
    "operating_margin": ("Operating margin", "percent", "EBIT / operating revenue"),
    "net_margin": ("Net margin", "percent", "net result / revenue"),
    "roa": ("Return on assets", "percent", "net result / total assets"),
    "roe": ("Return on equity", "percent", "net result / equity"),
    "dso": ("Days sales outstanding", "days", "receivables / revenue x 365"),
    "dpo": ("Days payables outstanding", "days", "payables / cost of sales x 365"),
    "dio": ("Days inventory outstanding", "days", "inventory / cost of sales x 365"),
    "cash_conversion_cycle": ("Cash conversion cycle", "days", "DSO + DIO - DPO"),
    "asset_turnover": ("Asset turnover", "times", "revenue / total assets"),
    "inventory_turnover": ("Inventory turnover", "times", "cost of sales / inventory"),
    "receivables_turnover": ("Receivables turnover", "times", "revenue / receivables"),
    "dupont.net_margin": ("DuPont: net margin", "percent", "net result / revenue"),
    "dupont.asset_turnover": ("DuPont: asset turnover", "times", "revenue / total assets"),
    "dupont.equity_multiplier": ("DuPont: equity multiplier", "times", "total assets / equity"),
    "dupont.roe": ("DuPont: return on equity", "percent", "the three multiplied"),
}


def ratio_label(key: str) -> tuple[str, RatioUnit, str]:
    """A ratio the table does not know (a newer analysis) keeps its key as its name."""
    return RATIOS.get(key, (key.replace("_", " ").replace(".", ": ").capitalize(), "times", ""))


FINDING_TITLES: dict[str, str] = {
    "tb_out_of_balance": "Trial balance out of balance",
    "wrong_side_balance": "Balance on the wrong side",
    "suspense_balance": "Suspense or clearing balance",
    "round_balance": "Round-number balance",
    "repeated_round_amount": "Repeated round amount",
    "related_party_account": "Related-party balance",
    "intercompany_account": "Intercompany balance",
    "intercompany_not_netting": "Intercompany balances do not net",
    "accounting_equation": "Accounting equation does not hold",
    "deficit_with_dividends": "Dividends despite a deficit",
    "duplicate_account_number": "Duplicate account number",
    "unclassified_material_account": "Material account not classified",
    "unclassified_account": "Account not classified",
    "numbering_gap": "Gap in account numbering",
    "zero_balance_accounts": "Zero-balance accounts",
    "concentration": "Concentration in one account",
    "benford_first_digit": "Benford first-digit test",
    "benford_first_two_digits": "Benford first-two-digits test",
}


def finding_title(code: str) -> str:
    return FINDING_TITLES.get(code, code.replace("_", " ").capitalize())
