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

Work is done per distinct *decision key*, not per line: a bank file repeats its
merchants, and lines that differ only in their digits (card, store and reference
numbers) normalise to the same text (`features.normalise` collapses every run of digits
to one `0`). A line's key is its payee and description with every ASCII digit made `0`
(`digit_key`: `normalise` gives the same text for both), the amount's and the day's
buckets, the account, the group its suggestion must come from and whether it is
reconciled — everything `predict` and `auto_category` read. The features are computed
once per distinct text key and per distinct amount/day/account, the prediction and the
decision once per distinct key; each line then looks its key up. The decisions are
exactly those of `predict` and `auto_category` on every line (property-tested:
`tests/insights/test_batch_distinct.py`).
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from fiscus.core.clock import utcnow
from fiscus.core.context import TenantContext
from fiscus.insights import features as ft
from fiscus.insights import learning
from fiscus.insights.model import ClassStats, Model, Ranked
from fiscus.insights.models import InsightsFeature, InsightsSetting, InsightsSuggestion
from fiscus.insights.repository import EntryRow, InsightsRepository, chunks
from fiscus.insights.service import (
    Catalogue,
    CategoriseOutcome,
    auto_category,
    catalogue,
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


_ZERO_DIGITS = bytes.maketrans(b"123456789", b"000000000")

TextKey = tuple[bytes, bytes]
MetaKey = tuple[str, str, uuid.UUID]


def digit_key(payee: str | None, description: str) -> TextKey:
    """The line's texts (UTF-8) with every ASCII digit `0`: `features.text_of` (which
    collapses each run of digits to one `0`) reads the same text from them as from the
    line's (`key_text`). Bytes, because `bytes.translate` is ten times `str.translate`'s
    speed; UTF-8 never uses the bytes of ASCII digits inside another character."""
    return (
        (payee or "").encode("utf-8", "surrogatepass").translate(_ZERO_DIGITS),
        description.encode("utf-8", "surrogatepass").translate(_ZERO_DIGITS),
    )


def key_text(key: TextKey) -> str:
    """The normalised text the model reads for a line of this key."""
    payee, description = (part.decode("utf-8", "surrogatepass") for part in key)
    return ft.text_of(payee, description)


def meta_key(row: EntryRow) -> MetaKey:
    return ft.amount_bucket(row.amount), ft.day_bucket(row.occurred_on), row.account_id


LineKey = tuple[TextKey, MetaKey]


def line_keys(rows: Sequence[EntryRow]) -> list[LineKey]:
    """(`digit_key`, `meta_key`) of each row, in order; the buckets once per distinct
    amount and day (a batch repeats them)."""
    amounts: dict[int, str] = {}
    days: dict[date, str] = {}
    keys: list[LineKey] = []
    for row in rows:
        amount = amounts.get(row.amount)
        if amount is None:
            amount = amounts[row.amount] = ft.amount_bucket(row.amount)
        day = days.get(row.occurred_on)
        if day is None:
            day = days[row.occurred_on] = ft.day_bucket(row.occurred_on)
        keys.append((digit_key(row.payee, row.description), (amount, day, row.account_id)))
    return keys


class Keyed:
    """Features per distinct text key and per distinct amount/day/account key."""

    def __init__(self) -> None:
        self.texts: dict[TextKey, frozenset[int]] = {}
        self.metas: dict[MetaKey, tuple[int, ...]] = {}

    def text(self, key: TextKey) -> frozenset[int]:
        found = self.texts.get(key)
        if found is None:
            found = self.texts[key] = ft.text_features(key_text(key))
        return found

    def meta(self, key: MetaKey) -> tuple[int, ...]:
        found = self.metas.get(key)
        if found is None:
            found = self.metas[key] = ft.meta_features(*key)
        return found

    def needed(self, rows: Sequence[EntryRow], keys: Sequence[LineKey] | None = None) -> set[int]:
        """`service.needed_features(rows)`, each distinct key's features once (`keys`:
        the rows' `line_keys`, when known)."""
        keys = line_keys(rows) if keys is None else keys
        texts = {text_key for text_key, _ in keys}
        metas = {meta for _, meta in keys}
        needed: set[int] = set()
        for text_key in texts:
            needed.update(self.text(text_key))
        for key in metas:
            needed.update(self.meta(key))
        return needed


def decide_lines(
    model: Model,
    cats: Catalogue,
    setting: InsightsSetting,
    rows: Sequence[EntryRow],
    keyed: Keyed | None = None,
    keys: Sequence[LineKey] | None = None,
) -> tuple[dict[uuid.UUID, Ranked], dict[uuid.UUID, uuid.UUID]]:
    """`predict` and `auto_category` on every row, worked out once per distinct key:
    (the ranking of each row, the category applied to those the model applies).
    `keys`: the rows' `line_keys`, when known."""
    keyed = keyed or Keyed()
    keys = line_keys(rows) if keys is None else keys
    ranked_of: dict[uuid.UUID, Ranked] = {}
    applied_of: dict[uuid.UUID, uuid.UUID] = {}
    done: dict[tuple[object, ...], tuple[Ranked, uuid.UUID | None]] = {}
    every_group = cats.every_group
    for row, (text_key, meta) in zip(rows, keys, strict=True):
        group = every_group.get(row.category_id, "")
        key = (text_key, meta, group, row.status == "reconciled")
        found = done.get(key)
        if found is None:
            ranked = model.predict(keyed.text(text_key), keyed.meta(meta), group)
            found = done[key] = (ranked, auto_category(setting, row, ranked))
        ranked_of[row.transaction_id] = found[0]
        if found[1] is not None:
            applied_of[row.transaction_id] = found[1]
    return ranked_of, applied_of


def suggest_lines(
    session: Session,
    ctx: TenantContext,
    lines: Sequence[EntryRow],
    learned: Sequence[EntryRow],
) -> LineSuggestions:
    """Suggestions for `lines` (not booked yet); `learned` are the batch's lines the
    rules categorised, which the model knows before it predicts (see the module doc).
    With no line to suggest for (a file whose every line is a duplicate) the learning
    queue is left to its job: catching up would only delay the import."""
    if not lines:
        return LineSuggestions([])
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
    keyed, keys = Keyed(), line_keys(todo)
    model = _model(repo, cats, classes, todo, examples, keyed, keys)
    ranked, applied = decide_lines(model, cats, settings_of(repo), todo, keyed, keys)
    for row in found.considered:  # in order; a line of an unknown group gets nothing
        found.ranked[row.transaction_id] = ranked.get(row.transaction_id, ())
    found.applied.update(applied)
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
    keyed: Keyed,
    keys: Sequence[LineKey] | None = None,
) -> Model:
    """The tenant's model with only the counts `todo` needs (`keys`: its `line_keys`,
    when known), plus `learned` as examples."""
    if not todo:
        return Model({}, (), vocabulary=0, groups=cats.groups)
    needed = keyed.needed(todo, keys)
    classes = dict(classes)
    counts: Counter[tuple[uuid.UUID, int]] = Counter()
    for category, feature, count in repo.counts_of(sorted(needed)):
        counts[(category, feature)] += count
    # The learned lines repeat their merchants: count each distinct (category, text key)
    # and (category, amount/day/account key) once, then add its features that often.
    text_keys: Counter[tuple[uuid.UUID, TextKey]] = Counter()
    meta_keys: Counter[tuple[uuid.UUID, MetaKey]] = Counter()
    for row, (text_key, meta_of) in zip(learned, line_keys(learned), strict=True):
        text_keys[(row.category_id, text_key)] += 1
        meta_keys[(row.category_id, meta_of)] += 1
    texts: Counter[tuple[uuid.UUID, frozenset[int]]] = Counter()
    metas: Counter[tuple[uuid.UUID, tuple[int, ...]]] = Counter()
    totals: Counter[uuid.UUID] = Counter()  # examples and feature total added per class
    examples: Counter[uuid.UUID] = Counter()
    for (category, text_key), times in text_keys.items():
        text_part = keyed.text(text_key)
        texts[(category, text_part)] += times
        totals[category] += times * len(text_part)
        examples[category] += times
    for (category, key), times in meta_keys.items():
        meta = keyed.meta(key)
        metas[(category, meta)] += times
        totals[category] += times * len(meta)
    for category, added_examples in examples.items():
        stats = classes.get(category, ClassStats(0, 0))
        classes[category] = ClassStats(
            stats.examples + added_examples, stats.feature_total + totals[category]
        )
    added: set[int] = set()
    learned_counts: list[tuple[tuple[uuid.UUID, Collection[int]], int]] = [
        *texts.items(),
        *metas.items(),
    ]
    for (category, features), times in learned_counts:
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


