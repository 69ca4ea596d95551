"""The transactions page's forms and rows: what a person typed, as the API's schemas.

The simple form (expense, income, transfer) and the split form (journal lines with debit
and credit columns) are validated by the very schemas the JSON API uses and posted by
the same services; this module only maps between form fields and those schemas, and
words the errors beside the field (or the line) they concern.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from fiscus.core.errors import DomainError
from fiscus.core.money import Money
from fiscus.ledger.models import Posting, Transaction
from fiscus.ledger.page_rows import EntryHead, EntryLeg
from fiscus.ledger.postings import BALANCE_SHEET
from fiscus.ledger.schemas_transactions import (
    BulkRequest,
    JournalTransactionCreate,
    SimpleTransactionCreate,
    TransactionUpdate,
)
from fiscus.ledger.views_common import Chart, money_text
from fiscus.web import forms
from fiscus.web.errors import STATUS

SIMPLE_FIELDS = (
    "type",
    "date",
    "description",
    "payee",
    "amount",
    "account_id",
    "category_id",
    "transfer_account_id",
    "tags",
    "status",
)
STATUSES = {"pending": "Pending", "cleared": "Cleared", "reconciled": "Reconciled"}
SIMPLE_TYPES = {"expense": "Expense", "income": "Income", "transfer": "Transfer"}
MIN_LINES = 2
MAX_LINES = 50


def split_tags(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def _normalise(errors: dict[str, str]) -> dict[str, str]:
    """`tags.3` is the tags field; the form has no per-tag input."""
    out: dict[str, str] = {}
    for key, message in errors.items():
        out.setdefault("tags" if key.startswith("tags.") else key, message)
    return out


def simple_defaults(today: date, **overrides: str) -> dict[str, str]:
    values = dict.fromkeys(SIMPLE_FIELDS, "")
    values.update(type="expense", date=today.isoformat(), status="cleared")
    values.update(overrides)
    return values


def parse_simple(values: dict[str, str]) -> SimpleTransactionCreate:
    """The simple form as the API's body; `FormInvalid` names each bad field."""
    kind = values.get("type", "")
    data: dict[str, Any] = {
        "type": kind,
        "description": values.get("description", ""),
        "payee": values.get("payee") or None,
        "amount": values.get("amount", "").strip(),
        "tags": split_tags(values.get("tags", "")),
        "status": values.get("status") or "pending",
    }
    if values.get("date"):
        data["date"] = values["date"]
    if values.get("account_id"):
        data["account_id"] = values["account_id"]
    other = "transfer_account_id" if kind == "transfer" else "category_id"
    if values.get(other):
        data[other] = values[other]
    try:
        return forms.parse(SimpleTransactionCreate, data)
    except forms.FormInvalid as exc:
        raise forms.FormInvalid(_normalise(exc.errors), exc.status) from exc


@dataclass
class Line:
    account_id: str = ""
    debit: str = ""
    credit: str = ""
    memo: str = ""

    @property
    def blank(self) -> bool:
        return not (self.account_id or self.debit.strip() or self.credit.strip() or self.memo)


def lines_of(
    account_ids: list[str], debits: list[str], credits: list[str], memos: list[str]
) -> list[Line]:
    count = min(max(len(account_ids), len(debits), len(credits), len(memos)), MAX_LINES)

    def at(items: list[str], i: int) -> str:
        return items[i] if i < len(items) else ""

    return [
        Line(at(account_ids, i), at(debits, i), at(credits, i), at(memos, i)) for i in range(count)
    ]


@dataclass
class SplitForm:
    """The split form as typed: header fields, lines, and the errors keyed by field."""

    values: dict[str, str]
    lines: list[Line]
    errors: dict[str, str] = field(default_factory=dict)
    index: list[int] = field(default_factory=list)  # posting j came from line index[j]

    @property
    def totals(self) -> dict[str, Any]:
        """Debits, credits and what is missing, from whatever parses (shown under the lines)."""
        debit = sum((_number(line.debit) for line in self.lines), Decimal(0))
        credit = sum((_number(line.credit) for line in self.lines), Decimal(0))
        difference = debit - credit
        return {
            "debit": f"{debit:,f}",
            "credit": f"{credit:,f}",
            "difference": f"{abs(difference):,f}",
            "balanced": difference == 0,
        }


def _number(text: str) -> Decimal:
    try:
        value = Decimal(text.strip()) if text.strip() else Decimal(0)
    except InvalidOperation:
        return Decimal(0)
    return value if value.is_finite() else Decimal(0)


