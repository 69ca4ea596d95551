"""Use cases of the insights domain: categorise entries, read suggestions, the model.

`categorise` is what the bank import calls after its rules: for each entry still on an
Uncategorised category it asks the tenant's model (loaded once per call, with only the
counts the batch's features need), applies the suggestion when its confidence reaches
the tenant's threshold — through the ledger's set-based bulk edit, so balances and the
audit trail follow — and marks it `auto`; the rest is queued for review. The model never
learns from its own applies until the user confirms them (see `learning`).

Suggestions shown to the user are read live from the current model, so a correction
changes what the next similar entry is offered at once; the stored suggestion records
what was decided and how (queued, auto, confirmed, corrected).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.clock import utcnow
from fiscus.core.context import TenantContext
from fiscus.core.errors import NotFound
from fiscus.insights import features as ft
from fiscus.insights import learning
from fiscus.insights.model import Model, Ranked
from fiscus.insights.models import DEFAULT_THRESHOLD, InsightsSetting
from fiscus.insights.repository import EntryRow, InsightsRepository
from fiscus.insights.schemas import (
    CategoriseResult,
    ModelSettingsUpdate,
    ModelStatus,
)
from fiscus.jobs import service as jobs_service
from fiscus.ledger.bulk_edit import EntryEdit, bulk_edit

TRAIN_JOB = "insights.train"
CATCH_UP_JOB = "insights.catch_up"
APPLY_CHUNK = 2_000


class TransactionNotFound(NotFound):
    """The transaction does not exist."""

    code = "transaction_not_found"


@dataclass(frozen=True, slots=True)
class CategoriseOutcome:
    considered: int  # entries that were still uncategorised
    applied: int  # suggestions applied automatically (marked auto)
    queued: int  # left for review

    def read(self) -> CategoriseResult:
        return CategoriseResult(
            considered=self.considered, applied=self.applied, queued=self.queued
        )


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The tenant's categories as the model needs them: names, the group (kind and
    currency) of each, and which may be suggested (not archived, not Uncategorised)."""

    names: dict[uuid.UUID, str]
    every_group: dict[uuid.UUID, str]
    groups: dict[uuid.UUID, str]  # the ones that may be suggested
    uncategorised: frozenset[uuid.UUID]

    def group_of(self, row: EntryRow) -> str:
        """The group a suggestion for `row` must come from: its current category's."""
        return self.every_group.get(row.category_id, "")


def catalogue(session: Session, repo: InsightsRepository) -> Catalogue:
    uncategorised = learning.uncategorised(session, repo.tenant_id)
    rows = repo.categories()
    everything = {r.id: f"{r.type}:{r.currency}" for r in rows}
    groups = {
        r.id: everything[r.id] for r in rows if not r.is_archived and r.id not in uncategorised
    }
    return Catalogue({r.id: r.name for r in rows}, everything, groups, uncategorised)


def predict(model: Model, cats: Catalogue, row: EntryRow) -> Ranked:
    text, meta = ft.features(
        row.payee, row.description, row.amount, row.occurred_on, row.account_id
    )
    return model.predict(text, meta, cats.group_of(row))


def needed_features(rows: Sequence[EntryRow]) -> set[int]:
    needed: set[int] = set()
    for row in rows:
        text, meta = ft.features(
            row.payee, row.description, row.amount, row.occurred_on, row.account_id
        )
        needed.update(text)
        needed.update(meta)
    return needed


def settings_of(repo: InsightsRepository) -> InsightsSetting:
    return repo.setting() or InsightsSetting(
        tenant_id=repo.tenant_id, auto_apply=True, auto_threshold=DEFAULT_THRESHOLD
    )


def auto_category(setting: InsightsSetting, row: EntryRow, ranked: Ranked) -> uuid.UUID | None:
    """The category the model applies by itself: its best guess when applying is on, the
    guess is sure enough, and the entry is not reconciled; else None (it is queued)."""
    best = ranked[0] if ranked else None
    sure = best is not None and best[1] >= setting.auto_threshold
    if best is None or not (setting.auto_apply and sure and row.status != "reconciled"):
        return None
    return best[0]


