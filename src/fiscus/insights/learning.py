"""Keeping the model in step with the books: what is learned, when, and exactly.

A transaction is a *confirmed example* when it is a live simple income or expense entry
whose category is not one of the tenant's Uncategorised categories, unless the model
put it there itself and nobody has confirmed it since (its suggestion is `auto`). So a
category set by hand (a new entry, an edit, a bulk edit, a rule the user wrote), or a
suggestion confirmed or corrected in the review queue, is learned; an automatic apply
is not, until the user confirms it.

`sync` reconciles the stored examples of some transactions with what the books say
now: an example that no longer holds is unlearned (its stored text, amount, date and
account give exactly the counts it added), a new one is learned, a changed one moves.
It runs immediately for review decisions. Changes made elsewhere in the ledger are not
learned in the request that makes them (learning cost more than the write itself): the
ledger's postings listener collects the entries whose legs changed, a `before_commit`
hook queues them in one statement (`repository_pending`; leaving out lines on an
Uncategorised category that were never learned; new entries written on the ledger's
fixed-shape path are queued by the write's own statement instead, an entry rider of
`repository_writes.with_new_entries`, and left out then), and `catch_up` learns the
queue before the model is next read — by a suggestion, the review queue, the model's status, an
import's or `POST /categorise`'s categorisation. What a user can observe of the model is
therefore always exactly what the books say, and writes stay cheap.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Sequence

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from fiscus.core.clock import utcnow
from fiscus.core.context import TenantContext
from fiscus.insights import features as ft
from fiscus.insights.changes import Changes
from fiscus.insights.model import Model
from fiscus.insights.models import InsightsExample
from fiscus.insights.repository import EntryRow, InsightsRepository, chunks
from fiscus.insights.repository_pending import PendingRepository
from fiscus.ledger import events, repository_writes
from fiscus.ledger import service as ledger_service
from fiscus.ledger.models import Posting, Transaction

Progress = Callable[[int, int], None]
SYSTEM_ROLE = "system"  # the context of listeners and jobs: no user
_PENDING = "fiscus.insights.pending"  # session.info: tenant id -> Changes
# session.info: tenant id -> entries the write's statement queued in this unit of work
# (since the queue was last taken): in `insights_pending` already, whatever happens next
_QUEUED = "fiscus.insights.queued"


def system_context(tenant_id: uuid.UUID) -> TenantContext:
    return TenantContext(tenant_id=tenant_id, user_id=None, role=SYSTEM_ROLE)


def uncategorised(session: Session, tenant_id: uuid.UUID) -> frozenset[uuid.UUID]:
    return frozenset(ledger_service.uncategorised_ids(session, system_context(tenant_id)))


def _features(row: EntryRow | InsightsExample) -> tuple[int, ...]:
    text, meta = ft.features(
        row.payee, row.description, row.amount, row.occurred_on, row.account_id
    )
    return (*text, *meta)


class _Deltas:
    """Signed count changes gathered over many examples, written in one upsert."""

    def __init__(self) -> None:
        self.features: Counter[tuple[uuid.UUID, int]] = Counter()
        self.classes: dict[uuid.UUID, tuple[int, int]] = {}

    def add(self, category_id: uuid.UUID, found: tuple[int, ...], sign: int) -> None:
        for feature in found:
            self.features[(category_id, feature)] += sign
        examples, total = self.classes.get(category_id, (0, 0))
        self.classes[category_id] = (examples + sign, total + sign * len(found))

    def write(self, repo: InsightsRepository) -> None:
        repo.add_counts(dict(self.features), self.classes)


def _same(example: InsightsExample, row: EntryRow) -> bool:
    return (
        example.category_id,
        example.account_id,
        example.payee,
        example.description,
        example.amount,
        example.occurred_on,
    ) == (row.category_id, row.account_id, row.payee, row.description, row.amount, row.occurred_on)


def _example(tenant_id: uuid.UUID, row: EntryRow) -> InsightsExample:
    return InsightsExample(
        tenant_id=tenant_id,
        transaction_id=row.transaction_id,
        category_id=row.category_id,
        account_id=row.account_id,
        payee=row.payee,
        description=row.description,
        amount=row.amount,
        occurred_on=row.occurred_on,
    )


def sync(session: Session, tenant_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> int:
    """Learn and unlearn so that the examples of `ids` match the books; returns how many
    examples changed. Queued suggestions of entries categorised meanwhile are settled."""
    repo = InsightsRepository(session, tenant_id)
    skip = uncategorised(session, tenant_id)
    changed = 0
    for part in chunks(list(dict.fromkeys(ids))):
        entries = repo.entries(part)
        examples = repo.examples(part)
        suggestions = repo.suggestions(part)
        deltas = _Deltas()
        for txn_id in part:
            row, old = entries.get(txn_id), examples.get(txn_id)
            suggestion = suggestions.get(txn_id)
            categorised = row if row and row.category_id not in skip else None
            # the model's own apply, still where it put it: not an example until confirmed
            unconfirmed = (
                suggestion is not None
                and suggestion.status == "auto"
                and categorised is not None
                and categorised.category_id == suggestion.category_id
            )
            wanted = None if unconfirmed else categorised
            if wanted and suggestion is not None and suggestion.status in ("queued", "auto"):
                # decided elsewhere (the transactions page, a rule): it leaves the queue
                same = suggestion.category_id == wanted.category_id
                suggestion.status = "confirmed" if same else "corrected"
                suggestion.decided_at = utcnow()
            if old is not None and wanted is not None and _same(old, wanted):
                continue
            if old is not None:
                deltas.add(old.category_id, _features(old), -1)
                session.delete(old)
            if wanted is not None:
                deltas.add(wanted.category_id, _features(wanted), 1)
                session.add(_example(tenant_id, wanted))
            changed += 1
        session.flush()
        deltas.write(repo)
    return changed


def retrain(session: Session, tenant_id: uuid.UUID, progress: Progress) -> int:
    """Forget everything and learn every confirmed example again; returns how many."""
    repo = InsightsRepository(session, tenant_id)
    repo.forget_model()
    PendingRepository(session, tenant_id).take()  # relearning everything covers them
    session.info.get(_PENDING, {}).pop(tenant_id, None)
    session.info.get(_QUEUED, {}).pop(tenant_id, None)
    session.flush()
    ids = repo.all_entry_ids()
    done = 0
    for part in chunks(ids, 5_000):
        sync(session, tenant_id, part)
        done += len(part)
        progress(done, len(ids))
    return repo.example_count()


def load_model(
    repo: InsightsRepository, groups: dict[uuid.UUID, str], needed: set[int] | None = None
) -> Model:
    """The tenant's model, with only the counts of `needed` features when given. Callers
    `catch_up` first, at the start of their use case (its queue settles suggestions too)."""
    classes = repo.classes()
    if needed is None:
        return Model(classes, repo.counts(), groups=groups)
    return Model(
        classes, repo.counts_of(sorted(needed)), vocabulary=repo.vocabulary(), groups=groups
    )


# --- changes made elsewhere in the ledger ---------------------------------------------


def pending(session: Session, tenant_id: uuid.UUID) -> Changes:
    """What this unit of work changed of the tenant's entries (queued at commit)."""
    found: Changes = session.info.setdefault(_PENDING, {}).setdefault(tenant_id, Changes())
    return found


