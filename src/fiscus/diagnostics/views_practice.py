"""HTML pages of the practice features: the client portfolio (with the dashboard
statistics and the new-client form), one client's page (trend charts and history), the
practice's history of analyses, and clearing history. Only aggregate metadata exists to
show: no trial balance is ever stored."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.responses import Response

from fiscus.core.context import TenantContext
from fiscus.core.errors import InvalidInput
from fiscus.diagnostics import service_clients, service_history
from fiscus.diagnostics.schemas_practice import ClientCreate, HistoryRead
from fiscus.diagnostics.views_model import money
from fiscus.tenancy.permissions import Permission, allows
from fiscus.web import charts, flash, forms, render, shell
from fiscus.web.deps import DbSession, ensure
from fiscus.web.page_auth import PageUser

router = APIRouter(include_in_schema=False)

FormText = Annotated[str, Form()]
PAGE_SIZE = 50
TREND_POINTS = 24
CATEGORY_LINES = (
    ("asset", "Assets"),
    ("liability", "Liabilities"),
    ("equity", "Equity"),
    ("revenue", "Revenue"),
    ("expense", "Expenses"),
)
RATIO_CHARTS = (
    ("Liquidity (times)", (("current_ratio", "Current ratio"), ("quick_ratio", "Quick ratio"))),
    (
        "Margins (%)",
        (("gross_margin", "Gross margin"), ("net_margin", "Net margin")),
    ),
)


def _context(session: Session, ctx: TenantContext, active: str) -> dict[str, Any]:
    return {
        "shell": shell.load(session, ctx),
        "active": "diagnostics",
        "section": active,
        "can_write": allows(ctx.role, Permission.DATA_WRITE),
    }


def _clients_page(
    request: Request,
    session: Session,
    ctx: TenantContext,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    clients, total = service_clients.list_clients(session, ctx, search=None, offset=0, limit=200)
    context = {
        **_context(session, ctx, "clients"),
        "clients": clients,
        "total": total,
        "stats": service_history.dashboard_stats(session, ctx),
        "values": values or {"fiscal_year_end": "06-30"},
        "errors": errors or {},
    }
    return render.render(request, "diagnostics_clients.html", context, status_code=status)


@router.get("/diagnostics/clients")
def clients_page(request: Request, session: DbSession, ctx: PageUser) -> Response:
    ensure(ctx, Permission.DATA_READ)
    return _clients_page(request, session, ctx)


@router.post("/diagnostics/clients")
def create_client(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    name: FormText = "",
    industry: FormText = "",
    fiscal_year_end: FormText = "",
) -> Response:
    ensure(ctx, Permission.DATA_WRITE)
    values = {"name": name, "industry": industry, "fiscal_year_end": fiscal_year_end}
    data = {k: v.strip() for k, v in values.items() if v.strip()}
    try:
        body = forms.parse(ClientCreate, data)
        with forms.domain_errors_as_form(), session.begin_nested():
            client = service_clients.create_client(session, ctx, body)
    except forms.FormInvalid as exc:
        return _clients_page(
            request, session, ctx, values=values, errors=exc.errors, status=exc.status
        )
    flash.push(request, "success", f"Client {client.name} added.")
    return render.redirect(request, f"/diagnostics/clients/{client.id}")


def _label(index: int, point: HistoryRead) -> str:
    # Numbered so two analyses on one day (an override re-run) stay two points.
    return f"#{index + 1} {point.analysed_at:%d %b}"


def _decimal(raw: str | None) -> Decimal | None:
    return Decimal(raw) if raw not in (None, "") else None


def trend_charts(points: list[HistoryRead]) -> list[Markup]:
    """Risk score, category totals and key ratios over the client's analyses."""
    labels = [_label(i, p) for i, p in enumerate(points)]
    risk = charts.Series(
        "Risk score", [(lab, Decimal(p.risk_score)) for lab, p in zip(labels, points, strict=True)]
    )
    out = [charts.line_chart([risk], title="Risk score")]
    categories = [
        charts.Series(
            name,
            [
                (lab, value)
                for lab, p in zip(labels, points, strict=True)
                if (value := _decimal(p.category_totals.get(key))) is not None
            ],
        )
        for key, name in CATEGORY_LINES
    ]
    out.append(charts.line_chart(categories, title="Category totals"))
    for title, keys in RATIO_CHARTS:
        scale = Decimal(100) if "%" in title else Decimal(1)
        series = [
            charts.Series(
                name,
                [
                    (lab, value * scale)
                    for lab, p in zip(labels, points, strict=True)
                    if (value := _decimal(p.ratios.get(key))) is not None
                ],
            )
            for key, name in keys
        ]
        out.append(charts.line_chart(series, title=title))
    return out


