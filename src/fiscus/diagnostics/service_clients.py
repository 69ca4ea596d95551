"""Use cases of the practice's clients and settings, and what an analysis takes from
them: the client's saved mapping, and materiality layered request > client > practice.

Clients belong to the practice tenant; another tenant's client id is the same 404 as a
made-up one (the repository cannot see it)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.context import TenantContext
from fiscus.diagnostics.errors import ClientNameTaken, ClientNotFound
from fiscus.diagnostics.ingest.mapping import parse_mapping
from fiscus.diagnostics.models import DiagnosticsClient
from fiscus.diagnostics.repository import ClientRepository, HistoryRepository, SettingRepository
from fiscus.diagnostics.schemas_practice import (
    DEFAULT_THRESHOLD,
    ClientCreate,
    ClientRead,
    ClientUpdate,
    PracticeSettingsRead,
    PracticeSettingsUpdate,
)

BASIS_KEYS = frozenset({"amount", "benchmark", "percentage", "floor", "cap"})
FRACTION_KEYS = ("performance", "trivial")


@dataclass(frozen=True, slots=True)
class AnalysisSettings:
    """What the practice and (when given) the client bring to one analysis."""

    client_id: uuid.UUID | None
    mapping: dict[str, Any] | None
    client_materiality: dict[str, str]
    practice_materiality: dict[str, str]
    threshold: float


def _loads(text: str | None) -> dict[str, Any]:
    value = json.loads(text) if text else {}
    return value if isinstance(value, dict) else {}


def _dumps(value: dict[str, Any] | None) -> str | None:
    return json.dumps(value, sort_keys=True) if value else None


def _checked_mapping(raw: dict[str, Any] | None) -> dict[str, Any] | None:
    if raw is None:
        return None
    parse_mapping(raw)  # 422 naming mapping.<role> when a role or column is not valid
    return dict(raw)


def _client(session: Session, ctx: TenantContext, client_id: uuid.UUID) -> DiagnosticsClient:
    found = ClientRepository(session, ctx.tenant_id).get(client_id)
    if found is None:
        raise ClientNotFound(field="client_id")
    return found


def _claim_name(session: Session, ctx: TenantContext, name: str, own: uuid.UUID | None) -> str:
    key = " ".join(name.casefold().split())
    other = ClientRepository(session, ctx.tenant_id).by_name_key(key)
    if other is not None and other.id != own:
        raise ClientNameTaken(f"A client named {name!r} already exists.", field="name")
    return key


def _flush_claiming(session: Session, name: str) -> None:
    """Flush a new or renamed client; two requests racing for one name meet the unique
    constraint, and the loser gets the same 409 as the check above gives."""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise ClientNameTaken(f"A client named {name!r} already exists.", field="name") from exc


def client_read(session: Session, ctx: TenantContext, client: DiagnosticsClient) -> ClientRead:
    return client_reads(session, ctx, [client])[0]


def client_reads(
    session: Session, ctx: TenantContext, clients: list[DiagnosticsClient]
) -> list[ClientRead]:
    activity = HistoryRepository(session, ctx.tenant_id).activity_of([c.id for c in clients])
    reads = []
    for c in clients:
        count, last = activity.get(c.id, (0, None))
        reads.append(
            ClientRead(
                id=c.id,
                name=c.name,
                industry=c.industry,
                fiscal_year_end=c.fiscal_year_end,
                materiality=_loads(c.materiality),
                mapping=_loads(c.mapping) or None,
                analysis_count=count,
                last_analysed_at=last,
                created_at=c.created_at,
                updated_at=c.updated_at,
            )
        )
    return reads


def list_clients(
    session: Session, ctx: TenantContext, *, search: str | None, offset: int, limit: int
) -> tuple[list[ClientRead], int]:
    key = " ".join(search.casefold().split()) if search else None
    rows, total = ClientRepository(session, ctx.tenant_id).listed(
        search=key, offset=offset, limit=limit
    )
    return client_reads(session, ctx, rows), total


def get_client(session: Session, ctx: TenantContext, client_id: uuid.UUID) -> ClientRead:
    return client_read(session, ctx, _client(session, ctx, client_id))


def create_client(session: Session, ctx: TenantContext, data: ClientCreate) -> ClientRead:
    client = DiagnosticsClient(
        tenant_id=ctx.tenant_id,
        name=data.name,
        name_key=_claim_name(session, ctx, data.name, None),
        industry=data.industry,
        fiscal_year_end=data.fiscal_year_end,
        materiality=_dumps(data.materiality.given() if data.materiality else None),
        mapping=_dumps(_checked_mapping(data.mapping)),
    )
    ClientRepository(session, ctx.tenant_id).add(client)
    _flush_claiming(session, data.name)
    audit_service.record(
        session,
        ctx,
        action="diagnostics.client_create",
        resource_type="diagnostics_client",
        resource_id=client.id,
        after={"name": client.name},
    )
    return client_read(session, ctx, client)


def update_client(
    session: Session, ctx: TenantContext, client_id: uuid.UUID, data: ClientUpdate
) -> ClientRead:
    client = _client(session, ctx, client_id)
    sent = data.model_fields_set
    before = {"name": client.name}
    if "name" in sent and data.name is not None:
        client.name_key = _claim_name(session, ctx, data.name, client.id)
        client.name = data.name
    if "industry" in sent:
        client.industry = data.industry
    if "fiscal_year_end" in sent and data.fiscal_year_end is not None:
        client.fiscal_year_end = data.fiscal_year_end
    if "materiality" in sent:
        client.materiality = _dumps(data.materiality.given() if data.materiality else None)
    if "mapping" in sent:
        client.mapping = _dumps(_checked_mapping(data.mapping))
    _flush_claiming(session, client.name)
    audit_service.record(
        session,
        ctx,
        action="diagnostics.client_update",
        resource_type="diagnostics_client",
        resource_id=client.id,
        before=before,
        after={"name": client.name, "fields": sorted(sent)},
    )
    return client_read(session, ctx, client)


def delete_client(session: Session, ctx: TenantContext, client_id: uuid.UUID) -> None:
    client = _client(session, ctx, client_id)
    audit_service.record(
        session,
        ctx,
        action="diagnostics.client_delete",
        resource_type="diagnostics_client",
        resource_id=client.id,
        before={"name": client.name},
    )
    ClientRepository(session, ctx.tenant_id).delete(client)


def save_mapping(
    session: Session, ctx: TenantContext, client_id: uuid.UUID, mapping: dict[str, Any]
) -> None:
    """The request's mapping kept as the client's (after a successful analysis)."""
    client = _client(session, ctx, client_id)
    client.mapping = _dumps(_checked_mapping(mapping))
    session.flush()


def practice_settings(session: Session, ctx: TenantContext) -> PracticeSettingsRead:
    row = SettingRepository(session, ctx.tenant_id).get()
    threshold = row.confidence_threshold if row is not None else None
    return PracticeSettingsRead(
        materiality=_loads(row.materiality) if row is not None else {},
        confidence_threshold=threshold if threshold is not None else DEFAULT_THRESHOLD,
        confidence_threshold_set=threshold is not None,
        updated_at=row.updated_at if row is not None else None,
    )


def replace_practice_settings(
    session: Session, ctx: TenantContext, data: PracticeSettingsUpdate
) -> PracticeSettingsRead:
    row = SettingRepository(session, ctx.tenant_id).get_or_create()
    before = {"materiality": _loads(row.materiality), "threshold": row.confidence_threshold}
    row.materiality = _dumps(data.materiality.given() if data.materiality else None)
    row.confidence_threshold = data.confidence_threshold
    session.flush()
    audit_service.record(
        session,
        ctx,
        action="diagnostics.settings_update",
        resource_type="diagnostics_setting",
        before=before,
        after={"materiality": _loads(row.materiality), "threshold": row.confidence_threshold},
    )
    return practice_settings(session, ctx)


def analysis_settings(
    session: Session, ctx: TenantContext, client_id: uuid.UUID | None
) -> AnalysisSettings:
    practice = practice_settings(session, ctx)
    client = _client(session, ctx, client_id) if client_id is not None else None
    return AnalysisSettings(
        client_id=client.id if client is not None else None,
        mapping=(_loads(client.mapping) or None) if client is not None else None,
        client_materiality=_loads(client.materiality) if client is not None else {},
        practice_materiality=practice.materiality,
        threshold=practice.confidence_threshold,
    )


def layered_materiality(request: Any, settings: AnalysisSettings) -> tuple[Any, dict[str, str]]:
    """The materiality to analyse with, and which level each part came from.

    The basis (amount, or benchmark and percentage, with floor and cap) is taken whole
    from the highest level that sets any of it — a request's fixed amount is never
    capped by a client's cap; `performance` and `trivial` each from the highest level
    that sets it. A request that is not a JSON object is passed on to be refused."""
    if request is not None and not isinstance(request, dict):
        return request, {}
    levels = (
        ("request", request or {}),
        ("client", settings.client_materiality),
        ("practice", settings.practice_materiality),
    )
    merged: dict[str, Any] = dict(request or {})
    sources = {"basis": "default", "performance": "default", "trivial": "default"}
    for name, level in levels:
        if BASIS_KEYS & level.keys():
            merged.update({k: v for k, v in level.items() if k in BASIS_KEYS})
            sources["basis"] = name
            break
    for key in FRACTION_KEYS:
        for name, level in levels:
            if key in level:
                merged[key] = level[key]
                sources[key] = name
                break
    return (merged or None), sources