def catch_up(session: Session, tenant_id: uuid.UUID) -> int:
    """Learn every queued entry of the tenant, this unit of work's included, so that the
    model read next is exactly the retrained one; returns how many examples changed."""
    mine = session.info.get(_PENDING, {}).pop(tenant_id, None)
    session.info.get(_QUEUED, {}).pop(tenant_id, None)  # taken below: changes count again
    queue = PendingRepository(session, tenant_id)
    if mine is not None:
        queue.queue(mine.to_learn())
    ids = queue.take()
    return sync(session, tenant_id, ids) if ids else 0


@events.quiet_in_pipelined_writes  # a new entry's row: the rider below
@events.on_postings_applied
def _postings_applied(
    session: Session, tenant_id: uuid.UUID, postings: list[Posting], sign: int
) -> None:
    # The ledger has just read these accounts; it knows which are Uncategorised.
    skip = ledger_service.uncategorised_among(session, tenant_id, {p.account_id for p in postings})
    legs = ((posting.transaction_id, posting.account_id in skip) for posting in postings)
    pending(session, tenant_id).applied(legs, sign)


def _new_entries_to_learn(
    entries: Sequence[Transaction], postings: Sequence[Posting], uncategorised: frozenset[uuid.UUID]
) -> list[uuid.UUID]:
    """The new entries the queue needs, written by the entries' own statement: those
    `Changes` would queue at commit — a new entry is quiet only on an Uncategorised
    category."""
    quiet = {p.transaction_id for p in postings if p.account_id in uncategorised}
    return [entry.id for entry in entries if entry.id not in quiet]


def _queued_with_write(session: Session, tenant_id: uuid.UUID, ids: list[uuid.UUID]) -> None:
    # Once queued, nothing later in the unit of work needs to queue them again
    # (`catch_up` learns an entry as the books say then).
    queued: set[uuid.UUID] = session.info.setdefault(_QUEUED, {}).setdefault(tenant_id, set())
    queued.update(ids)


repository_writes.with_new_entries(
    repository_writes.EntryRider(
        "insights.pending", "insights_pending", _new_entries_to_learn, _queued_with_write
    )
)


@events.on_account_replaced
def _account_replaced(
    session: Session, tenant_id: uuid.UUID, old_id: uuid.UUID, new_id: uuid.UUID
) -> None:
    pending(session, tenant_id).mark(InsightsRepository(session, tenant_id).examples_of(old_id))


@event.listens_for(Session, "before_flush")
def _texts_edited(session: Session, _context: object, _instances: object) -> None:
    """An entry's payee or description edited in place (no postings change) alters
    what an example of it would teach: queue it too."""
    for obj in session.dirty:
        if isinstance(obj, Transaction) and any(
            inspect(obj).attrs[name].history.has_changes() for name in ("payee", "description")
        ):
            pending(session, obj.tenant_id).mark([obj.id])


@event.listens_for(Session, "before_commit")
def _queue_before_commit(session: Session) -> None:
    waiting: dict[uuid.UUID, Changes] = session.info.pop(_PENDING, {})
    queued: dict[uuid.UUID, set[uuid.UUID]] = session.info.pop(_QUEUED, {})
    for tenant_id, changes in waiting.items():
        done = queued.get(tenant_id, set())
        if ids := [i for i in changes.to_learn() if i not in done]:
            PendingRepository(session, tenant_id).queue(ids)


@event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_QUEUED, None)