def parse_split(form: SplitForm) -> JournalTransactionCreate:
    """The split form as the API's journal body; errors are keyed `lines.<i>.<field>`."""
    postings: list[dict[str, Any]] = []
    line_errors: dict[str, str] = {}
    for i, line in enumerate(form.lines):
        if line.blank:
            continue
        debit, credit = line.debit.strip(), line.credit.strip()
        if debit and credit:
            line_errors[f"lines.{i}.credit"] = "Enter a debit or a credit, not both."
        elif not debit and not credit:
            line_errors[f"lines.{i}.debit"] = "Enter a debit or a credit."
        elif credit.startswith("-") or debit.startswith("-"):
            line_errors[f"lines.{i}.{'debit' if debit else 'credit'}"] = "Enter it unsigned."
        if not line.account_id:
            line_errors[f"lines.{i}.account_id"] = "Choose an account."
        posting: dict[str, Any] = {"account_id": line.account_id or None}
        posting["amount"] = debit if debit else f"-{credit}"
        if line.memo.strip():
            posting["memo"] = line.memo
        postings.append(posting)
        form.index.append(i)
    header = _header(form.values)
    try:
        body = forms.parse(JournalTransactionCreate, {**header, "postings": postings})
    except forms.FormInvalid as exc:
        raise forms.FormInvalid({**split_errors(form, exc.errors), **line_errors}) from exc
    if line_errors:
        raise forms.FormInvalid(line_errors)
    return body


def _header(values: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "description": values.get("description", ""),
        "payee": values.get("payee") or None,
        "tags": split_tags(values.get("tags", "")),
        "status": values.get("status") or "pending",
    }
    if values.get("date"):
        data["date"] = values["date"]
    return data


_POSTING = re.compile(r"^postings\.(\d+)\.(\w+)")


def split_errors(form: SplitForm, errors: dict[str, str]) -> dict[str, str]:
    """API error keys (`postings.<j>.amount`) as the form's (`lines.<i>.debit`)."""
    out: dict[str, str] = {}
    for key, message in _normalise(errors).items():
        match = _POSTING.match(key)
        if match and int(match.group(1)) < len(form.index):
            i = form.index[int(match.group(1))]
            name = match.group(2)
            if name == "amount":
                name = "debit" if form.lines[i].debit.strip() else "credit"
            out.setdefault(f"lines.{i}.{name}", _sentence(name, message))
        elif key == "postings":
            out.setdefault(forms.FORM_LEVEL, _postings_message(message))
        else:
            out.setdefault(key, message)
    return out


def split_domain_error(form: SplitForm, exc: DomainError) -> forms.FormInvalid:
    """A service refusal (unbalanced, no such account, …) beside the line it names."""
    errors = split_errors(form, {exc.field or forms.FORM_LEVEL: exc.detail})
    return forms.FormInvalid(errors, STATUS[exc.kind])


def _sentence(name: str, message: str) -> str:
    label = {"account_id": "Account", "debit": "Debit", "credit": "Credit", "memo": "Memo"}
    return f"{label.get(name, name)} {message}" if message[:1].islower() else message


def _postings_message(message: str) -> str:
    if "at least 2" in message:
        return "Enter at least two lines."
    return message


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the transactions table, as people read it."""

    id: uuid.UUID
    date: date
    description: str
    payee: str | None
    account: str
    category: str
    amount: str
    tone: str  # pos | neg | neutral: the colour of the amount
    status: str
    tags: list[str]
    kind: str
    deleted: bool
    simple: dict[str, str] | None  # the simple form's values, for inline edit


def present(
    txn: EntryHead, postings: Sequence[EntryLeg], chart: Chart, focus: uuid.UUID | None
) -> Row:
    account, category, amount = _describe(txn, postings, chart)
    mine = [p for p in postings if focus is not None and p.account_id == focus]
    if mine:  # the account filter is set: the amount as this account saw it
        amount = Money.from_minor(sum(p.amount for p in mine), mine[0].currency)
    tone = "neutral"
    if txn.kind in ("income", "expense") or mine:
        tone = "neg" if amount.is_negative else "pos"
    return Row(
        id=txn.id,
        date=txn.occurred_on,
        description=txn.description,
        payee=txn.payee,
        account=account,
        category=category,
        amount=money_text(amount),
        tone=tone,
        status=txn.status,
        tags=[t for t in txn.tags.split(",") if t],
        kind=txn.kind,
        deleted=txn.deleted_at is not None,
        simple=_simple_values(txn, postings),
    )


def _describe(txn: EntryHead, postings: Sequence[EntryLeg], chart: Chart) -> tuple[str, str, Money]:
    """Account label, category label and signed amount (income +, expense -)."""
    debits = [p for p in postings if p.amount > 0]
    credits = [p for p in postings if p.amount < 0]
    if txn.kind in ("income", "expense", "transfer") and len(debits) == len(credits) == 1:
        debit, credit = debits[0], credits[0]
        size = Money.from_minor(debit.amount, debit.currency)
        if txn.kind == "expense":
            return chart.name(credit.account_id), chart.name(debit.account_id), -size
        if txn.kind == "income":
            return chart.name(debit.account_id), chart.name(credit.account_id), size
        return f"{chart.name(credit.account_id)} → {chart.name(debit.account_id)}", "Transfer", size
    sheet = [p for p in postings if chart.kind(p.account_id) in BALANCE_SHEET]
    other = [p for p in postings if chart.kind(p.account_id) not in BALANCE_SHEET]
    currency = postings[0].currency if postings else "XXX"
    size = Money.from_minor(sum(p.amount for p in debits if p.currency == currency), currency)
    names = sorted({chart.name(p.account_id) for p in sheet})
    split = f"Split ({len(postings)} lines)"
    return (
        ", ".join(names) or split,
        ", ".join(sorted({chart.name(p.account_id) for p in other})) or split,
        size,
    )


def _simple_values(txn: EntryHead, postings: Sequence[EntryLeg]) -> dict[str, str] | None:
    if txn.kind == "journal" or len(postings) != 2:
        return None
    debit, credit = sorted(postings, key=lambda p: p.amount < 0)
    account, other = (debit, credit) if txn.kind == "income" else (credit, debit)
    values = {
        "type": txn.kind,
        "date": txn.occurred_on.isoformat(),
        "description": txn.description,
        "payee": txn.payee or "",
        "amount": Money.from_minor(debit.amount, debit.currency).to_json(),
        "account_id": str(account.account_id),
        "category_id": "" if txn.kind == "transfer" else str(other.account_id),
        "transfer_account_id": str(other.account_id) if txn.kind == "transfer" else "",
        "tags": ", ".join(t for t in txn.tags.split(",") if t),
        "status": txn.status,
    }
    return values


BULK_ACTIONS = {
    "categorise": "Categorise",
    "tag": "Add tags",
    "untag": "Remove tags",
    "set_status": "Set status",
    "delete": "Delete",
    "restore": "Restore",
}


def edit_values(txn: Transaction, postings: list[Posting]) -> dict[str, str]:
    """What the inline edit form starts with: the simple view, or a split's metadata."""
    simple = _simple_values(txn, postings)
    if simple is not None:
        return simple
    return {
        "date": txn.occurred_on.isoformat(),
        "description": txn.description,
        "payee": txn.payee or "",
        "tags": ", ".join(t for t in txn.tags.split(",") if t),
        "status": txn.status,
    }


