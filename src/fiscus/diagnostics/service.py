"""Use cases of the diagnostics domain: analyse an uploaded trial balance, inspect a
workbook. Zero storage: the file's bytes live only in this request's memory; the one
thing kept is an audit event with aggregate metadata (no account names, no amounts per
account, the file name only as a SHA-256 prefix) — and, after a successful analysis, one history
row of aggregate figures (`service_history`). With a `client_id` the client's saved
mapping and materiality apply (`service_clients`)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.context import TenantContext
from fiscus.diagnostics import schemas as results
from fiscus.diagnostics import service_clients, service_history
from fiscus.diagnostics.accounts_page import AccountsPage
from fiscus.diagnostics.analysis import parse_materiality, parse_overrides
from fiscus.diagnostics.errors import ClientNotFound
from fiscus.diagnostics.ingest import Ingested, IngestedSheet, ingest, inspect
from fiscus.diagnostics.ingest.errors import MalformedRequest
from fiscus.diagnostics.ingest.limits import DEFAULT_LIMITS, Limits
from fiscus.diagnostics.ingest.mapping import parse_mapping
from fiscus.diagnostics.ingest.upload import Upload, json_field
from fiscus.diagnostics.trial_balance import TrialBalance

FIELDS = ("materiality", "mapping", "sheets", "client_id", "overrides", "save_mapping")

__all__ = ["ClientNotFound", "analyse_upload", "inspect_upload"]


def _sheets(upload: Upload) -> list[str] | None:
    value = json_field(upload.fields, "sheets")
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or not value:
        raise MalformedRequest("sheets must be a JSON list of sheet names.", field="sheets")
    return value


def _client_id(upload: Upload) -> uuid.UUID | None:
    raw = upload.fields.get("client_id")
    if raw is None or not raw.strip():
        return None
    try:
        return uuid.UUID(raw.strip())
    except ValueError as exc:
        raise MalformedRequest("client_id must be a UUID.", field="client_id") from exc


def _save_mapping(upload: Upload, client_id: uuid.UUID | None) -> bool:
    raw = (upload.fields.get("save_mapping") or "").strip().lower()
    if raw in ("", "false", "0"):
        return False
    if raw not in ("true", "1"):
        raise MalformedRequest("save_mapping must be true or false.", field="save_mapping")
    if client_id is None:
        raise MalformedRequest("save_mapping needs a client_id to save to.", field="save_mapping")
    if upload.fields.get("mapping") is None:
        raise MalformedRequest("save_mapping needs a mapping to save.", field="mapping")
    return True


def analyse_upload(
    session: Session,
    ctx: TenantContext,
    *,
    upload: Upload,
    limits: Limits = DEFAULT_LIMITS,
    page: AccountsPage | None = None,
) -> bytes:
    """The analysis of the uploaded trial balance as JSON bytes; one audit event.
    `page`: which accounts the answer lists (see accounts_page; the first 10,000 by
    default)."""
    unknown = set(upload.fields) - set(FIELDS)
    if unknown:
        name = sorted(unknown)[0]
        raise MalformedRequest(f"Unknown form field {name!r}.", field=name)
    client_id = _client_id(upload)
    save = _save_mapping(upload, client_id)
    settings = service_clients.analysis_settings(session, ctx, client_id)
    mapping_raw = json_field(upload.fields, "mapping")
    mapping_source = "request" if mapping_raw is not None else None
    if mapping_raw is None and settings.mapping is not None:
        mapping_raw, mapping_source = settings.mapping, "client"
    mapping = parse_mapping(mapping_raw) if mapping_raw is not None else None
    layered, sources = service_clients.layered_materiality(
        json_field(upload.fields, "materiality"), settings
    )
    options = results.AnalysisOptions(
        materiality=parse_materiality(layered),
        overrides=parse_overrides(json_field(upload.fields, "overrides")),
    )
    ingested = ingest(
        upload.file_data,
        upload.file_name,
        mapping=mapping,
        sheets=_sheets(upload),
        limits=limits,
        threshold=settings.threshold,
    )
    body = _response(ingested, options, page or AccountsPage())
    _audit(session, ctx, upload, ingested, body)
    _remember(session, ctx, upload, ingested, body, client_id=client_id)
    if save and client_id is not None and isinstance(mapping_raw, dict):
        service_clients.save_mapping(session, ctx, client_id, mapping_raw)
    body.update(
        client_id=str(client_id) if client_id else None,
        mapping_source=mapping_source,
        materiality_sources=sources,
    )
    return results.dumps(body)


def _remember(
    session: Session,
    ctx: TenantContext,
    upload: Upload,
    ingested: Ingested,
    body: dict[str, Any],
    *,
    client_id: uuid.UUID | None,
) -> None:
    service_history.record_analysis(
        session,
        ctx,
        body,
        client_id=client_id,
        source="upload",
        file_name=upload.file_name,
        file_format=ingested.file_format,
        sheet_count=len(ingested.sheets),
    )


def _sheet_body(
    part: IngestedSheet, options: results.AnalysisOptions, page: AccountsPage
) -> dict[str, Any]:
    body = results.analyse(part.trial_balance, options, page)
    body["ingestion"] = results.ingestion_of(part)
    return body


def _response(
    ingested: Ingested, options: results.AnalysisOptions, page: AccountsPage
) -> dict[str, Any]:
    sheets = [_sheet_body(part, options, page) for part in ingested.sheets]
    if ingested.consolidated is None:
        body = sheets[0]
        body["sheets"] = []
    else:
        body = results.analyse(ingested.consolidated, options, page)
        body["sheets"] = sheets
    body["file_format"] = ingested.file_format
    body["consolidated"] = ingested.consolidated is not None
    return body


def _main_tb(ingested: Ingested) -> TrialBalance:
    return ingested.consolidated or ingested.sheets[0].trial_balance


def _audit(
    session: Session, ctx: TenantContext, upload: Upload, ingested: Ingested, body: dict[str, Any]
) -> None:
    tb = _main_tb(ingested)
    debits, credits = tb.total_debits, tb.total_credits
    audit_service.record(
        session,
        ctx,
        action="diagnostics.analyse",
        resource_type="trial_balance",
        after={
            "file_sha256": service_history.file_sha256(upload.file_name),
            "file_format": ingested.file_format,
            "file_bytes": len(upload.file_data),
            "sheet_count": len(ingested.sheets),
            "row_count": len(tb.rows),
            "excluded_count": len(tb.excluded),
            "total_debits": str(debits),
            "total_credits": str(credits),
            "balanced": debits == credits,
            "anomaly_count": len(body.get("anomalies") or ()),
        },
    )


def inspect_upload(upload: Upload, *, limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    file_format, infos = inspect(upload.file_data, upload.file_name, limits=limits)
    return {
        "file_format": file_format,
        "sheets": [
            {
                "name": info.name,
                "rows": info.rows,
                "columns": info.columns,
                "preview": info.preview,
            }
            for info in infos
        ],
    }