def _history_rows(items: list[HistoryRead], names: dict[uuid.UUID, str]) -> list[dict[str, Any]]:
    return [
        {
            "item": item,
            "client": names.get(item.client_id) if item.client_id else None,
            "debits": money(item.total_debits),
            "credits": money(item.total_credits),
            "overall": money(item.materiality.overall),
        }
        for item in items
    ]


@router.get("/diagnostics/clients/{client_id}")
def client_page(
    request: Request, session: DbSession, ctx: PageUser, client_id: uuid.UUID
) -> Response:
    ensure(ctx, Permission.DATA_READ)
    client = service_clients.get_client(session, ctx, client_id)  # another tenant's: 404
    trends = service_history.client_trends(session, ctx, client_id, limit=TREND_POINTS)
    items, total = service_history.list_history(
        session, ctx, client_id=client_id, offset=0, limit=PAGE_SIZE
    )
    context = {
        **_context(session, ctx, "clients"),
        "client": client,
        "charts": trend_charts(trends.points) if trends.points else [],
        "rows": _history_rows(items, {client.id: client.name}),
        "total": total,
    }
    return render.render(request, "diagnostics_client.html", context)


def _names(session: Session, ctx: TenantContext) -> dict[uuid.UUID, str]:
    clients, _ = service_clients.list_clients(session, ctx, search=None, offset=0, limit=10_000)
    return {c.id: c.name for c in clients}


@router.get("/diagnostics/history")
def history_page(
    request: Request,
    session: DbSession,
    ctx: PageUser,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    ensure(ctx, Permission.DATA_READ)
    items, total = service_history.list_history(
        session, ctx, client_id=None, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    context = {
        **_context(session, ctx, "history"),
        "rows": _history_rows(items, _names(session, ctx)),
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
    }
    return render.render(request, "diagnostics_history.html", context)


@router.post("/diagnostics/history/clear")
def clear_history(
    request: Request, session: DbSession, ctx: PageUser, client_id: FormText = ""
) -> Response:
    """Delete the history (of one client when `client_id` is sent); audited."""
    ensure(ctx, Permission.DATA_WRITE)
    try:
        target = uuid.UUID(client_id) if client_id.strip() else None
    except ValueError as exc:
        raise InvalidInput("client_id must be a UUID.", field="client_id") from exc
    result = service_history.clear_history(session, ctx, client_id=target)
    noun = "analysis" if result.deleted == 1 else "analyses"
    flash.push(request, "success", f"History cleared: {result.deleted} {noun} deleted.")
    back = f"/diagnostics/clients/{target}" if target else "/diagnostics/history"
    return render.redirect(request, back)


@router.post("/diagnostics/clients/{client_id}/delete")
def delete_client(
    request: Request, session: DbSession, ctx: PageUser, client_id: uuid.UUID
) -> Response:
    ensure(ctx, Permission.DATA_WRITE)
    client = service_clients.get_client(session, ctx, client_id)
    service_clients.delete_client(session, ctx, client_id)
    flash.push(request, "success", f"Client {client.name} and its history deleted.")
    return render.redirect(request, "/diagnostics/clients")