def parse_edit(kind: str, values: dict[str, str]) -> TransactionUpdate:
    """The inline edit as the API's PATCH body. A split keeps its lines here."""
    if not values.get("date"):
        raise forms.FormInvalid({"date": "is required"})
    data: dict[str, Any] = {
        "date": values["date"],
        "description": values.get("description", ""),
        "payee": values.get("payee") or None,
        "tags": split_tags(values.get("tags", "")),
        "status": values.get("status") or "pending",
    }
    if kind in SIMPLE_TYPES:
        other = "transfer_account_id" if kind == "transfer" else "category_id"
        data.update(type=kind, amount=values.get("amount", "").strip())
        for name in ("account_id", other):
            if not values.get(name):
                raise forms.FormInvalid({name: "is required"})
            data[name] = values[name]
    try:
        return forms.parse(TransactionUpdate, data)
    except forms.FormInvalid as exc:
        raise forms.FormInvalid(_normalise(exc.errors), exc.status) from exc


def parse_bulk(values: dict[str, str], ids: list[str]) -> BulkRequest:
    """The bulk form as the API's body; only the field the action needs is sent."""
    action = values.get("action", "")
    if not ids:
        raise forms.FormInvalid({forms.FORM_LEVEL: "Select at least one transaction first."})
    data: dict[str, Any] = {"action": action, "ids": ids}
    if action == "categorise" and values.get("category_id"):
        data["category_id"] = values["category_id"]
    if action in ("tag", "untag") and split_tags(values.get("tags", "")):
        data["tags"] = split_tags(values["tags"])
    if action == "set_status" and values.get("status"):
        data["status"] = values["status"]
    try:
        return forms.parse(BulkRequest, data)
    except forms.FormInvalid as exc:
        errors = _normalise(exc.errors)
        if any(key.startswith("ids") for key in errors):
            errors = {forms.FORM_LEVEL: "Some selected rows are not transactions; reload the page."}
        raise forms.FormInvalid(errors, exc.status) from exc


def lines_of_postings(postings: list[Posting]) -> list[Line] | None:
    """A split's postings as the form's lines; None when one carries an exchange rate
    (the form has no rate column, so those lines are changed through the API)."""
    if any(p.rate is not None for p in postings):
        return None
    lines = []
    for p in postings:
        size = Money.from_minor(abs(p.amount), p.currency).to_json()
        debit, credit = (size, "") if p.amount > 0 else ("", size)
        lines.append(Line(str(p.account_id), debit, credit, p.memo or ""))
    return lines


def parse_journal_edit(form: SplitForm) -> TransactionUpdate:
    """A split's inline edit (header and lines) as the API's PATCH body with `postings`."""
    body = parse_split(form)
    return TransactionUpdate(**body.model_dump(exclude={"notes"}))
