"""The categoriser on a bank import's lines *before* they are booked.

`categorise` (service.py) works on booked entries: it reads them back, predicts, moves
the confident ones' legs with `bulk_edit` and writes a suggestion per entry. For an
import this is `suggest_lines` on the lines as the entry rows they are about to become
(after the rules), so each line is booked once with its final category, then `record`
writes the suggestions set-based. The decisions are the ones `categorise` would make
on the same entries right after `apply_rules`:

- the same lines are considered: those the rules left on an Uncategorised category;
- the same model: `categorise` catches the learning queue up first, which learns the
  lines the rules categorised (they are confirmed examples). They are not booked yet,
  so their counts are added to the loaded model in memory, exactly as `sync` would
  add them; the books learn them for real from the queue after the commit (the ledger's
  postings listener queues them), as they did before;
- the same threshold and the same `auto` / `queued` marks, the suggestion's previous
  category the line's Uncategorised one (where an undo of an automatic apply goes).

Predictions are memoised per distinct text and per distinct text+amount+day+account by
the model itself; a bank file repeats its merchants, so 100,000 lines cost a few
thousand scorings.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from fiscus.core.clock import utcnow
from fiscus.core.context import TenantContext
from fiscus.insights import features as ft
from fiscus.insights import learning
from fiscus.insights.model import ClassStats, Model, Ranked
from fiscus.insights.models import InsightsFeature, InsightsSuggestion
from fiscus.insights.repository import EntryRow, InsightsRepository, chunks
from fiscus.insights.service import (
    Catalogue,
    CategoriseOutcome,
    auto_category,
    catalogue,
    needed_features,
    predict,
    settings_of,
)

_SUGGESTION = cast(Table, InsightsSuggestion.__table__)


@dataclass(slots=True)
class LineSuggestions:
    """What the model decided for the lines it considered."""

    considered: list[EntryRow] = field(default_factory=list)
    ranked: dict[uuid.UUID, Ranked] = field(default_factory=dict)
    applied: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)  # line -> category

    def outcome(self) -> CategoriseOutcome:
        n, applied = len(self.considered), len(self.applied)
        return CategoriseOutcome(n, applied, n - applied)


def suggest_lines(
    session: Session,
    ctx: TenantContext,
    lines: Sequence[EntryRow],
    learned: Sequence[EntryRow],
) -> LineSuggestions:
    """Suggestions for `lines` (not booked yet); `learned` are the batch's lines the
    rules categorised, which the model knows before it predicts (see the module doc)."""
    learning.catch_up(session, ctx.tenant_id)
    repo = InsightsRepository(session, ctx.tenant_id)
    cats = catalogue(session, repo)
    found = LineSuggestions([r for r in lines if r.category_id in cats.uncategorised])
    if not found.considered:
        return found
    examples = [r for r in learned if _teaches(r, cats)]
    classes = repo.classes()
    # A line of a kind (and currency) the model knows no category of gets no suggestion
    # (`Model.predict` answers `()`): such lines need no features and no counts.
    known = {cats.groups[c] for c, s in classes.items() if s.examples > 0 and c in cats.groups}
    known.update(cats.groups[r.category_id] for r in examples if r.category_id in cats.groups)
    todo = [r for r in found.considered if cats.group_of(r) in known]
    model = _model(repo, cats, classes, todo, examples)
    setting = settings_of(repo)
    for row in found.considered:
        if cats.group_of(row) not in known:
            found.ranked[row.transaction_id] = ()
            continue
        ranked = found.ranked[row.transaction_id] = predict(model, cats, row)
        if (applied := auto_category(setting, row, ranked)) is not None:
            found.applied[row.transaction_id] = applied
    return found


def _teaches(row: EntryRow, cats: Catalogue) -> bool:
    """A confirmed example: on a real (not Uncategorised) income or expense category."""
    return row.category_id in cats.every_group and row.category_id not in cats.uncategorised


def _model(
    repo: InsightsRepository,
    cats: Catalogue,
    classes: dict[uuid.UUID, ClassStats],
    todo: list[EntryRow],
    learned: list[EntryRow],
) -> Model:
    """The tenant's model with only the counts `todo` needs, plus `learned` as examples."""
    if not todo:
        return Model({}, (), vocabulary=0, groups=cats.groups)
    needed = needed_features(todo)
    classes = dict(classes)
    counts: Counter[tuple[uuid.UUID, int]] = Counter()
    for category, feature, count in repo.counts_of(sorted(needed)):
        counts[(category, feature)] += count
    # The learned lines repeat their merchants: count each distinct (category, text
    # features) and (category, other features) once, then add its features that often.
    texts: Counter[tuple[uuid.UUID, frozenset[int]]] = Counter()
    metas: Counter[tuple[uuid.UUID, tuple[int, ...]]] = Counter()
    for row in learned:
        text_part, meta = ft.features(
            row.payee, row.description, row.amount, row.occurred_on, row.account_id
        )
        texts[(row.category_id, text_part)] += 1
        metas[(row.category_id, meta)] += 1
        stats = classes.get(row.category_id, ClassStats(0, 0))
        total = stats.feature_total + len(text_part) + len(meta)
        classes[row.category_id] = ClassStats(stats.examples + 1, total)
    added: set[int] = set()
    for (category, features), times in (*texts.items(), *metas.items()):
        added.update(features)
        for feature in features:
            counts[(category, feature)] += times
    vocabulary = repo.vocabulary() + len(added - _known(repo, added))
    return Model(
        classes,
        ((c, f, n) for (c, f), n in counts.items() if f in needed),
        vocabulary=vocabulary,
        groups=cats.groups,
    )


