"""JSON routes of /api/v1/insights: suggestions, the review queue, the model."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, status

from fiscus.core.context import TenantContext
from fiscus.insights import service, service_review
from fiscus.insights.schemas import (
    CategoriseRequest,
    CategoriseResult,
    ModelSettingsUpdate,
    ModelStatus,
    ReviewDecision,
    SuggestionRead,
    TrainStarted,
)
from fiscus.tenancy.permissions import Permission
from fiscus.web.deps import DbSession, require
from fiscus.web.pagination import Page, Paging

router = APIRouter(prefix="/api/v1/insights", tags=["insights"])

Reader = Annotated[TenantContext, Depends(require(Permission.DATA_READ))]
Writer = Annotated[TenantContext, Depends(require(Permission.DATA_WRITE))]


@router.get("/suggestions/{transaction_id}")
def get_suggestion(transaction_id: uuid.UUID, ctx: Reader, session: DbSession) -> SuggestionRead:
    return service_review.suggestion_for(session, ctx, transaction_id)


@router.get("/review")
def review_queue(
    ctx: Reader,
    session: DbSession,
    paging: Paging,
    status: Literal["queued", "auto"] = "queued",
) -> Page[SuggestionRead]:
    rows, total = service_review.review_list(
        session, ctx, status=status, offset=(paging.page - 1) * paging.limit, limit=paging.limit
    )
    return Page.of(rows, total, paging)


@router.post("/review/{transaction_id}")
def review_suggestion(
    transaction_id: uuid.UUID, body: ReviewDecision, ctx: Writer, session: DbSession
) -> SuggestionRead:
    return service_review.review(session, ctx, transaction_id, body)


@router.post("/categorise")
def categorise(body: CategoriseRequest, ctx: Writer, session: DbSession) -> CategoriseResult:
    if body.transaction_ids is None:
        return service.categorise_uncategorised(session, ctx).read()
    return service.categorise(session, ctx, transaction_ids=body.transaction_ids).read()


@router.post("/train", status_code=status.HTTP_202_ACCEPTED)
def train(ctx: Writer, session: DbSession) -> TrainStarted:
    return TrainStarted(job_id=service.start_training(session, ctx))


@router.get("/model")
def model_status(ctx: Reader, session: DbSession) -> ModelStatus:
    return service.model_status(session, ctx)


@router.patch("/model")
def update_model(body: ModelSettingsUpdate, ctx: Writer, session: DbSession) -> ModelStatus:
    return service.update_settings(session, ctx, body)
