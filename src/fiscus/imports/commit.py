"""Booking an import (the body of its commit job) and taking it back (undo).

A commit is one unit of work: the lines are the upload's parse of the file with the
stored mapping (`staged.py`; the file is read again if that parse is not this file's
with this mapping and currency), exact duplicates are recomputed against what is booked
*now* (so two commits of one file, or of two files sharing lines, book each line once),
fuzzy ones follow the user's decisions, rows in error are skipped (or the whole import
refused with `all_or_nothing`); the import lines are stored while the tenant's rules
then the categoriser decide each remaining line's category, payee and tags
(`decide.py`), and the lines are booked once, set-based, through `ledger_service.bulk_post`
with what was decided (a line no rule or suggestion placed stays on the Uncategorised
category of its sign); closing statement balances become anchors, the rules' transfers
and the suggestions are written, and one audit event records it. On PostgreSQL the
lines' insert and the booking each run in a second thread on the unit's connection
while this one works (`overlap.py`). Any failure rolls all of it back.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.context import TenantContext
from fiscus.core.errors import Conflict, DomainError, InvalidInput
from fiscus.core.ids import new_id
from fiscus.core.money import Money
from fiscus.imports import decide, duplicates, overlap, presets, reading, staged
from fiscus.imports.models import BankImport
from fiscus.imports.parsers import Mapping, StatementBalance
from fiscus.imports.repository import ImportRepository
from fiscus.insights import batch as insights_batch
from fiscus.insights import service as insights_service
from fiscus.ledger import anchors as ledger_anchors
from fiscus.ledger import service as ledger_service
from fiscus.ledger.models import Account
from fiscus.ledger.schemas_balances import AnchorCreate
from fiscus.rules import service_import as rules_import

Progress = Callable[[int, int | None], None]
STEPS = 7  # progress: read, duplicates, decided, booked, lines+anchors, rules+suggestions, done
AUDIT_IDS_LIMIT = 1000  # above this the event carries the ids' digest (import_line has them)


class RowsInError(InvalidInput):
    """Some rows cannot be booked, and the import was asked to be all or nothing."""

    code = "rows_in_error"


class ImportNotCommittable(Conflict):
    """The import is not waiting to be committed."""

    code = "import_not_committable"


@dataclass(slots=True)
class Outcome:
    created: list[uuid.UUID] = field(default_factory=list)
    duplicates: int = 0
    skipped: int = 0
    errors: int = 0
    lines: list[dict[str, object]] = field(default_factory=list)


def run(
    session: Session,
    ctx: TenantContext,
    bank_import: BankImport,
    *,
    decisions: dict[int, str],
    all_or_nothing: bool,
    progress: Progress,
) -> dict[str, Any]:
    """Book the import; its result (counts, anchors, categorisation) is returned and stored."""
    account = ledger_service.get_account(session, ctx, bank_import.account_id)
    mapping = Mapping.from_json(json.loads(bank_import.mapping))
    read = _staged(bank_import, mapping, account.currency)
    progress(1, STEPS)
    if read.errors and all_or_nothing:
        lines = sorted({e.line_no for e in read.errors})
        raise RowsInError(f"Rows in error (all or nothing asked): lines {line_list(lines)}.")
    candidates = duplicates.find(session, ctx, account.id, read.lines)
    progress(2, STEPS)
    outcome, to_book = _outcome(ctx, bank_import, read, candidates, decisions)
    categories = _categories(session, ctx, account, list(to_book.values()))
    # The lines need no decision (an import line names its entry by the id given above,
    # with no key to it): staged now, inserted while the rules and the model decide.
    writer = ImportRepository(session, ctx.tenant_id).line_writer()
    writer.stage(outcome.lines)
    with overlap.Behind(session, writer.finish) as inserting:
        decided, entries = _decide(session, ctx, account, to_book, categories, inserting.start)
    progress(3, STEPS)
    on_postgresql = session.get_bind().dialect.name == "postgresql"
    staged = threading.Event()  # the entries copied: only the database's work is left
    _, prepared = overlap.alongside(
        session,
        lambda: ledger_service.bulk_post(
            session, ctx, account_id=account.id, entries=entries, staged=staged.set
        ),
        lambda: _prepare(ctx, outcome, decided, on_postgresql=on_postgresql),
        ready=staged,
    )
    progress(4, STEPS)
    anchors = _anchors(session, ctx, account, read.balances, bank_import)
    progress(5, STEPS)
    rules = rules_import.finish(session, ctx, decided.rules)
    categorised = insights_batch.record(session, ctx, decided.suggestions, prepared.suggestions)
    if rules.categorised:  # what the rules categorised is learned by a job after commit
        insights_service.learn_soon(session, ctx)
    progress(6, STEPS)
    counts = {
        "lines": len(read.lines) + len({e.line_no for e in read.errors}),
        "created": len(outcome.created),
        "duplicates": outcome.duplicates,
        "skipped": outcome.skipped,
        "errors": len({e.line_no for e in read.errors}),
    }
    result: dict[str, Any] = {
        "counts": counts,
        "anchors": anchors,
        "rules": {"changed": rules.changed, "categorised": rules.categorised},
        "categorisation": {"applied": categorised.applied, "queued": categorised.queued},
    }
    presets.remember(session, ctx, bank_import, mapping)
    _audit(session, ctx, "import.commit", bank_import, counts, prepared.ids, anchors)
    return result


@dataclass(frozen=True, slots=True)
class _Prepared:
    """What follows the booking, made while the database books (`overlap.alongside`)."""

    suggestions: list[dict[str, Any]] | None  # the suggestions' insert parameters
    ids: list[str]  # the created entries' ids, sorted, for the audit event


def _prepare(
    ctx: TenantContext, outcome: Outcome, decided: decide.Decided, *, on_postgresql: bool
) -> _Prepared:
    """Pure Python: touches neither the session nor any ORM object (the booking thread
    has them)."""
    found = decided.suggestions
    return _Prepared(
        suggestions=insights_batch.prepare(ctx, found)
        if on_postgresql and found.considered
        else None,
        ids=sorted(str(t) for t in outcome.created),
    )


def _staged(bank_import: BankImport, mapping: Mapping, currency: str) -> staged.Staged:
    """The upload's parse if it is this file's with this mapping and currency, else the
    file read again (an import uploaded before the parse was kept)."""
    stored_key = staged.key(bank_import.content_sha256, mapping, currency)
    found = staged.decode(bank_import.parsed, stored_key)
    if found is not None:
        return found
    assert bank_import.content is not None, "a committable import keeps its file"
    read = reading.read(bank_import.content, bank_import.filename, mapping, currency)
    return staged.of_reading(read)


def _outcome(
    ctx: TenantContext,
    bank_import: BankImport,
    read: staged.Staged,
    candidates: dict[int, duplicates.Candidate],
    decisions: dict[int, str],
) -> tuple[Outcome, dict[uuid.UUID, reading.BankLine]]:
    """Each line's import line (created, duplicate, error); those to book by the id of
    the entry each will be."""
    outcome = Outcome()
    to_book: dict[uuid.UUID, reading.BankLine] = {}
    for line in read.lines:
        candidate = candidates.get(line.line_no)
        decision = decisions.get(line.line_no)
        if candidate is not None and (decision or _default(candidate)) == "skip":
            status, txn_id = "duplicate", None
            outcome.duplicates += 1
        else:
            status, txn_id = "created", new_id()
            outcome.created.append(txn_id)
            to_book[txn_id] = line
        outcome.lines.append(_line_row(ctx, bank_import, line, txn_id, status))
    for line_no in sorted({e.line_no for e in read.errors}):
        outcome.lines.append(_error_row(ctx, bank_import, line_no))
    outcome.skipped = outcome.duplicates
    return outcome, to_book


def _decide(
    session: Session,
    ctx: TenantContext,
    account: Account,
    to_book: dict[uuid.UUID, reading.BankLine],
    categories: dict[bool, uuid.UUID],
    reads_done: Callable[[], None],
) -> tuple[decide.Decided, list[ledger_service.BulkEntry]]:
    """Each line not skipped as the entry it is booked as, once, with the category,
    payee and tags the rules and the categoriser decided for it (`decide`)."""
    decided = decide.decide(session, ctx, account, to_book, categories, reads_done)
    entries = []
    for txn_id, line in to_book.items():
        booking = decided.bookings[txn_id]
        entries.append(
            ledger_service.BulkEntry(
                transaction_id=txn_id,
                occurred_on=line.booked_on,
                description=line.description,
                payee=booking.payee,
                amount=line.amount,
                category_id=booking.category_id,
                tags=booking.tags,
            )
        )
    return decided, entries


def _default(candidate: duplicates.Candidate) -> str:
    if candidate.kind == "exact":
        return "skip"
    # A candidate the preview did not show (the books changed since): refuse rather than
    # guess; the user refreshes the preview and decides.
    raise UndecidedDuplicates(
        f"Line {candidate.line_no} may now be a duplicate of an entry booked since the "
        "preview: refresh the preview and decide it."
    )


class UndecidedDuplicates(InvalidInput):
    """Some lines may be duplicates of entries already in the books: decide each one
    (`import` or `skip`) in `decisions`."""

    code = "duplicates_undecided"


def _categories(
    session: Session, ctx: TenantContext, account: Account, lines: list[reading.BankLine]
) -> dict[bool, uuid.UUID]:
    """Uncategorised income (money in) and expense (money out), made only if a line to
    book needs it."""
    found: dict[bool, uuid.UUID] = {}
    for money_in in sorted({line.amount > 0 for line in lines}):
        kind: Literal["income", "expense"] = "income" if money_in else "expense"
        category = ledger_service.uncategorised_category(
            session, ctx, kind=kind, currency=account.currency
        )
        found[money_in] = category.id
    return found


def _line_row(
    ctx: TenantContext,
    bank_import: BankImport,
    line: reading.BankLine,
    transaction_id: uuid.UUID | None,
    status: str,
) -> dict[str, object]:
    return {
        "tenant_id": ctx.tenant_id,
        "import_id": bank_import.id,
        "line_no": line.line_no,
        "account_id": bank_import.account_id,
        "bank_ref": line.bank_ref,
        "fingerprint": line.fingerprint,
        "transaction_id": transaction_id,
        "status": status,
    }


def _error_row(ctx: TenantContext, bank_import: BankImport, line_no: int) -> dict[str, object]:
    return {
        "tenant_id": ctx.tenant_id,
        "import_id": bank_import.id,
        "line_no": line_no,
        "account_id": bank_import.account_id,
        "bank_ref": None,
        "fingerprint": "",
        "transaction_id": None,
        "status": "error",
    }


def _natural(account: Account, amount: Money) -> Money:
    """A bank states a card's debt as a negative balance; the ledger shows it positive."""
    return -amount if account.type in ("liability", "equity") else amount


