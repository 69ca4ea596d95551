"""The goals page: every goal with a progress bar and its status, a create form, archive
and delete.

Changes answer with the page's `goals` block re-rendered (HTMX) or a redirect with a
flash message (a plain form post); a refused create re-renders the form with each error
beside its field. Routes call the same goals service as /api/v1/goals.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from fiscus.core.context import TenantContext
from fiscus.goals import service
from fiscus.goals.schemas import GoalCreate, GoalProgress, GoalUpdate
from fiscus.ledger import service as ledger_service
from fiscus.notifications import service as notifications_service
from fiscus.tenancy.permissions import Permission, allows
from fiscus.web import csrf, flash, forms, render, shell
from fiscus.web.deps import DbSession, ensure
from fiscus.web.page_auth import PageUser

router = APIRouter(include_in_schema=False, dependencies=[Depends(csrf.protect)])

FormText = Annotated[str, Form()]
KINDS = {
    "spending_limit": "Spending limit",
    "savings_target": "Savings target",
    "debt_payoff": "Debt payoff",
}
PERIODS = {"monthly": "Monthly", "quarterly": "Quarterly", "yearly": "Yearly"}
ACCOUNT_GROUPS = (
    ("expense", "Expense categories (spending limits)"),
    ("asset", "Assets (savings targets)"),
    ("liability", "Liabilities (debt payoff)"),
)
STATUS_TEXT = {"ok": "On track", "warning": "Warning", "exceeded": "Over the limit"}
_FIELDS = ("kind", "name", "account_id", "amount", "period", "target_date", "warn_percent")


@dataclass(frozen=True, slots=True)
class Card:
    """One goal as the page shows it."""

    progress: GoalProgress
    account: str
    value: str  # the <progress> bar: value of max
    max: str
    status: str  # ok | warning | exceeded (spending) or ok | behind (targets)
    percent: str  # "86 %"


def _percent(fraction: str) -> str:
    return f"{(Decimal(fraction) * 100).quantize(Decimal(1))} %"


def _card(progress: GoalProgress, names: dict[uuid.UUID, str]) -> Card:
    account = names.get(progress.goal.account_id, "")
    if progress.current is not None:
        current = progress.current
        spent = max(Decimal(current.spent), Decimal(0))
        return Card(
            progress,
            account,
            str(min(spent, Decimal(current.limit))),
            current.limit,
            current.status,
            _percent(current.percent),
        )
    assert progress.target is not None
    target = progress.target
    done = min(max(Decimal(target.percent), Decimal(0)), Decimal(1))
    status = "behind" if target.on_track is False else "ok"
    return Card(progress, account, str(done * 100), "100", status, _percent(target.percent))


def _body(
    session: Session, ctx: TenantContext, values: dict[str, str], errors: dict[str, str]
) -> dict[str, Any]:
    accounts = ledger_service.list_accounts(session, ctx, include_archived=True)
    names = {a.id: a.name for a in accounts}
    cards = [_card(p, names) for p in service.dashboard_progress(session, ctx)]
    archived, _ = service.list_goals(session, ctx, include_archived=True, limit=200)
    alerts, unread = notifications_service.list_notifications(session, ctx, unread=True, limit=5)
    live = [a for a in accounts if not a.is_archived]
    return {
        "cards": cards,
        "alerts": [notifications_service.notification_read(n) for n in alerts],
        "unread": unread,
        "archived": [(g, names.get(g.account_id, "")) for g in archived if g.is_archived],
        "account_groups": [
            (label, [a for a in live if a.type == kind]) for kind, label in ACCOUNT_GROUPS
        ],
        "kinds": KINDS,
        "periods": PERIODS,
        "status_text": STATUS_TEXT,
        "values": values,
        "errors": errors,
        "can_write": allows(ctx.role, Permission.DATA_WRITE),
    }


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
    defaults = {"kind": "spending_limit", "period": "monthly", "warn_percent": "80"}
    context = _body(session, ctx, values or defaults, errors or {})
    context["saved"] = saved
    fragment = render.wants_fragment(request)
    if fragment:
        return render.render(request, "goals.html", context, status_code=status, block="goals")
    context.update(shell=shell.load(session, ctx), active="goals")
    return render.render(request, "goals.html", context, status_code=status)


@router.get("/goals")
def goals_page(request: Request, session: DbSession, ctx: PageUser) -> Response:
    ensure(ctx, Permission.DATA_READ)
    return _page(request, session, ctx)


def _change(
    request: Request,
    session: Session,
    ctx: TenantContext,
    action: Callable[[], str],
    values: dict[str, str] | None = None,
    *,
    permission: Permission = Permission.DATA_WRITE,
) -> Response:
    """Run one service call in a savepoint; answer with the page (or its block)."""
    ensure(ctx, permission)
    try:
        with forms.domain_errors_as_form(), session.begin_nested():
            saved = action()
    except forms.FormInvalid as exc:
        return _page(request, session, ctx, values=values, errors=exc.errors, status=exc.status)
    if not render.is_htmx(request):
        flash.push(request, "success", saved)
        return render.redirect(request, "/goals")
    return _page(request, session, ctx, saved=saved)


@router.post("/goals")
def create_goal(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    kind: FormText = "",
    name: FormText = "",
    account_id: FormText = "",
    amount: FormText = "",
    period: FormText = "",
    target_date: FormText = "",
    warn_percent: FormText = "",
) -> Response:
    values = dict(
        zip(
            _FIELDS,
            (kind, name, account_id, amount, period, target_date, warn_percent),
            strict=True,
        )
    )

    def action() -> str:
        data = {k: v.strip() for k, v in values.items() if v.strip()}
        if data.get("kind") != "spending_limit":
            data.pop("period", None)  # the form always sends one; only limits have it
        goal = service.create_goal(session, ctx, forms.parse(GoalCreate, data))
        return f"Created the goal “{goal.name}”."

    return _change(request, session, ctx, action, values)


@router.post("/goals/alerts/read")
def read_alerts(request: Request, session: DbSession, ctx: PageUser) -> Response:
    def action() -> str:
        marked = notifications_service.mark_all_read(session, ctx)
        return f"Marked {marked} alert{'' if marked == 1 else 's'} read."

    return _change(request, session, ctx, action, permission=Permission.DATA_READ)


@router.post("/goals/{goal_id}/archive")
def archive_goal(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    goal_id: uuid.UUID,
    archived: FormText = "1",
) -> Response:
    service.get_goal(session, ctx, goal_id)  # another tenant's id: 404

    def action() -> str:
        flag = archived != "0"
        goal = service.update_goal(session, ctx, goal_id, GoalUpdate(is_archived=flag))
        return f"{'Archived' if flag else 'Restored'} the goal “{goal.name}”."

    return _change(request, session, ctx, action)


@router.post("/goals/{goal_id}/delete")
def delete_goal(
    request: Request, session: DbSession, ctx: PageUser, goal_id: uuid.UUID
) -> Response:
    name = service.get_goal(session, ctx, goal_id).name  # another tenant's id: 404

    def action() -> str:
        service.delete_goal(session, ctx, goal_id)
        return f"Deleted the goal “{name}”."

    return _change(request, session, ctx, action)
