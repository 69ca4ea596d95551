"""The rules page: the rules in order (up/down, enable/disable, edit, delete), a create
and edit form, "test this rule" showing what it would change inline (HTMX), and apply.

Changes answer with the page's `rules` block re-rendered (HTMX) or a redirect with a
flash message (a plain form post); a refused form re-renders with each error beside its
field. A test answers with the `preview` block only. Routes call the same rules service
as /api/v1/rules.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from fiscus.core.context import TenantContext
from fiscus.ledger import service as ledger_service
from fiscus.rules import service
from fiscus.rules.schemas import ApplyRequest, RuleBody, RuleCreate, RuleRead, RuleUpdate
from fiscus.tenancy.permissions import Permission, allows
from fiscus.web import csrf, flash, forms, render, shell
from fiscus.web.deps import DbSession, ensure
from fiscus.web.page_auth import PageUser

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.protect)])

FormText = Annotated[str, Form()]
FIELDS = (
    "rule_id", "name", "payee_op", "payee_value", "description_op", "description_value",
    "amount_min", "amount_max", "sign", "account_id", "date_from", "date_to", "category",
    "set_category_id", "rename_payee", "add_tags", "transfer_account_id", "stop_processing",
    "enabled",
)  # fmt: skip
TEXT_OPS = {"contains": "contains", "regex": "matches the regex"}
SIGNS = {"": "In or out", "out": "Money out", "in": "Money in"}
PREVIEW_LIMIT = 20


def _options(session: Session, ctx: TenantContext) -> dict[str, dict[str, str]]:
    accounts = ledger_service.list_accounts(session, ctx)
    banks = {str(a.id): a.name for a in accounts if a.type in service.BANK_SIDE}
    cats = {str(a.id): f"{a.name} ({a.type})" for a in accounts if a.type in ("income", "expense")}
    return {
        "banks": {"": "Any account", **banks},
        "category": {"": "Any category", "uncategorised": "Uncategorised", **cats},
        "set_category_id": {"": "Leave as it is", **cats},
        "transfer_account_id": {"": "No", **banks},
        "names": {**banks, **cats},
    }


def _values_of(rule: RuleRead) -> dict[str, str]:
    c, a = rule.conditions, rule.actions
    return {
        "rule_id": str(rule.id),
        "name": rule.name,
        "payee_op": c.payee.op if c.payee else "contains",
        "payee_value": c.payee.value if c.payee else "",
        "description_op": c.description.op if c.description else "contains",
        "description_value": c.description.value if c.description else "",
        "amount_min": c.amount_min or "",
        "amount_max": c.amount_max or "",
        "sign": c.sign or "",
        "account_id": str(c.account_id or ""),
        "date_from": c.date_from.isoformat() if c.date_from else "",
        "date_to": c.date_to.isoformat() if c.date_to else "",
        "category": str(c.category or ""),
        "set_category_id": str(a.set_category_id or ""),
        "rename_payee": a.rename_payee or "",
        "add_tags": ", ".join(a.add_tags),
        "transfer_account_id": str(a.transfer_account_id or ""),
        "stop_processing": "1" if rule.stop_processing else "",
        "enabled": "1" if rule.enabled else "",
    }


def _body_of(values: dict[str, str]) -> dict[str, Any]:
    """The API body of the form: blank fields are no condition (or no action)."""
    v = {k: values.get(k, "").strip() for k in FIELDS}
    conditions: dict[str, Any] = {
        k: v[k]
        for k in ("amount_min", "amount_max", "sign", "account_id", "date_from", "date_to",
                  "category")
        if v[k]
    }  # fmt: skip
    for text in ("payee", "description"):
        if v[f"{text}_value"]:
            conditions[text] = {"op": v[f"{text}_op"] or "contains", "value": v[f"{text}_value"]}
    actions: dict[str, Any] = {
        k: v[k] for k in ("set_category_id", "rename_payee", "transfer_account_id") if v[k]
    }
    tags = [t.strip() for t in v["add_tags"].split(",") if t.strip()]
    if tags:
        actions["add_tags"] = tags
    return {
        "name": v["name"],
        "enabled": bool(v["enabled"]),
        "stop_processing": bool(v["stop_processing"]),
        "conditions": conditions,
        "actions": actions,
    }


def _form_errors(errors: dict[str, str]) -> dict[str, str]:
    """API field names (`conditions.payee.value`) as the form's (`payee_value`)."""
    named: dict[str, str] = {}
    for key, text in errors.items():
        parts = key.split(".")
        if parts[0] in ("conditions", "actions") and len(parts) > 1:
            name = "_".join(parts[1:3]) if parts[1] in ("payee", "description") else parts[1]
            if name in ("payee", "description", "payee_op", "description_op"):
                name = f"{parts[1]}_value"
            named.setdefault(name if name in FIELDS else forms.FORM_LEVEL, text)
        else:
            named.setdefault(key if key in FIELDS else forms.FORM_LEVEL, text)
    return named


def _page(
    request: Request,
    session: Session,
    ctx: TenantContext,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    saved: str = "",
    status: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "rules": [service.rule_read(r) for r in service.list_rules(session, ctx)],
        "options": _options(session, ctx),
        "values": values or {"payee_op": "contains", "description_op": "contains", "enabled": "1"},
        "errors": errors or {},
        "saved": saved,
        "text_ops": TEXT_OPS,
        "signs": SIGNS,
        "can_write": allows(ctx.role, Permission.DATA_WRITE),
        "preview": None,
        "preview_errors": [],
    }
    edit = request.query_params.get("edit")
    if values is None and edit:
        found = [r for r in context["rules"] if str(r.id) == edit]
        if found:
            context["values"] = _values_of(found[0])
    if render.wants_fragment(request):
        return render.render(request, "rules.html", context, status_code=status, block="rules")
    context.update(shell=shell.load(session, ctx), active="rules")
    return render.render(request, "rules.html", context, status_code=status)