def _known(repo: InsightsRepository, features: set[int]) -> set[int]:
    """Which of `features` the stored model has a row for (what `vocabulary` counts)."""
    known: set[int] = set()
    for part in chunks(sorted(features), 5_000):
        query = select(func.distinct(InsightsFeature.feature)).where(
            InsightsFeature.tenant_id == repo.tenant_id, InsightsFeature.feature.in_(part)
        )
        known.update(repo.session.scalars(query))
    return known


def record(session: Session, ctx: TenantContext, found: LineSuggestions) -> CategoriseOutcome:
    """Once the lines are booked: their suggestions (new entries: nothing to replace),
    and the model's own applies taken off the learning queue (they teach nothing until
    the user confirms them)."""
    if found.considered:
        if session.get_bind().dialect.name == "postgresql":
            _pg_insert(session, ctx.tenant_id, found)
        else:
            now, memo = utcnow(), dict[Ranked, str]()
            rows = [_suggestion_row(ctx.tenant_id, r, found, memo, now) for r in found.considered]
            for part in chunks(rows):
                session.execute(insert(_SUGGESTION), list(part))
    learning.pending(session, ctx.tenant_id).forget(found.applied)
    return found.outcome()


def _alternatives(ranked: Ranked, memo: dict[Ranked, str]) -> str:
    """The stored alternatives; the model memoises its answers, so they repeat."""
    found = memo.get(ranked)
    if found is None:
        found = memo[ranked] = json.dumps([[str(c), round(p, 6)] for c, p in ranked[1:4]])
    return found


def _suggestion_row(
    tenant_id: uuid.UUID,
    row: EntryRow,
    found: LineSuggestions,
    memo: dict[Ranked, str],
    now: datetime,
) -> dict[str, Any]:
    ranked = found.ranked[row.transaction_id]
    best = ranked[0] if ranked else None
    return {
        "id": uuid.uuid4(),
        "tenant_id": tenant_id,
        "transaction_id": row.transaction_id,
        "category_id": best[0] if best else None,
        "confidence": best[1] if best else 0.0,
        "alternatives": _alternatives(ranked, memo),
        "status": "auto" if row.transaction_id in found.applied else "queued",
        "previous_category_id": row.category_id,
        "created_at": now,
        "decided_at": None,
    }


# One statement over arrays per 20,000 lines on PostgreSQL (its text never changes with
# the row count); ids, tenant and time filled in by the statement, not per row here.
_PG_INSERT = """
INSERT INTO insights_suggestion (id, tenant_id, transaction_id, category_id, confidence,
  alternatives, status, previous_category_id, created_at)
SELECT gen_random_uuid(), CAST(:tenant AS uuid), u.txn, u.category, u.confidence,
  u.alternatives, u.status, u.previous, CAST(:now AS timestamptz)
FROM unnest(CAST(:txn AS uuid[]), CAST(:category AS uuid[]), CAST(:confidence AS float8[]),
  CAST(:alternatives AS text[]), CAST(:status AS text[]), CAST(:previous AS uuid[]))
  AS u(txn, category, confidence, alternatives, status, previous)
"""


def _pg_insert(session: Session, tenant_id: uuid.UUID, found: LineSuggestions) -> None:
    now, memo = utcnow(), dict[Ranked, str]()
    for part in chunks(found.considered, 20_000):
        params: dict[str, Any] = {"tenant": tenant_id, "now": now}
        columns: dict[str, list[Any]] = {
            k: [] for k in ("txn", "category", "confidence", "alternatives", "status", "previous")
        }
        for row in part:
            ranked = found.ranked[row.transaction_id]
            columns["txn"].append(row.transaction_id)
            columns["category"].append(ranked[0][0] if ranked else None)
            columns["confidence"].append(ranked[0][1] if ranked else 0.0)
            columns["alternatives"].append(_alternatives(ranked, memo))
            columns["status"].append("auto" if row.transaction_id in found.applied else "queued")
            columns["previous"].append(row.category_id)
        session.execute(text(_PG_INSERT), params | columns)
