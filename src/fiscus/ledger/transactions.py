"""Transaction use cases: post (simple or journal form), read, list, delete, restore.

Both forms turn their input into `Line`s (`simple_lines`, `journal_lines`: every posting
checked against the tenant's chart — account exists here, is not archived, currency
matches — and the entry balanced per currency), and `write_lines` stores them as the
entry's postings, derives its kind and gross amount and adds them to the balances, in
the caller's transaction. Editing (`transactions_edit`) reuses the same three. An
`Idempotency-Key` already used by this tenant returns the original entry.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.clock import utcnow
from fiscus.core.context import TenantContext
from fiscus.core.errors import InvalidInput, NotFound
from fiscus.core.ids import new_id
from fiscus.core.money import Money, minor_units_json
from fiscus.ledger import balances
from fiscus.ledger.models import Posting, Transaction
from fiscus.ledger.page_rows import EntryHead, EntryLeg
from fiscus.ledger.postings import BALANCE_SHEET, Leg, check_balanced, entry_kind, gross
from fiscus.ledger.repository import AccountRepository
from fiscus.ledger.repository_transactions import TransactionFilters, TransactionRepository
from fiscus.ledger.repository_writes import ChartAccount, chart_accounts
from fiscus.ledger.schemas_transactions import (
    JournalTransactionCreate,
    PostingIn,
    SimpleTransactionCreate,
    SimpleView,
)

Entry = tuple[Transaction, list[Posting]]  # a transaction and its postings, in order
Chart = dict[uuid.UUID, ChartAccount]  # the accounts an entry names, as read for it


class TransactionNotFound(NotFound):
    """The transaction does not exist."""

    code = "transaction_not_found"


@dataclass(frozen=True, slots=True)
class Line:
    """A checked posting to be written: an account of this tenant and an exact amount."""

    account: ChartAccount
    amount: Money
    rate: Decimal | None
    memo: str | None


class SimpleMoney(Protocol):
    """The money fields of the simple form (a create body, or an edit merged onto one)."""

    @property
    def type(self) -> str: ...
    @property
    def amount(self) -> str: ...
    @property
    def account_id(self) -> uuid.UUID: ...
    @property
    def category_id(self) -> uuid.UUID | None: ...
    @property
    def transfer_account_id(self) -> uuid.UUID | None: ...


def create_simple(
    session: Session, ctx: TenantContext, data: SimpleTransactionCreate, *, key: str | None
) -> Entry:
    if (existing := _replay(session, ctx, key)) is not None:
        return existing
    lines = simple_lines(AccountRepository(session, ctx.tenant_id), data)
    return _post(session, ctx, data, lines, key)


def simple_lines(accounts: AccountRepository, data: SimpleMoney) -> list[Line]:
    """The two legs of a simple entry, checked like any posting (both accounts read in
    one query)."""
    chart = chart_accounts(accounts.session, accounts.tenant_id, simple_account_ids(data))
    return simple_lines_in(chart, data)


def simple_account_ids(data: SimpleMoney) -> list[uuid.UUID]:
    """The accounts a simple entry names (read them with `chart_accounts`)."""
    other_id = data.transfer_account_id if data.type == "transfer" else data.category_id
    return [data.account_id] if other_id is None else [data.account_id, other_id]


def simple_lines_in(chart: Chart, data: SimpleMoney) -> list[Line]:
    """`simple_lines` against accounts already read."""
    account = _account(chart, data.account_id, "account_id", BALANCE_SHEET)
    amount = Money.parse(data.amount, account.currency, field="amount")
    if amount.is_negative or amount.is_zero:
        raise InvalidInput(
            "must be a positive amount; the type gives the direction", field="amount"
        )
    if data.type == "transfer":
        other = _counterpart(chart, data.transfer_account_id, "transfer_account_id", BALANCE_SHEET)
        if other.id == account.id:
            raise InvalidInput("must differ from account_id", field="transfer_account_id")
        debit, credit = other, account
    else:
        category = _counterpart(chart, data.category_id, "category_id", (data.type,))
        debit, credit = (category, account) if data.type == "expense" else (account, category)
    if debit.currency != credit.currency:
        raise InvalidInput(
            "is in another currency; record a multi-currency entry in the journal form",
            field="transfer_account_id" if data.type == "transfer" else "category_id",
        )
    return [Line(debit, amount, None, None), Line(credit, -amount, None, None)]


def create_journal(
    session: Session, ctx: TenantContext, data: JournalTransactionCreate, *, key: str | None
) -> Entry:
    if (existing := _replay(session, ctx, key)) is not None:
        return existing
    lines = journal_lines(AccountRepository(session, ctx.tenant_id), data.postings)
    return _post(session, ctx, data, lines, key)


def journal_lines(accounts: AccountRepository, postings: list[PostingIn]) -> list[Line]:
    """Signed postings checked against the chart (read in one query), then balanced per
    currency."""
    chart = chart_accounts(accounts.session, accounts.tenant_id, [p.account_id for p in postings])
    return journal_lines_in(chart, postings)


def journal_lines_in(chart: Chart, postings: list[PostingIn]) -> list[Line]:
    """`journal_lines` against accounts already read."""
    lines = [_journal_line(chart, p, f"postings.{i}") for i, p in enumerate(postings)]
    check_balanced([line.amount for line in lines])
    return lines


def _journal_line(chart: Chart, posting: PostingIn, where: str) -> Line:
    account = _account(chart, posting.account_id, f"{where}.account_id", None)
    if posting.currency and posting.currency != account.currency:
        raise InvalidInput(
            f"must be the account's currency ({account.currency})", field=f"{where}.currency"
        )
    amount = Money.parse(posting.amount, account.currency, field=f"{where}.amount")
    if amount.is_zero:
        raise InvalidInput("must not be zero", field=f"{where}.amount")
    return Line(account, amount, _rate(posting.rate, f"{where}.rate"), posting.memo)


def _rate(text: str | None, field: str) -> Decimal | None:
    if text is None:
        return None
    try:
        rate = Decimal(text)
    except InvalidOperation:
        raise InvalidInput("must be a decimal number such as 0.6543", field=field) from None
    if not rate.is_finite() or rate <= 0 or rate.as_tuple().exponent < -12:  # type: ignore[operator]
        raise InvalidInput("must be positive with at most 12 decimals", field=field)
    return rate


def _account(
    chart: Chart, account_id: uuid.UUID, field: str, types: tuple[str, ...] | None
) -> ChartAccount:
    account = chart.get(account_id)
    if account is None:
        raise InvalidInput("no such account", field=field)
    if account.is_archived:
        raise InvalidInput("is archived; restore it to post to it", field=field)
    if types is not None and account.type not in types:
        raise InvalidInput(f"must be an account of type {' or '.join(types)}", field=field)
    return account


def _counterpart(
    chart: Chart, account_id: uuid.UUID | None, field: str, types: tuple[str, ...]
) -> ChartAccount:
    if account_id is None:
        raise InvalidInput("is required for this type", field=field)
    return _account(chart, account_id, field, types)


def _replay(session: Session, ctx: TenantContext, key: str | None) -> Entry | None:
    """The entry an earlier request with this Idempotency-Key created, if any."""
    repo = TransactionRepository(session, ctx.tenant_id)
    txn = repo.by_idempotency_key(key) if key else None
    return None if txn is None else (txn, repo.postings_of(txn.id))


def _post(
    session: Session,
    ctx: TenantContext,
    data: SimpleTransactionCreate | JournalTransactionCreate,
    lines: list[Line],
    key: str | None,
) -> Entry:
    entry = new_entry(ctx.tenant_id, data, lines, key=key, now=utcnow())
    balances.post_entries(session, ctx.tenant_id, [entry])
    record_created(session, ctx, entry)
    return entry


def new_entry(
    tenant_id: uuid.UUID,
    data: SimpleTransactionCreate | JournalTransactionCreate,
    lines: list[Line],
    *,
    key: str | None,
    now: datetime,
) -> Entry:
    """The rows of a new entry, not yet written (`balances.post_entries` writes them)."""
    legs = [Leg(line.account.id, line.account.type, line.amount) for line in lines]
    size = gross([line.amount for line in lines])
    txn = Transaction(
        id=new_id(),
        tenant_id=tenant_id,
        occurred_on=data.date,
        description=data.description,
        payee=data.payee,
        notes=data.notes,
        tags=encode_tags(data.tags),
        status=data.status,
        kind=entry_kind(legs),
        idempotency_key=key,
        amount=size.minor_units,
        currency=size.currency,
        deleted_at=None,
        created_at=now,
        updated_at=now,
    )
    postings = [_posting(txn, i, line, data.date) for i, line in enumerate(lines)]
    for posting in postings:
        posting.id = new_id()
    return txn, postings


def record_created(session: Session, ctx: TenantContext, entry: Entry) -> None:
    audit_service.record(session, ctx, **created_event(entry))


def created_event(entry: Entry) -> audit_service.EventFields:
    """What the audit trail records of a new entry (`audit_service.record`'s keywords)."""
    txn, postings = entry
    return {
        "action": "transaction.create",
        "resource_type": "transaction",
        "resource_id": txn.id,
        "after": snapshot(txn, postings),
    }


def write_lines(session: Session, txn: Transaction, lines: list[Line]) -> list[Posting]:
    """Store `lines` as the postings of `txn` on its date, derive its kind and gross
    amount from them, and add them to the balance snapshots."""
    legs = [Leg(line.account.id, line.account.type, line.amount) for line in lines]
    txn.kind = entry_kind(legs)
    size = gross([line.amount for line in lines])
    txn.amount, txn.currency = size.minor_units, size.currency
    session.flush()  # the transaction row exists before its postings refer to it
    repo = TransactionRepository(session, txn.tenant_id)
    postings = [_posting(txn, i, line, txn.occurred_on) for i, line in enumerate(lines)]
    for posting in postings:
        repo.add(posting)
    session.flush()
    balances.apply_postings(session, txn.tenant_id, postings, sign=1)
    return postings


def _posting(txn: Transaction, position: int, line: Line, on: date) -> Posting:
    return Posting(
        tenant_id=txn.tenant_id,
        transaction_id=txn.id,
        account_id=line.account.id,
        position=position,
        amount=line.amount.minor_units,
        currency=line.amount.currency,
        rate=line.rate,
        memo=line.memo,
        occurred_on=on,
    )


def encode_tags(tags: list[str]) -> str:
    unique = sorted({t.strip().lower() for t in tags if t.strip()})
    return f",{','.join(unique)}," if unique else ""


def decode_tags(stored: str) -> list[str]:
    return [t for t in stored.split(",") if t]


def snapshot(txn: Transaction, postings: list[Posting]) -> dict[str, Any]:
    """What the audit trail records of an entry, before and after a change."""
    return {
        "date": txn.occurred_on.isoformat(),
        "description": txn.description,
        "payee": txn.payee,
        "notes": txn.notes,
        "status": txn.status,
        "kind": txn.kind,
        "tags": decode_tags(txn.tags),
        "deleted": txn.deleted_at is not None,
        "postings": [
            {
                "account_id": str(p.account_id),
                "amount": minor_units_json(p.amount, p.currency),
                "currency": p.currency,
            }
            for p in postings
        ],
    }


def simple_view(txn: EntryHead, postings: Sequence[EntryLeg]) -> SimpleView | None:
    """The people's view of a two-leg entry whose kind was derived when it was posted."""
    fields = simple_fields(txn, postings)
    return None if fields is None else SimpleView(**fields)


def simple_fields(txn: EntryHead, postings: Sequence[EntryLeg]) -> dict[str, Any] | None:
    """`simple_view`'s fields as plain values, in its order (what a list page renders)."""
    if txn.kind == "journal" or len(postings) != 2:
        return None
    debit, credit = sorted(postings, key=lambda p: p.amount < 0)
    account, other = (debit, credit) if txn.kind == "income" else (credit, debit)
    transfer = txn.kind == "transfer"
    return {
        "type": txn.kind,
        "amount": minor_units_json(debit.amount, debit.currency),
        "currency": debit.currency,
        "account_id": account.account_id,
        "category_id": None if transfer else other.account_id,
        "transfer_account_id": other.account_id if transfer else None,
    }


def get_transaction(
    session: Session, ctx: TenantContext, transaction_id: uuid.UUID
) -> tuple[Transaction, list[Posting]]:
    repo = TransactionRepository(session, ctx.tenant_id)
    txn = repo.get(transaction_id)
    if txn is None:
        raise TransactionNotFound()
    return txn, repo.postings_of(txn.id)


def list_transactions(
    session: Session, ctx: TenantContext, filters: TransactionFilters, *, page: int, limit: int
) -> tuple[list[tuple[Transaction, list[Posting]]], int]:
    repo = TransactionRepository(session, ctx.tenant_id)
    rows, total = repo.page(filters, page=page, limit=limit)
    postings = repo.postings_of_many([t.id for t in rows])
    return [(t, postings.get(t.id, [])) for t in rows], total


def set_deleted(
    session: Session, ctx: TenantContext, transaction_id: uuid.UUID, *, deleted: bool
) -> Transaction:
    """Soft delete (or restore): the entry stays, flagged, and can be brought back."""
    txn, postings = get_transaction(session, ctx, transaction_id)
    if (txn.deleted_at is not None) == deleted:
        return txn  # already in that state: nothing to change, nothing to count twice
    before = snapshot(txn, postings)
    txn.deleted_at = utcnow() if deleted else None
    session.flush()
    balances.apply_postings(session, ctx.tenant_id, postings, sign=-1 if deleted else 1)
    audit_service.record(
        session,
        ctx,
        action="transaction.delete" if deleted else "transaction.restore",
        resource_type="transaction",
        resource_id=txn.id,
        before=before,
        after=snapshot(txn, postings),
    )
    return txn
