"""The review queue: suggestions read live from the current model, and decisions.

A decision on a queued suggestion sets the entry's category through the ledger's edit
use case (balances and audit follow) and is learned at once; on an automatic apply,
`confirm` keeps it and makes it an example, `correct` moves it and learns the right
category, `undo` moves it back to Uncategorised and queues it again.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.clock import utcnow
from fiscus.core.context import TenantContext
from fiscus.core.errors import Conflict, InvalidInput, NotFound
from fiscus.core.money import Money
from fiscus.insights import learning
from fiscus.insights.model import Ranked
from fiscus.insights.models import InsightsSuggestion
from fiscus.insights.repository import EntryRow, InsightsRepository
from fiscus.insights.schemas import Candidate, ReviewDecision, SuggestionRead
from fiscus.insights.service import (
    Catalogue,
    TransactionNotFound,
    catalogue,
    needed_features,
    predict,
)
from fiscus.ledger.schemas_transactions import TransactionUpdate
from fiscus.ledger.transactions_edit import update_transaction


class NotInReview(NotFound):
    """The transaction has no suggestion awaiting a decision."""

    code = "suggestion_not_found"


class AlreadyReviewed(Conflict):
    """The suggestion was already confirmed or corrected."""

    code = "suggestion_reviewed"


class NothingToConfirm(Conflict):
    """The model has no suggestion for this transaction; correct it with a category_id."""

    code = "nothing_to_confirm"


def _candidates(ranked: Ranked, cats: Catalogue) -> list[Candidate]:
    return [
        Candidate(category_id=c, category_name=cats.names.get(c, ""), confidence=round(p, 4))
        for c, p in ranked
    ]


def _read(
    row: EntryRow, ranked: Ranked, cats: Catalogue, stored: InsightsSuggestion | None
) -> SuggestionRead:
    candidates = _candidates(ranked, cats)
    if stored is not None and stored.status == "auto" and stored.category_id in cats.names:
        # An applied suggestion is shown as what was applied, with what it was sure of
        # (while that category exists: a suggestion keeps the id of a category deleted
        # or merged away since, which is then no suggestion of its own).
        applied = Candidate(
            category_id=stored.category_id,
            category_name=cats.names.get(stored.category_id, ""),
            confidence=round(stored.confidence, 4),
        )
        others = [c for c in candidates if c.category_id != applied.category_id]
        candidates = [applied, *others]
    return SuggestionRead(
        transaction_id=row.transaction_id,
        date=row.occurred_on,
        description=row.description,
        payee=row.payee,
        amount=Money.from_minor(row.amount, row.currency).to_json(),
        currency=row.currency,
        current_category_id=row.category_id,
        status=stored.status if stored is not None else None,
        suggestion=candidates[0] if candidates else None,
        alternatives=candidates[1:4],
        suggested_at=stored.created_at if stored is not None else None,
    )


def _reads(
    session: Session, repo: InsightsRepository, rows: list[EntryRow]
) -> list[SuggestionRead]:
    cats = catalogue(session, repo)
    model = learning.load_model(repo, cats.groups, needed_features(rows))
    stored = repo.suggestions([r.transaction_id for r in rows])
    return [_read(r, predict(model, cats, r), cats, stored.get(r.transaction_id)) for r in rows]


def suggestion_for(
    session: Session, ctx: TenantContext, transaction_id: uuid.UUID
) -> SuggestionRead:
    learning.catch_up(session, ctx.tenant_id)
    repo = InsightsRepository(session, ctx.tenant_id)
    row = repo.entries([transaction_id]).get(transaction_id)
    if row is None:
        raise TransactionNotFound()
    return _reads(session, repo, [row])[0]


def review_list(
    session: Session, ctx: TenantContext, *, status: str, offset: int, limit: int
) -> tuple[list[SuggestionRead], int]:
    """Queued (or automatically applied) suggestions, newest entries first."""
    learning.catch_up(session, ctx.tenant_id)  # settles what was categorised elsewhere
    repo = InsightsRepository(session, ctx.tenant_id)
    listed, total = repo.listed(status, offset=offset, limit=limit)
    entries = repo.entries([s.transaction_id for s in listed])
    rows = [entries[s.transaction_id] for s in listed if s.transaction_id in entries]
    return (_reads(session, repo, rows) if rows else []), total


def review(
    session: Session, ctx: TenantContext, transaction_id: uuid.UUID, data: ReviewDecision
) -> SuggestionRead:
    learning.catch_up(session, ctx.tenant_id)
    repo = InsightsRepository(session, ctx.tenant_id)
    stored = repo.suggestion(transaction_id)
    row = repo.entries([transaction_id]).get(transaction_id)
    if stored is None or row is None:
        raise NotInReview()
    if stored.status not in ("queued", "auto"):
        raise AlreadyReviewed()
    before = {"status": stored.status, "category_id": str(row.category_id)}
    target = _target(session, repo, stored, row, data)
    if target != row.category_id:
        update_transaction(session, ctx, transaction_id, TransactionUpdate(category_id=target))
    if data.action == "undo":
        stored.status, stored.decided_at = "queued", None
    else:
        kept = data.action == "confirm" or target == stored.category_id
        stored.status, stored.decided_at = ("confirmed" if kept else "corrected"), utcnow()
    session.flush()
    learning.pending(session, ctx.tenant_id).forget([transaction_id])
    learning.sync(session, ctx.tenant_id, [transaction_id])  # learned at once
    audit_service.record(
        session,
        ctx,
        action=f"insights.review.{data.action}",
        resource_type="transaction",
        resource_id=transaction_id,
        before=before,
        after={"status": stored.status, "category_id": str(target)},
    )
    return suggestion_for(session, ctx, transaction_id)


def _exists(session: Session, repo: InsightsRepository, category_id: uuid.UUID) -> bool:
    return category_id in catalogue(session, repo).names


def _target(
    session: Session,
    repo: InsightsRepository,
    stored: InsightsSuggestion,
    row: EntryRow,
    data: ReviewDecision,
) -> uuid.UUID:
    """The category the entry ends up in."""
    if data.action == "correct":
        if data.category_id is None:
            raise InvalidInput("is required to correct a suggestion", field="category_id")
        return data.category_id
    if data.category_id is not None:
        raise InvalidInput("is only taken by the correct action", field="category_id")
    if data.action == "undo":
        previous = stored.previous_category_id
        if stored.status != "auto" or previous is None or not _exists(session, repo, previous):
            # (the Uncategorised category it came from may have been deleted since)
            raise InvalidInput("only an automatic apply can be undone", field="action")
        return previous
    if stored.status == "auto":
        return row.category_id  # confirming what was applied
    cats = catalogue(session, repo)
    ranked = predict(learning.load_model(repo, cats.groups, needed_features([row])), cats, row)
    if not ranked:
        raise NothingToConfirm()
    return ranked[0][0]