def _anchors(
    session: Session,
    ctx: TenantContext,
    account: Account,
    balances: list[StatementBalance],
    bank_import: BankImport,
) -> list[dict[str, Any]]:
    """Each closing balance as an anchor of the account, with its validation (computed
    balance and difference). A day that already has an anchor keeps it, and is reported."""
    found: list[dict[str, Any]] = []
    for balance in sorted((b for b in balances if b.kind == "closing"), key=lambda b: b.on):
        amount = _natural(account, Money.parse(str(balance.amount), account.currency))
        existing = {a.date: a for a in ledger_anchors.list_anchors(session, ctx, account.id)}
        if balance.on in existing:
            found.append(_anchor_json(existing[balance.on], created=False))
            continue
        try:
            anchor = ledger_anchors.create_anchor(
                session,
                ctx,
                account.id,
                AnchorCreate(
                    date=balance.on,
                    balance=amount.to_json(),
                    description=f"Statement balance ({bank_import.filename})"[:500],
                ),
            )
        except DomainError as exc:  # e.g. dated after today: reported, not fatal
            found.append({"date": balance.on.isoformat(), "created": False, "error": exc.detail})
            continue
        found.append(_anchor_json(anchor, created=True))
    return found


def _anchor_json(anchor: Any, *, created: bool) -> dict[str, Any]:
    return {
        "id": str(anchor.id),
        "date": anchor.date.isoformat(),
        "balance": anchor.balance,
        "computed_balance": anchor.computed_balance,
        "difference": anchor.difference,
        "agrees": Money.parse(anchor.difference, anchor.currency).is_zero,
        "created": created,
    }