def record(
    session: Session,
    ctx: TenantContext,
    found: LineSuggestions,
    prepared: list[dict[str, Any]] | None = None,
) -> CategoriseOutcome:
    """Once the lines are booked: their suggestions (new entries: nothing to replace),
    and the model's own applies taken off the learning queue (they teach nothing until
    the user confirms them). `prepared`: `prepare(ctx, found)`, when the caller made it
    already (PostgreSQL)."""
    if found.considered:
        if session.get_bind().dialect.name == "postgresql":
            for params in prepare(ctx, found) if prepared is None else prepared:
                session.execute(text(_PG_INSERT), params)
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


# One statement per 20,000 lines on PostgreSQL (its text never changes with the row
# count); tenant and time filled in by the statement. Each column travels as ONE
# text parameter, split by the server (`string_to_array`): psycopg's dumping of Python
# lists element by element cost 2 s of CPU for 66,000 suggestions (a regex per element),
# the joins here ~0.1 s. The alternatives are JSON, which never holds a raw U+001F.
_PG_INSERT = """
INSERT INTO insights_suggestion (tenant_id, transaction_id, category_id, confidence,
  alternatives, status, previous_category_id, created_at)
SELECT CAST(:tenant AS uuid), u.txn, u.category, u.confidence,
  u.alternatives, u.status, u.previous, CAST(:now AS timestamptz)
FROM unnest(CAST(string_to_array(:txn, ',') AS uuid[]),
  CAST(string_to_array(:category, ',', '') AS uuid[]),
  CAST(string_to_array(:confidence, ',') AS float8[]),
  string_to_array(:alternatives, :unit), string_to_array(:status, ','),
  CAST(string_to_array(:previous, ',', '') AS uuid[]))
  AS u(txn, category, confidence, alternatives, status, previous)
"""
_UNIT = "\x1f"
# (A chunk of one line with no suggestion sends '' as its category: `string_to_array`
# makes that an empty array, which the multi-array `unnest` pads with NULL, as wanted.)


