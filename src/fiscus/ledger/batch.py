"""Creating many transactions in one request: `POST /api/v1/transactions/batch`.

Up to `MAX_ENTRIES` entries, each in the simple or the journal form exactly as a single
POST takes it, all or nothing, in one unit of work. Every entry is validated first (the
shape of every entry, errors named `entries.{i}.{field}`), then checked against the
chart (one query for every account the batch names), then all are written together
(`balances.post_entries`: one set-based statement on PostgreSQL) and each gets its own
audit event, as if posted alone.

An `Idempotency-Key` is kept on each entry as `{key}#{i}`: a batch sent again with the
same key returns the entries the first one created, and writes nothing.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from fiscus.core.clock import utcnow
from fiscus.core.context import TenantContext
from fiscus.core.errors import InvalidInput
from fiscus.ledger import balances
from fiscus.ledger import transactions as single
from fiscus.ledger.repository_transactions import TransactionRepository
from fiscus.ledger.repository_writes import chart_accounts
from fiscus.ledger.schemas_transactions import JournalTransactionCreate, SimpleTransactionCreate

MAX_ENTRIES = 500
KEY_LENGTH = 90  # leaves room for "#{i}" in the 100 characters of a stored key

EntryForm = SimpleTransactionCreate | JournalTransactionCreate


class BatchInvalid(InvalidInput):
    """Some entries of the batch are not valid; nothing was created."""

    code = "batch_invalid"

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__()
        self.errors = errors


def parse_entries(entries: list[dict[str, Any]]) -> list[EntryForm]:
    """Each entry in its form; every invalid field of every entry named at once."""
    forms: list[EntryForm] = []
    errors: list[dict[str, Any]] = []
    for i, body in enumerate(entries):
        model: type[BaseModel] = (
            JournalTransactionCreate if "postings" in body else SimpleTransactionCreate
        )
        try:
            forms.append(model.model_validate(body))  # type: ignore[arg-type]
        except ValidationError as exc:
            errors.extend({**e, "loc": ("entries", i, *e["loc"])} for e in exc.errors())
    if errors:
        raise BatchInvalid(errors)
    return forms


def create_batch(
    session: Session, ctx: TenantContext, forms: list[EntryForm], *, key: str | None
) -> list[single.Entry]:
    """Post every entry, or none (the first refused entry names itself: `entries.{i}.…`)."""
    if key and (replayed := _replay(session, ctx, key, len(forms))):
        return replayed
    chart = chart_accounts(session, ctx.tenant_id, _account_ids(forms))
    now = utcnow()
    created: list[single.Entry] = []
    for i, form in enumerate(forms):
        try:
            lines = (
                single.journal_lines_in(chart, form.postings)
                if isinstance(form, JournalTransactionCreate)
                else single.simple_lines_in(chart, form)
            )
        except InvalidInput as exc:
            field = f"entries.{i}.{exc.field}" if exc.field else f"entries.{i}"
            raise type(exc)(exc.detail, field=field) from None
        entry_key = f"{key}#{i}" if key else None
        created.append(single.new_entry(ctx.tenant_id, form, lines, key=entry_key, now=now))
    balances.post_entries(session, ctx.tenant_id, created)
    for entry in created:
        single.record_created(session, ctx, entry)
    return created


def _account_ids(forms: list[EntryForm]) -> set[Any]:
    ids: set[Any] = set()
    for form in forms:
        if isinstance(form, JournalTransactionCreate):
            ids.update(p.account_id for p in form.postings)
        else:
            ids.update(single.simple_account_ids(form))
    return ids


def _replay(
    session: Session, ctx: TenantContext, key: str, count: int
) -> list[single.Entry] | None:
    repo = TransactionRepository(session, ctx.tenant_id)
    if repo.by_idempotency_key(f"{key}#0") is None:
        return None
    found = [repo.by_idempotency_key(f"{key}#{i}") for i in range(count)]
    return [(txn, repo.postings_of(txn.id)) for txn in found if txn is not None]