def line_list(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:50])
    return shown + (f" and {len(numbers) - 50} more" if len(numbers) > 50 else "")


def _audit(
    session: Session,
    ctx: TenantContext,
    action: str,
    bank_import: BankImport,
    counts: dict[str, int],
    ids: list[str],
    anchors: list[dict[str, Any]],
) -> None:
    """`ids`: the entries', sorted."""
    digest = hashlib.sha256("\n".join(ids).encode()).hexdigest()
    after: dict[str, Any] = {
        "account_id": str(bank_import.account_id),
        "filename": bank_import.filename,
        "counts": counts,
        "transactions_sha256": digest,
        "anchors": [a["id"] for a in anchors if a.get("created")],
    }
    if len(ids) <= AUDIT_IDS_LIMIT:
        after["transactions"] = ids
    audit_service.record(
        session,
        ctx,
        action=action,
        resource_type="bank_import",
        resource_id=bank_import.id,
        after=after,
    )


def undo(session: Session, ctx: TenantContext, bank_import: BankImport) -> dict[str, Any]:
    """Every entry the import created taken out (balances restored), and its anchors."""
    repo = ImportRepository(session, ctx.tenant_id)
    created = repo.created_transactions(bank_import.id)
    removed = ledger_service.bulk_delete(session, ctx, transaction_ids=created)
    repo.mark_undone(bank_import.id)
    result = json.loads(bank_import.result or "{}")
    anchors_removed = []
    for anchor in result.get("anchors", []):
        if anchor.get("created"):
            try:
                anchor_id = uuid.UUID(anchor["id"])
                ledger_anchors.delete_anchor(session, ctx, bank_import.account_id, anchor_id)
            except ledger_anchors.AnchorNotFound:
                continue  # the user deleted it already
            anchors_removed.append(anchor["id"])
    counts = {"removed": removed, "anchors_removed": len(anchors_removed)}
    ids = sorted(str(t) for t in created)
    _audit(session, ctx, "import.undo", bank_import, counts, ids, [])
    return {"removed": removed, "anchors_removed": anchors_removed}
