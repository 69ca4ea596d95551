"""Use cases of the diagnostics domain: analyse an uploaded trial balance, inspect a
workbook. Zero storage: the file's bytes live only in this request's memory; the one
thing kept is an audit event with aggregate metadata (no account names, no amounts per
account, the file name only as a SHA-256 prefix)."""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.context import TenantContext
from fiscus.core.errors import NotFound
from fiscus.diagnostics import schemas as results
from fiscus.diagnostics.accounts_page import AccountsPage
from fiscus.diagnostics.analysis import parse_materiality, parse_overrides
from fiscus.diagnostics.ingest import Ingested, IngestedSheet, ingest, inspect
from fiscus.diagnostics.ingest.errors import MalformedRequest
from fiscus.diagnostics.ingest.limits import DEFAULT_LIMITS, Limits
from fiscus.diagnostics.ingest.mapping import parse_mapping
from fiscus.diagnostics.ingest.upload import Upload
from fiscus.diagnostics.trial_balance import TrialBalance

FIELDS = ("materiality", "mapping", "sheets", "client_id", "overrides")


class ClientNotFound(NotFound):
    """The client does not exist."""

    code = "client_not_found"


def _json_field(upload: Upload, name: str) -> Any:
    raw = upload.fields.get(name)
    if raw is None or not raw.strip():
        return None
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise MalformedRequest(f"The form field {name!r} is not valid JSON.", field=name) from exc


def _sheets(upload: Upload) -> list[str] | None:
    value = _json_field(upload, "sheets")
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or not value:
        raise MalformedRequest("sheets must be a JSON list of sheet names.", field="sheets")
    return value


def _check_client(upload: Upload) -> None:
    raw = upload.fields.get("client_id")
    if raw is None or not raw.strip():
        return None
    try:
        uuid.UUID(raw.strip())
    except ValueError as exc:
        raise MalformedRequest("client_id must be a UUID.", field="client_id") from exc
    # Clients (and their saved mappings and materiality) are not built yet: no client id
    # names a client of this tenant, so every one is answered like another tenant's.
    raise ClientNotFound(field="client_id")


def _file_label(file_name: str | None) -> str | None:
    if not file_name:
        return None
    return hashlib.sha256(file_name.encode("utf-8")).hexdigest()


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
    _check_client(upload)
    mapping_raw = _json_field(upload, "mapping")
    mapping = parse_mapping(mapping_raw) if mapping_raw is not None else None
    ingested = ingest(
        upload.file_data, upload.file_name, mapping=mapping, sheets=_sheets(upload), limits=limits
    )
    options = results.AnalysisOptions(
        materiality=parse_materiality(_json_field(upload, "materiality")),
        overrides=parse_overrides(_json_field(upload, "overrides")),
    )
    body = _response(ingested, options, page or AccountsPage())
    _audit(session, ctx, upload, ingested, body)
    return results.dumps(body)


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
            "file_sha256": _file_label(upload.file_name),
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