def prepare(ctx: TenantContext, found: LineSuggestions) -> list[dict[str, Any]]:
    """The PostgreSQL insert's parameters, one set per 20,000 lines: pure Python, so an
    import can make them while the database books its entries."""
    tenant_id, statements = ctx.tenant_id, []
    now, memo = utcnow(), dict[Ranked, str]()
    # Per ranking (the model answers one object per distinct key): its stored columns.
    columns_of: dict[int, tuple[str, str, str]] = {}
    text_of: dict[uuid.UUID | None, str] = {None: ""}
    applied = found.applied
    for part in chunks(found.considered, 20_000):
        txn, category, confidence, alternatives, status, previous = ([] for _ in range(6))
        for row in part:
            ranked = found.ranked[row.transaction_id]
            stored = columns_of.get(id(ranked))
            if stored is None:
                best = ranked[0] if ranked else None
                stored = columns_of[id(ranked)] = (
                    str(best[0]) if best else "",
                    repr(float(best[1])) if best else "0.0",
                    _alternatives(ranked, memo),
                )
            before = text_of.get(row.category_id)
            if before is None:
                before = text_of[row.category_id] = str(row.category_id)
            txn.append(row.transaction_id.hex)  # (a uuid's input form; 3x `str`'s speed)
            category.append(stored[0])
            confidence.append(stored[1])
            alternatives.append(stored[2])
            status.append("auto" if row.transaction_id in applied else "queued")
            previous.append(before)
        params: dict[str, Any] = {
            "tenant": tenant_id,
            "now": now,
            "unit": _UNIT,
            "txn": ",".join(txn),
            "category": ",".join(category),
            "confidence": ",".join(confidence),
            "alternatives": _UNIT.join(alternatives),
            "status": ",".join(status),
            "previous": ",".join(previous),
        }
        statements.append(params)
    return statements