def categorise(
    session: Session, ctx: TenantContext, *, transaction_ids: Sequence[uuid.UUID]
) -> CategoriseOutcome:
    ids = list(dict.fromkeys(transaction_ids))
    learning.catch_up(session, ctx.tenant_id)  # e.g. what the rules just set
    repo = InsightsRepository(session, ctx.tenant_id)
    cats = catalogue(session, repo)
    todo = [r for r in repo.entries(ids).values() if r.category_id in cats.uncategorised]
    if not todo:
        return CategoriseOutcome(0, 0, 0)
    model = learning.load_model(repo, cats.groups, needed_features(todo))
    setting = settings_of(repo)
    now = utcnow()
    rows, edits = [], []
    for row in todo:
        ranked = predict(model, cats, row)
        applied = auto_category(setting, row, ranked)
        if applied is not None:
            edits.append(EntryEdit(row.transaction_id, category_id=applied))
        status = "queued" if applied is None else "auto"
        rows.append(_suggestion_row(ctx, row, ranked, status, now))
    repo.replace_suggestions(rows)
    # In chunks: one bulk edit's balance upsert has a row per (account, day) it touches,
    # and PostgreSQL takes at most 65,535 parameters in a statement.
    for start in range(0, len(edits), APPLY_CHUNK):
        bulk_edit(session, ctx, edits[start : start + APPLY_CHUNK])
    # The model's own applies teach nothing (the books' new legs would be "touched").
    learning.pending(session, ctx.tenant_id).forget(e.transaction_id for e in edits)
    return CategoriseOutcome(len(todo), len(edits), len(todo) - len(edits))


def _suggestion_row(
    ctx: TenantContext, row: EntryRow, ranked: Ranked, status: str, now: object
) -> dict[str, object]:
    best = ranked[0] if ranked else None
    return {
        "tenant_id": ctx.tenant_id,
        "transaction_id": row.transaction_id,
        "category_id": best[0] if best else None,
        "confidence": best[1] if best else 0.0,
        "alternatives": json.dumps([[str(c), round(p, 6)] for c, p in ranked[1:4]]),
        "status": status,
        "previous_category_id": row.category_id,
        "created_at": now,
        "decided_at": None,
    }


def categorise_uncategorised(session: Session, ctx: TenantContext) -> CategoriseOutcome:
    """`categorise` every entry still on an Uncategorised category (on demand)."""
    repo = InsightsRepository(session, ctx.tenant_id)
    ids = repo.entry_ids_in(learning.uncategorised(session, ctx.tenant_id))
    return categorise(session, ctx, transaction_ids=ids)


def model_status(session: Session, ctx: TenantContext) -> ModelStatus:
    learning.catch_up(session, ctx.tenant_id)
    repo = InsightsRepository(session, ctx.tenant_id)
    setting = settings_of(repo)
    classes = repo.classes()
    return ModelStatus(
        examples=sum(c.examples for c in classes.values()),
        categories=sum(1 for c in classes.values() if c.examples > 0),
        features=repo.vocabulary(),
        last_trained_at=setting.last_trained_at,
        last_suggested_at=repo.last_suggested_at(),
        queued=repo.listed("queued", offset=0, limit=1)[1],
        auto=repo.listed("auto", offset=0, limit=1)[1],
        auto_apply=setting.auto_apply,
        auto_threshold=setting.auto_threshold,
    )


def update_settings(session: Session, ctx: TenantContext, data: ModelSettingsUpdate) -> ModelStatus:
    repo = InsightsRepository(session, ctx.tenant_id)
    setting = repo.setting()
    if setting is None:
        setting = repo.add(settings_of(repo))
    before = {"auto_apply": setting.auto_apply, "auto_threshold": setting.auto_threshold}
    for name in data.model_fields_set:
        value = getattr(data, name)
        if value is not None:
            setattr(setting, name, value)
    session.flush()
    after = {"auto_apply": setting.auto_apply, "auto_threshold": setting.auto_threshold}
    if after != before:
        audit_service.record(
            session,
            ctx,
            action="insights.settings",
            resource_type="insights_setting",
            resource_id=ctx.tenant_id,
            before=before,
            after=after,
        )
    return model_status(session, ctx)


def start_training(session: Session, ctx: TenantContext) -> uuid.UUID:
    """Queue a full retrain from the confirmed history; the job id to follow."""
    return jobs_service.enqueue(session, ctx, kind=TRAIN_JOB).id


def learn_soon(session: Session, ctx: TenantContext) -> None:
    """Learn what this unit of work queued in a job right after it commits, rather than
    at the model's next read: a bank import's rules may have categorised thousands of
    lines, and the review page that follows should not have to learn them first."""
    jobs_service.enqueue(session, ctx, kind=CATCH_UP_JOB)


def catch_up(session: Session, tenant_id: uuid.UUID) -> int:
    """The catch-up job's work: learn the tenant's queue; how many examples changed."""
    return learning.catch_up(session, tenant_id)


def train(session: Session, tenant_id: uuid.UUID, progress: learning.Progress) -> int:
    """The job body's work: forget the model and learn every confirmed example again."""
    examples = learning.retrain(session, tenant_id, progress)
    repo = InsightsRepository(session, tenant_id)
    setting = repo.setting()
    if setting is None:
        setting = repo.add(settings_of(repo))
    setting.last_trained_at = utcnow()
    session.flush()
    return examples
