"""The categories page: the category tree (indented by depth, tax labels shown), create,
rename, delete (optionally moving the postings to another category), apply a template to
an empty chart, and merge one category into another.

Every change answers with the page's body block re-rendered (HTMX), or a redirect with a
flash message (a plain form post); a refused change re-renders its form with the error
beside the field. Routes call the same ledger services as /api/v1/categories.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from fiscus.core.context import TenantContext
from fiscus.ledger import merge, service
from fiscus.ledger.schemas import (
    AccountCreate,
    AccountUpdate,
    CategoryCreate,
    CategoryMerge,
    CategoryMergeResult,
    CategoryNode,
)
from fiscus.ledger.templates import TEMPLATES
from fiscus.ledger.views_common import (
    PAGE_DEPENDENCIES,
    Chart,
    ensure,
    load_chart,
    parse_uuid,
    wants_fragment,
)
from fiscus.tenancy.permissions import Permission, allows
from fiscus.web import flash, forms, render, shell
from fiscus.web.deps import DbSession
from fiscus.web.page_auth import PageUser

router = APIRouter(include_in_schema=False, dependencies=PAGE_DEPENDENCIES)

FormText = Annotated[str, Form()]
CATEGORY_TYPES = {"expense": "Expense", "income": "Income"}


@dataclass(frozen=True, slots=True)
class CategoryRow:
    id: uuid.UUID
    name: str
    type: str
    depth: int
    code: str | None
    tax_label: str | None
    children: int


def _flatten(nodes: list[CategoryNode], depth: int = 0) -> list[CategoryRow]:
    rows: list[CategoryRow] = []
    for node in nodes:
        rows.append(
            CategoryRow(
                node.id, node.name, node.type, depth, node.code, node.tax_label, len(node.children)
            )
        )
        rows.extend(_flatten(node.children, depth + 1))
    return rows


@dataclass
class Outcome:
    """Which form was sent, what it held, and what went wrong (if anything)."""

    form: str = ""
    values: dict[str, str] | None = None
    errors: dict[str, str] | None = None
    saved: str = ""


def _body(session: Session, ctx: TenantContext, outcome: Outcome) -> dict[str, Any]:
    rows = _flatten(service.category_tree(session, ctx))
    chart: Chart = load_chart(session, ctx)
    return {
        "groups": [(label, [r for r in rows if r.type == key]) for key, label in _GROUPS],
        "empty": not rows,
        "chart": chart,
        "templates": list(TEMPLATES.values()),
        "types": CATEGORY_TYPES,
        "outcome": outcome,
        "values": outcome.values or {},
        "errors": outcome.errors or {},
        "can_write": allows(ctx.role, Permission.DATA_WRITE),
    }


_GROUPS = (("expense", "Expenses"), ("income", "Income"))


@router.get("/categories")
def categories_page(request: Request, session: DbSession, ctx: PageUser) -> Response:
    ensure(ctx, Permission.DATA_READ)
    return _page(request, session, ctx, Outcome())


def _page(
    request: Request, session: Session, ctx: TenantContext, outcome: Outcome, status: int = 200
) -> Response:
    context = _body(session, ctx, outcome)
    if wants_fragment(request):
        return render.render(
            request, "categories.html", context, status_code=status, block="categories"
        )
    context.update(shell=shell.load(session, ctx), active="categories")
    return render.render(request, "categories.html", context, status_code=status)


def _change(
    request: Request,
    session: Session,
    ctx: TenantContext,
    outcome: Outcome,
    action: Callable[[], str],
) -> Response:
    """Run one service call in a savepoint; answer with the page (or block) either way."""
    ensure(ctx, Permission.DATA_WRITE)
    try:
        with forms.domain_errors_as_form(), session.begin_nested():
            outcome.saved = action()
    except forms.FormInvalid as exc:
        outcome.errors = exc.errors
        return _page(request, session, ctx, outcome, status=exc.status)
    if not render.is_htmx(request):
        flash.push(request, "success", outcome.saved)
        return render.redirect(request, "/categories")
    return _page(request, session, ctx, Outcome(saved=outcome.saved))


@router.post("/categories")
def create_category(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    name: FormText = "",
    type: FormText = "expense",
    parent_id: FormText = "",
    code: FormText = "",
    tax_label: FormText = "",
) -> Response:
    values = {"name": name, "type": type, "parent_id": parent_id, "code": code}
    values["tax_label"] = tax_label

    def action() -> str:
        data = {k: v.strip() for k, v in values.items() if v.strip()}
        body = forms.parse(CategoryCreate, data)
        account = service.create_account(session, ctx, AccountCreate(**body.model_dump()))
        return f"Created the category “{account.name}”."

    return _change(request, session, ctx, Outcome("create", values), action)


@router.post("/categories/{category_id}/rename")
def rename_category(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    category_id: uuid.UUID,
    name: FormText = "",
    tax_label: FormText = "",
) -> Response:
    values = {"name": name, "tax_label": tax_label}
    service.get_category(session, ctx, category_id)  # another tenant's id: 404

    def action() -> str:
        data = {"name": name.strip(), "tax_label": tax_label.strip() or None}
        body = forms.parse(AccountUpdate, data)
        account = service.update_account(session, ctx, category_id, body)
        return f"Saved the category “{account.name}”."

    return _change(request, session, ctx, Outcome(f"edit-{category_id}", values), action)


@router.post("/categories/{category_id}/delete")
def delete_category(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    category_id: uuid.UUID,
    reassign_to: FormText = "",
) -> Response:
    category = service.get_category(session, ctx, category_id)  # another tenant's id: 404
    name = category.name

    def action() -> str:
        target = parse_uuid(reassign_to)
        if reassign_to and target is None:
            raise forms.FormInvalid({"reassign_to": "must be one of the categories shown"})
        try:
            moved = merge.delete_category(session, ctx, category_id, reassign_to=target)
        except merge.CategoryInUse as exc:
            needed = "is needed: this category has transactions (or archive it instead)"
            raise forms.FormInvalid({"reassign_to": needed}, 409) from exc
        if moved is None:
            return f"Deleted the category “{name}”."
        target_name = _name_of(session, ctx, moved.target_id)
        return f"Deleted the category “{name}”; {_moved(moved)} moved to “{target_name}”."

    outcome = Outcome(f"delete-{category_id}", {"reassign_to": reassign_to})
    return _change(request, session, ctx, outcome, action)


@router.post("/categories/template")
def apply_template(
    request: Request, session: DbSession, ctx: PageUser, key: FormText = ""
) -> Response:
    def action() -> str:
        created = service.apply_template(session, ctx, key)
        return f"Added {created} categories from the “{TEMPLATES[key].name}” template."

    return _change(request, session, ctx, Outcome("template", {"key": key}), action)


@router.post("/categories/merge")
def merge_categories(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    source_id: FormText = "",
    target_id: FormText = "",
) -> Response:
    values = {"source_id": source_id, "target_id": target_id}

    def action() -> str:
        body = forms.parse(CategoryMerge, {k: v for k, v in values.items() if v})
        source = service.get_category(session, ctx, body.source_id).name
        result = merge.merge_categories(
            session, ctx, source_id=body.source_id, target_id=body.target_id
        )
        target = _name_of(session, ctx, result.target_id)
        return f"Merged “{source}” into “{target}”: {_moved(result)} moved."

    return _change(request, session, ctx, Outcome("merge", values), action)


def _moved(result: CategoryMergeResult) -> str:
    postings = f"{result.postings_moved} posting{'' if result.postings_moved == 1 else 's'}"
    if not result.children_moved:
        return postings
    children = f"{result.children_moved} sub-categor{'y' if result.children_moved == 1 else 'ies'}"
    return f"{postings} and {children}"


def _name_of(session: Session, ctx: TenantContext, category_id: uuid.UUID) -> str:
    return service.get_category(session, ctx, category_id).name
