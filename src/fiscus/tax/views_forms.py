"""The step-by-step return form: which fields each step shows, and form data -> document.

Form field names are the paths of the figures in the return document
(`income.interest.gross`, `income.salary_wages.0.tax_withheld`), so a validation error's
location is the name of the input it belongs to. A figure whose amount the person did
not change is sent back as the stored figure, so saving a step never strips a prefilled
figure of its provenance; a changed one becomes a figure typed by the person.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import ValidationError

from fiscus.tax.labels import DEDUCTION_FIELDS, FIGURES, OFFSET_FIELDS, SITUATION

Kind = Literal["figure", "signed", "amount", "optional_amount", "int", "bool", "choice", "date"]
STEPS = {
    "income": "Income",
    "deductions": "Deductions",
    "offsets": "Offsets and other",
    "review": "Review",
}
RESIDENCIES = {
    "resident": "Australian resident",
    "foreign": "Foreign resident",
    "whm": "Working holiday maker",
}


@dataclass(frozen=True, slots=True)
class Field:
    path: str  # in the document; list columns are relative to the list item
    label: str
    kind: Kind = "figure"
    code: str = ""

    @property
    def dom_id(self) -> str:
        return "f-" + self.path.replace(".", "-")


@dataclass(frozen=True, slots=True)
class ListSection:
    path: str
    title: str
    columns: tuple[Field, ...]


def _figure(path: str, kind: Kind = "figure") -> Field:
    label = FIGURES.get(path) or SITUATION[path]
    return Field(path, f"{label.code} {label.name}", kind, label.code)


def _situation(path: str, kind: Kind) -> Field:
    label = SITUATION[path]
    return Field(path, label.name, kind, label.code)


PAYERS = ListSection(
    "income.salary_wages",
    "1 Salary or wages (one row per payer)",
    (
        Field("payer_name", "Payer", "choice"),
        Field("payer_abn", "Payer ABN", "choice"),
        Field("gross", "1D Gross payments"),
        Field("tax_withheld", "1C Tax withheld"),
    ),
)
OTHER_INCOME = ListSection(
    "income.other",
    "24 Other income",
    (Field("description", "Description", "choice"), Field("amount", "24Y Amount")),
)
CAPITAL_GAINS = ListSection(
    "income.capital_gains.entries",
    "18 Capital gains (one row per asset sold)",
    (
        Field("description", "Asset", "choice"),
        Field("acquired_on", "Acquired on", "date"),
        Field("disposed_on", "Disposed of on", "date"),
        Field("cost_base", "Cost base"),
        Field("proceeds", "Capital proceeds"),
    ),
)
_INCOME_FIGURES = (
    "income.allowances.amount",
    "income.allowances.tax_withheld",
    "income.government_allowances.amount",
    "income.government_allowances.tax_withheld",
    "income.interest.gross",
    "income.interest.tfn_withheld",
    "income.dividends.unfranked",
    "income.dividends.franked",
    "income.dividends.franking_credits",
    "income.dividends.tfn_withheld",
    "income.employee_shares.upfront_eligible",
    "income.employee_shares.upfront_ineligible",
    "income.employee_shares.deferral",
    "income.employee_shares.tfn_withheld",
    "income.capital_gains.losses_brought_forward",
    "income.rent.gross",
    "income.rent.interest",
    "income.rent.capital_works",
    "income.rent.other_deductions",
)
FIELDS: dict[str, tuple[Field, ...]] = {
    "income": (
        Field("residency", "Residency for tax purposes", "choice", "Residency"),
        _situation("months_resident", "int"),
        *(_figure(path) for path in _INCOME_FIGURES),
        _figure("income.business.net_income", "signed"),
        _situation("income.business.small_business_entity", "bool"),
    ),
    "deductions": tuple(_figure(f"deductions.{name}") for name in DEDUCTION_FIELDS),
    "offsets": (
        *(_figure(f"offsets.{name}") for name in OFFSET_FIELDS),
        _situation("sapto_eligible", "bool"),
        _situation("private_health.hospital_cover_months", "int"),
        _situation("spouse.has_spouse", "bool"),
        _figure("spouse.taxable_income", "amount"),
        _situation("dependants", "int"),
        _situation("help.has_debt", "bool"),
        _figure("help.balance", "optional_amount"),
    ),
}
LISTS: dict[str, tuple[ListSection, ...]] = {
    "income": (PAYERS, CAPITAL_GAINS, OTHER_INCOME),
}
_INT_DEFAULTS = {"months_resident": "12"}
_MESSAGES = {
    "int_parsing": "must be a whole number",
    "bool_parsing": "must be ticked or not",
    "date_from_datetime_parsing": "must be a date",
    "date_parsing": "must be a date",
}


def get_path(doc: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(doc, list):
            doc = doc[int(part)] if int(part) < len(doc) else None
        elif isinstance(doc, dict):
            doc = doc.get(part)
        if doc is None:
            return None
    return doc


def _set_path(doc: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        doc = doc.setdefault(part, {})
    doc[last] = value


def clean_amount(text: str) -> str:
    """What the person typed, without thousands separators, a dollar sign or spaces."""
    return text.strip().replace(",", "").replace("$", "").replace(" ", "")


def _same(text: str, stored: Any) -> bool:
    if not isinstance(stored, dict):
        return False
    try:
        return Decimal(text or "0") == Decimal(str(stored.get("amount", "")))
    except InvalidOperation:
        return False


def _value(field: Field, form: dict[str, str], name: str, stored: Any) -> Any:
    raw = form.get(name, "")
    if field.kind == "bool":
        return raw in ("1", "on", "true")
    if field.kind == "int":
        return raw.strip() or _INT_DEFAULTS.get(field.path, "0")
    if field.kind in ("choice", "date"):
        return raw.strip() or None
    text = clean_amount(raw)
    if field.kind == "optional_amount":
        return text or None
    if field.kind == "amount":
        return text or "0"
    if _same(text, stored):
        return copy.deepcopy(stored)  # unchanged: keeps its source and transactions
    return text or "0"


def apply_step(stored: dict[str, Any], step: str, form: dict[str, str]) -> dict[str, Any]:
    """The document with this step's inputs written over the stored one."""
    doc = copy.deepcopy(stored)
    for field in FIELDS.get(step, ()):
        _set_path(doc, field.path, _value(field, form, field.path, get_path(stored, field.path)))
    for section in LISTS.get(step, ()):
        _set_path(doc, section.path, _rows(section, form, get_path(stored, section.path) or []))
    return doc


