"""Prefill from the books: the postings of labelled categories grouped into proposals.

A category's `tax_label` names the return figure it feeds (`LABEL_PATHS`); all
`biz.*` labels feed the net business income (income less expenses). Salary and wages
are grouped by the transactions' payee, one proposed payer each. A proposal is only a
proposal: nothing is written until it is accepted, so a figure a person typed is never
overwritten without their say (the read shows `overwrites_user` so a page can ask).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from fiscus.core.money import Money
from fiscus.tax.labels import FIGURES
from fiscus.tax.repository import LabelledPosting
from fiscus.tax.returns_figures import at, is_figure

CENT = Decimal("0.01")
SALARY = "ind.salary_wages"
PAYER_KEY = "income.salary_wages[{payer}].gross"
BUSINESS = "income.business.net_income"

LABEL_PATHS: dict[str, str] = {
    "ind.allowances": "income.allowances.amount",
    "ind.government_payments": "income.government_allowances.amount",
    "ind.interest": "income.interest.gross",
    "ind.dividends_unfranked": "income.dividends.unfranked",
    "ind.dividends_franked": "income.dividends.franked",
    "ind.franking_credits": "income.dividends.franking_credits",
    "ind.rent": "income.rent.gross",
    "ind.rent_interest": "income.rent.interest",
    "ind.rent_capital_works": "income.rent.capital_works",
    "ind.rent_other": "income.rent.other_deductions",
    **{f"ind.{name}": f"deductions.{name}" for name in (
        "d1_car", "d2_travel", "d3_clothing", "d4_self_education", "d5_other_work",
        "d6_low_value_pool", "d7_interest", "d8_dividends", "d9_gifts", "d10_tax_affairs",
        "d11_foreign_pension", "d12_personal_super", "d13_project_pool", "d14_forestry",
        "d15_other",
    )},
    "ind.d5_work_related": "deductions.d5_other_work",  # the categories page's example
}  # fmt: skip
WHY_NOT: dict[str, str] = {
    "ind.dividends": "the books do not say how much is franked: use ind.dividends_franked "
    "and ind.dividends_unfranked, or enter 11S/11T/11U from the statements",
}


@dataclass
class _Sum:
    amount: Decimal = Decimal(0)
    transaction_ids: list[uuid.UUID] = field(default_factory=list)
    categories: set[str] = field(default_factory=set)

    def add(self, posting: LabelledPosting, value: Decimal) -> None:
        self.amount += value
        if posting.transaction_id not in self.transaction_ids:
            self.transaction_ids.append(posting.transaction_id)
        self.categories.add(posting.category)


def _value(posting: LabelledPosting, key: str | None) -> Decimal:
    """The posting in the tenant's base currency, positive for the figure it feeds:
    income and expenses both positive, except net business income (income less
    expenses)."""
    base = Money.from_minor(posting.amount, posting.currency).amount * (posting.rate or 1)
    return -base if posting.account_type == "income" or key == BUSINESS else base


def _key(posting: LabelledPosting) -> str | None:
    if posting.tax_label == SALARY:
        return PAYER_KEY.format(payer=(posting.payee or posting.category).strip())
    if posting.tax_label.startswith("biz."):
        return BUSINESS
    return LABEL_PATHS.get(posting.tax_label)


def proposals_from(
    postings: list[LabelledPosting],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(proposals, skipped): one proposal per figure, one skipped entry per label that
    feeds nothing (with the reason)."""
    sums: dict[str, _Sum] = defaultdict(_Sum)
    unknown: dict[str, _Sum] = defaultdict(_Sum)
    for posting in postings:
        key = _key(posting)
        (sums[key] if key else unknown[posting.tax_label]).add(posting, _value(posting, key))
    proposals, skipped = [], []
    for key, total in sums.items():
        amount = total.amount.quantize(CENT, ROUND_HALF_UP)  # once, after summing
        if amount < 0 and key != BUSINESS:
            skipped.append(_skip(key, total, f"the postings net to {amount}, below nil"))
            continue
        if amount == 0:
            continue
        proposals.append(
            {
                "key": key,
                "amount": str(amount),
                "transaction_ids": [str(t) for t in total.transaction_ids],
                "categories": sorted(total.categories),
            }
        )
    for label, total in unknown.items():
        reason = WHY_NOT.get(label, "this tax label feeds no figure of the individual return")
        skipped.append(_skip(label, total, reason))
    return proposals, skipped


def _skip(label: str, total: _Sum, reason: str) -> dict[str, Any]:
    return {
        "tax_label": label,
        "categories": sorted(total.categories),
        "transaction_ids": [str(t) for t in total.transaction_ids],
        "reason": reason,
    }


def payer_of(key: str) -> str | None:
    if key.startswith("income.salary_wages[") and key.endswith("].gross"):
        return key[len("income.salary_wages[") : -len("].gross")]
    return None


def figure_path(doc: dict[str, Any], key: str) -> str | None:
    """Where the proposal lands in the document now: a payer's index, or None when the
    payer is not on the return yet (accepting adds it)."""
    payer = payer_of(key)
    if payer is None:
        return key
    for index, item in enumerate(doc.get("income", {}).get("salary_wages", [])):
        if " ".join(item["payer_name"].split()).casefold() == " ".join(payer.split()).casefold():
            return f"income.salary_wages.{index}.gross"
    return None


def label_for(key: str) -> tuple[str, str]:
    generic = "income.salary_wages.*.gross" if payer_of(key) else key
    label = FIGURES[generic]
    return label.code, label.name


def current_figure(doc: dict[str, Any], key: str) -> dict[str, Any] | None:
    path = figure_path(doc, key)
    value = None if path is None else at(doc, path)
    return value if is_figure(value) else None


def accept(doc: dict[str, Any], proposal: dict[str, Any]) -> None:
    """Write the proposal into the document as a prefilled figure (edits `doc`)."""
    figure = {
        "amount": proposal["amount"],
        "source": "prefill",
        "transaction_ids": proposal["transaction_ids"],
    }
    path = figure_path(doc, proposal["key"])
    if path is None:
        payer = payer_of(proposal["key"]) or ""
        income = doc.setdefault("income", {})
        income.setdefault("salary_wages", []).append(
            {"payer_name": payer, "payer_abn": None, "gross": figure, "tax_withheld": "0.00"}
        )
        return
    *parents, last = path.split(".")
    node: Any = doc
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    node[last] = figure