@router.get("/rules")
def rules_page(request: Request, session: DbSession, ctx: PageUser) -> Response:
    ensure(ctx, Permission.DATA_READ)
    return _page(request, session, ctx)


def _change(
    request: Request,
    session: Session,
    ctx: TenantContext,
    action: Callable[[], str],
    values: dict[str, str] | None = None,
) -> Response:
    """Run one service call in a savepoint; answer with the page (or its block)."""
    ensure(ctx, Permission.DATA_WRITE)
    try:
        with forms.domain_errors_as_form(), session.begin_nested():
            saved = action()
    except forms.FormInvalid as exc:
        errors = _form_errors(exc.errors)
        return _page(request, session, ctx, values=values, errors=errors, status=exc.status)
    if not render.is_htmx(request):
        flash.push(request, "success", saved)
        return render.redirect(request, "/rules")
    return _page(request, session, ctx, saved=saved)


async def _form_values(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: str(form.get(k, "")) for k in FIELDS}


@router.post("/rules")
def save_rule(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    values: Annotated[dict[str, str], Depends(_form_values)],
) -> Response:
    def action() -> str:
        body = _body_of(values)
        if values.get("rule_id"):
            rule_id = uuid.UUID(values["rule_id"])
            rule = service.update_rule(session, ctx, rule_id, forms.parse(RuleUpdate, body))
            return f"Saved the rule “{rule.name}”."
        rule = service.create_rule(session, ctx, forms.parse(RuleCreate, body))
        return f"Created the rule “{rule.name}”."

    return _change(request, session, ctx, action, values)


@router.post("/rules/test")
def test_rule(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    values: Annotated[dict[str, str], Depends(_form_values)],
) -> Response:
    """What the rule in the form would change, shown under it; nothing is saved."""
    ensure(ctx, Permission.DATA_READ)
    try:
        with forms.domain_errors_as_form():
            body = forms.parse(RuleBody, _body_of(values))
            service.check_body(session, ctx, body)
            preview = service.preview(session, ctx, body=body, limit=PREVIEW_LIMIT)
    except forms.FormInvalid as exc:
        errors = _form_errors(exc.errors)
        context: dict[str, Any] = {"preview": None, "preview_errors": list(errors.values())}
        return render.render(
            request, "rules.html", context, status_code=exc.status, block="preview"
        )
    shown: dict[str, Any] = {"preview": preview, "preview_errors": [], "rule_name": body.name}
    return render.render(request, "rules.html", shown, block="preview")


@router.post("/rules/{rule_id}/test")
def test_saved_rule(
    request: Request, session: DbSession, ctx: PageUser, rule_id: uuid.UUID
) -> Response:
    ensure(ctx, Permission.DATA_READ)
    rule = service.get_rule(session, ctx, rule_id)
    preview = service.preview(session, ctx, rule_id=rule_id, limit=PREVIEW_LIMIT)
    shown: dict[str, Any] = {"preview": preview, "preview_errors": [], "rule_name": rule.name}
    return render.render(request, "rules.html", shown, block="preview")


@router.post("/rules/apply")
def apply_all(request: Request, session: DbSession, ctx: PageUser) -> Response:
    return _apply(request, session, ctx, None)


@router.post("/rules/{rule_id}/apply")
def apply_one(request: Request, session: DbSession, ctx: PageUser, rule_id: uuid.UUID) -> Response:
    service.get_rule(session, ctx, rule_id)  # another tenant's id: 404
    return _apply(request, session, ctx, rule_id)


def _apply(
    request: Request, session: Session, ctx: TenantContext, rule_id: uuid.UUID | None
) -> Response:
    def action() -> str:
        result = service.apply_on_demand(session, ctx, ApplyRequest(rule_id=rule_id))
        return (
            f"Applied: {result.changed} transaction{'' if result.changed == 1 else 's'} changed"
            f" ({result.categorised} categorised, {result.transferred} made transfers)."
        )

    return _change(request, session, ctx, action)


@router.post("/rules/{rule_id}/move")
def move_rule(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    rule_id: uuid.UUID,
    direction: FormText = "up",
) -> Response:
    rule = service.get_rule(session, ctx, rule_id)

    def action() -> str:
        step = -1 if direction == "up" else 1
        position = max(rule.position + step, 0)
        service.update_rule(session, ctx, rule_id, RuleUpdate(position=position))
        return f"Moved the rule “{rule.name}” {'up' if step < 0 else 'down'}."

    return _change(request, session, ctx, action)


@router.post("/rules/{rule_id}/toggle")
def toggle_rule(
    request: Request, session: DbSession, ctx: PageUser, rule_id: uuid.UUID
) -> Response:
    rule = service.get_rule(session, ctx, rule_id)

    def action() -> str:
        enabled = not rule.is_enabled
        service.update_rule(session, ctx, rule_id, RuleUpdate(enabled=enabled))
        return f"{'Enabled' if enabled else 'Disabled'} the rule “{rule.name}”."

    return _change(request, session, ctx, action)


@router.post("/rules/{rule_id}/delete")
def delete_rule(
    request: Request, session: DbSession, ctx: PageUser, rule_id: uuid.UUID
) -> Response:
    name = service.get_rule(session, ctx, rule_id).name

    def action() -> str:
        service.delete_rule(session, ctx, rule_id)
        return f"Deleted the rule “{name}”."

    return _change(request, session, ctx, action)
