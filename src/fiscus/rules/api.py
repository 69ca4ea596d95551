"""JSON routes of /api/v1/rules."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from fiscus.core.context import TenantContext
from fiscus.rules import service
from fiscus.rules.schemas import (
    ApplyRequest,
    ApplyResult,
    Preview,
    ReorderRequest,
    RuleBody,
    RuleCreate,
    RuleRead,
    RuleUpdate,
)
from fiscus.tenancy.permissions import Permission
from fiscus.web.deps import DbSession, require
from fiscus.web.pagination import Page, Paging

router = APIRouter(prefix="/api/v1/rules", tags=["rules"])

Reader = Annotated[TenantContext, Depends(require(Permission.DATA_READ))]
Writer = Annotated[TenantContext, Depends(require(Permission.DATA_WRITE))]
PreviewLimit = Annotated[int, Query(ge=1, le=200, description="changes listed")]


@router.get("")
def list_rules(ctx: Reader, session: DbSession, paging: Paging) -> Page[RuleRead]:
    rules = service.list_rules(session, ctx)
    start = (paging.page - 1) * paging.limit
    shown = rules[start : start + paging.limit]
    return Page.of([service.rule_read(r) for r in shown], len(rules), paging)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_rule(body: RuleCreate, ctx: Writer, session: DbSession) -> RuleRead:
    return service.rule_read(service.create_rule(session, ctx, body))


@router.post("/reorder")
def reorder_rules(body: ReorderRequest, ctx: Writer, session: DbSession) -> list[RuleRead]:
    return [service.rule_read(r) for r in service.reorder_rules(session, ctx, body.ids)]


@router.post("/preview")
def preview_unsaved(
    body: RuleBody, ctx: Reader, session: DbSession, limit: PreviewLimit = 20
) -> Preview:
    """What this rule, as written and not saved, would change; nothing is changed."""
    service.check_body(session, ctx, body)
    return service.preview(session, ctx, body=body, limit=limit)


@router.post("/apply")
def apply_rules(body: ApplyRequest, ctx: Writer, session: DbSession) -> ApplyResult:
    """Apply one rule or every enabled rule to existing entries, all or nothing."""
    return service.apply_on_demand(session, ctx, body)


@router.get("/{rule_id}")
def get_rule(rule_id: uuid.UUID, ctx: Reader, session: DbSession) -> RuleRead:
    return service.rule_read(service.get_rule(session, ctx, rule_id))


@router.patch("/{rule_id}")
def update_rule(rule_id: uuid.UUID, body: RuleUpdate, ctx: Writer, session: DbSession) -> RuleRead:
    return service.rule_read(service.update_rule(session, ctx, rule_id, body))


@router.delete("/{rule_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_rule(rule_id: uuid.UUID, ctx: Writer, session: DbSession) -> None:
    service.delete_rule(session, ctx, rule_id)


@router.post("/{rule_id}/preview")
def preview_rule(
    rule_id: uuid.UUID, ctx: Reader, session: DbSession, limit: PreviewLimit = 20
) -> Preview:
    """What the saved rule would change on existing entries; nothing is changed."""
    return service.preview(session, ctx, rule_id=rule_id, limit=limit)
