"""Use cases of the analysis history: record one after a successful analysis, list,
trends per client, clear, dashboard statistics.

A history row holds aggregate figures only — totals, counts, materiality, category
totals and ratios — never an account's name, number or amount, and the file name only
as its SHA-256 (`tests/diagnostics/test_history_api.py` reads every column back)."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.clock import utcnow
from fiscus.core.context import TenantContext
from fiscus.diagnostics.analysis.types import CATEGORIES, Anomaly, Materiality, Ratio, Totals
from fiscus.diagnostics.errors import ClientNotFound
from fiscus.diagnostics.models import SEVERITIES, DiagnosticsAnalysis
from fiscus.diagnostics.repository import ClientRepository, HistoryRepository
from fiscus.diagnostics.schemas_practice import (
    ClearResult,
    DashboardStats,
    FindingCounts,
    HistoryRead,
    MaterialityRead,
    TrendsRead,
)

CREDIT_NATURE = frozenset({"liability", "equity", "revenue"})
RECENT_DAYS = 30


def file_sha256(file_name: str | None) -> str | None:
    return hashlib.sha256(file_name.encode("utf-8")).hexdigest() if file_name else None


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _figures(body: dict[str, Any]) -> str:
    totals: Totals = body["totals"]
    categories = {}
    for category in CATEGORIES:
        net = totals.by_category.get(category, Decimal(0))
        categories[category] = str(-net if category in CREDIT_NATURE else net)
    ratios = {
        key: _text(value.value)
        for key, value in body["ratios"].items()
        if isinstance(value, Ratio)  # the DuPont breakdown is its parts, all listed
    }
    return json.dumps({"categories": categories, "ratios": ratios}, sort_keys=True)


def record_analysis(
    session: Session,
    ctx: TenantContext,
    body: dict[str, Any],
    *,
    client_id: uuid.UUID | None,
    source: str,
    file_name: str | None = None,
    file_format: str | None = None,
    as_of: date | None = None,
    sheet_count: int = 1,
) -> DiagnosticsAnalysis:
    """The history row of the analysis answered in `body` (the engine's fields)."""
    anomalies: tuple[Anomaly, ...] = body["anomalies"]
    severities: Counter[str] = Counter(a.severity for a in anomalies)
    materiality: Materiality = body["materiality"]
    row = DiagnosticsAnalysis(
        tenant_id=ctx.tenant_id,
        client_id=client_id,
        source=source,
        file_sha256=file_sha256(file_name),
        file_format=file_format,
        as_of=as_of,
        analysed_at=utcnow(),
        sheet_count=sheet_count,
        row_count=body["row_count"],
        total_debits=str(body["total_debits"]),
        total_credits=str(body["total_credits"]),
        balanced=body["balanced"],
        **{f"anomalies_{s}": severities.get(s, 0) for s in SEVERITIES},
        materiality_basis=materiality.basis,
        materiality_overall=_text(materiality.overall),
        materiality_performance=_text(materiality.performance),
        materiality_trivial=_text(materiality.trivial),
        risk_score=body["risk_score"],
        risk_tier=body["risk_tier"],
        figures=_figures(body),
    )
    HistoryRepository(session, ctx.tenant_id).add(row)
    session.flush()
    return row


def history_read(row: DiagnosticsAnalysis) -> HistoryRead:
    counts = {s: int(getattr(row, f"anomalies_{s}")) for s in SEVERITIES}
    figures = json.loads(row.figures)
    return HistoryRead(
        id=row.id,
        client_id=row.client_id,
        source=row.source,
        file_sha256=row.file_sha256,
        file_ref=row.file_sha256[:12] if row.file_sha256 else None,
        file_format=row.file_format,
        as_of=row.as_of,
        analysed_at=row.analysed_at,
        sheet_count=row.sheet_count,
        row_count=row.row_count,
        total_debits=row.total_debits,
        total_credits=row.total_credits,
        balanced=row.balanced,
        anomalies=counts,
        anomaly_count=sum(counts.values()),
        materiality=MaterialityRead(
            basis=row.materiality_basis,
            overall=row.materiality_overall,
            performance=row.materiality_performance,
            trivial=row.materiality_trivial,
        ),
        risk_score=row.risk_score,
        risk_tier=row.risk_tier,
        category_totals=figures["categories"],
        ratios=figures["ratios"],
    )


def _known_client(session: Session, ctx: TenantContext, client_id: uuid.UUID | None) -> None:
    if client_id is not None and ClientRepository(session, ctx.tenant_id).get(client_id) is None:
        raise ClientNotFound(field="client_id")


def list_history(
    session: Session,
    ctx: TenantContext,
    *,
    client_id: uuid.UUID | None,
    offset: int,
    limit: int,
) -> tuple[list[HistoryRead], int]:
    _known_client(session, ctx, client_id)
    rows, total = HistoryRepository(session, ctx.tenant_id).listed(
        client_id=client_id, offset=offset, limit=limit
    )
    return [history_read(r) for r in rows], total


def client_trends(
    session: Session, ctx: TenantContext, client_id: uuid.UUID, *, limit: int
) -> TrendsRead:
    _known_client(session, ctx, client_id)
    rows = HistoryRepository(session, ctx.tenant_id).of_client(client_id, limit=limit)
    return TrendsRead(client_id=client_id, points=[history_read(r) for r in rows])


def clear_history(
    session: Session, ctx: TenantContext, *, client_id: uuid.UUID | None
) -> ClearResult:
    _known_client(session, ctx, client_id)
    deleted = HistoryRepository(session, ctx.tenant_id).clear(client_id=client_id)
    audit_service.record(
        session,
        ctx,
        action="diagnostics.history_clear",
        resource_type="diagnostics_analysis",
        resource_id=client_id,
        after={"client_id": str(client_id) if client_id else None, "deleted": deleted},
    )
    return ClearResult(deleted=deleted)


def dashboard_stats(session: Session, ctx: TenantContext) -> DashboardStats:
    history = HistoryRepository(session, ctx.tenant_id)
    since = utcnow() - timedelta(days=RECENT_DAYS)
    return DashboardStats(
        clients=ClientRepository(session, ctx.tenant_id).count(),
        all_time=FindingCounts(**history.stats(since=None)),
        last_30_days=FindingCounts(**history.stats(since=since)),
        clients_analysed_last_30_days=history.clients_analysed(since=since),
    )