def row_count(form: dict[str, str], section: ListSection) -> int:
    try:
        return min(int(form.get(f"{section.path}.count", "0")), 100)
    except ValueError:
        return 0


def _rows(section: ListSection, form: dict[str, str], stored: list[Any]) -> list[Any]:
    """The rows of a list as typed; a row left wholly blank is dropped (how one is removed)."""
    rows = []
    for index in range(row_count(form, section)):
        prefix = f"{section.path}.{index}."
        if not any(form.get(prefix + c.path, "").strip() for c in section.columns):
            continue
        before = stored[index] if index < len(stored) else {}
        row = {
            c.path: _value(c, form, prefix + c.path, before.get(c.path)) for c in section.columns
        }
        rows.append({k: v for k, v in row.items() if v is not None})
    return rows


def form_rows(section: ListSection, form: dict[str, str]) -> list[int]:
    """Index of each row kept by `_rows`, in order: maps a document index to the form's."""
    kept = []
    for index in range(row_count(form, section)):
        prefix = f"{section.path}.{index}."
        if any(form.get(prefix + c.path, "").strip() for c in section.columns):
            kept.append(index)
    return kept


def field_errors(exc: ValidationError, step: str, form: dict[str, str]) -> dict[str, str]:
    """Each error keyed by the form input it belongs to (figure `.amount` dropped, list
    indexes mapped back to the rows as the form numbered them)."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        path = ".".join(str(part) for part in error["loc"]).removesuffix(".amount")
        errors.setdefault(input_name(path, step, form), _message(error))
    return errors


def input_name(path: str, step: str, form: dict[str, str]) -> str:
    for section in LISTS.get(step, ()):
        if path.startswith(section.path + "."):
            index, _, rest = path[len(section.path) + 1 :].partition(".")
            kept = form_rows(section, form)
            if index.isdigit() and int(index) < len(kept):
                return f"{section.path}.{kept[int(index)]}.{rest}"
    return path


def plain_errors(exc: ValidationError) -> dict[str, str]:
    """Each error by its location, in words a person can act on."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        errors.setdefault(".".join(str(p) for p in error["loc"]), _message(error))
    return errors


def _message(error: Any) -> str:
    kind = str(error["type"])
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind in ("less_than_equal", "greater_than_equal") and error.get("ctx"):
        word = "at most" if kind == "less_than_equal" else "at least"
        bound = error["ctx"].get("le", error["ctx"].get("ge"))
        return f"must be {word} {bound}"
    if kind == "string_pattern_mismatch":
        return 'must be an amount with at most 2 decimals, e.g. "1234.50"'
    if kind == "missing":
        return "is required"
    if kind == "string_too_short":
        return "is required"
    return str(error["msg"]).removeprefix("Value error, ")


def form_values(doc: dict[str, Any], step: str) -> dict[str, str]:
    """The inputs of a step filled from the document, as the form shows them."""
    values: dict[str, str] = {}
    for field in FIELDS.get(step, ()):
        values[field.path] = _shown(get_path(doc, field.path))
    for section in LISTS.get(step, ()):
        rows = get_path(doc, section.path) or []
        for index, row in enumerate(rows):
            for column in section.columns:
                values[f"{section.path}.{index}.{column.path}"] = _shown(row.get(column.path))
        values[f"{section.path}.count"] = str(len(rows) + 1)  # one blank row to add to
    return values


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("amount", ""))
    if isinstance(value, bool):
        return "1" if value else ""
    return "" if value is None else str(value)


def sources(doc: dict[str, Any], step: str) -> dict[str, str]:
    """`prefill` for the inputs holding a figure accepted from the books."""
    found: dict[str, str] = {}
    for field in FIELDS.get(step, ()):
        figure = get_path(doc, field.path)
        if isinstance(figure, dict) and figure.get("source") == "prefill":
            found[field.path] = "prefill"
    for section in LISTS.get(step, ()):
        for index, row in enumerate(get_path(doc, section.path) or []):
            for column in section.columns:
                figure = row.get(column.path)
                if isinstance(figure, dict) and figure.get("source") == "prefill":
                    found[f"{section.path}.{index}.{column.path}"] = "prefill"
    return found
