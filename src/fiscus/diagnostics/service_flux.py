"""Use case: the flux analysis of two uploaded trial balances (current and prior).

Zero storage as for one trial balance (see docs.md): both files live only in this
request's memory; ingestion and the analysis engine run on each, `flux.compare` compares
them, and the one thing kept is an audit event with aggregate metadata (no account
names, no per-account amounts, the file names only as SHA-256)."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.context import TenantContext
from fiscus.core.errors import DomainError
from fiscus.diagnostics import analysis, flux, service_clients, service_history
from fiscus.diagnostics import schemas as results
from fiscus.diagnostics.accounts_page import AccountsPage
from fiscus.diagnostics.analysis import Analysis, parse_materiality, parse_overrides
from fiscus.diagnostics.flux.upload import FILES, File, FilesUpload
from fiscus.diagnostics.ingest import Ingested, ingest
from fiscus.diagnostics.ingest.errors import MalformedRequest, MappingRequired
from fiscus.diagnostics.ingest.limits import DEFAULT_LIMITS, Limits
from fiscus.diagnostics.ingest.mapping import ColumnMapping, parse_mapping
from fiscus.diagnostics.ingest.upload import json_field
from fiscus.diagnostics.trial_balance import TrialBalance

DEFAULT_PAGE = AccountsPage()

FIELDS = (
    "materiality",
    "mapping",
    "client_id",
    "overrides",
    "thresholds",
    "current_sheets",
    "prior_sheets",
)


class FileMappingRequired(MappingRequired):
    """The columns of one of the two files cannot be identified; `file` says which."""

    def __init__(self, exc: MappingRequired, file: str) -> None:
        super().__init__(
            f"The {file} file: {exc.detail}", sheet=exc.sheet, candidates=exc.candidates
        )
        self.file = file


def _sheets(upload: FilesUpload, name: str) -> list[str] | None:
    value = json_field(upload.fields, name)
    if value is None:
        return None
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise MalformedRequest(f"{name} must be a JSON list of sheet names.", field=name)
    return value


def _check_fields(upload: FilesUpload) -> None:
    unknown = sorted(set(upload.fields) - set(FIELDS))
    if unknown:
        raise MalformedRequest(
            f"Unknown form field {unknown[0]!r}: a flux analysis takes the files "
            f"{' and '.join(repr(f) for f in FILES)} and the fields {', '.join(FIELDS)}.",
            field=unknown[0],
        )


def _client_id(upload: FilesUpload) -> uuid.UUID | None:
    raw = (upload.fields.get("client_id") or "").strip()
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError as exc:
        raise MalformedRequest("client_id must be a UUID.", field="client_id") from exc


def _ingest(
    name: str,
    file: File,
    mapping: ColumnMapping | None,
    upload: FilesUpload,
    limits: Limits,
    threshold: float,
) -> Ingested:
    """One file ingested; an error about "the file" is re-addressed to this file's field."""
    try:
        return ingest(
            file.data,
            file.name,
            mapping=mapping,
            sheets=_sheets(upload, f"{name}_sheets"),
            limits=limits,
            threshold=threshold,
        )
    except MappingRequired as exc:
        raise FileMappingRequired(exc, name) from exc
    except DomainError as exc:
        if exc.field in (None, "file"):
            exc.field = name
        elif exc.field == "sheets":
            exc.field = f"{name}_sheets"
        exc.detail = f"The {name} file: {exc.detail}"
        exc.args = (exc.detail,)
        raise


def analyse_flux_upload(
    session: Session,
    ctx: TenantContext,
    *,
    upload: FilesUpload,
    limits: Limits = DEFAULT_LIMITS,
    page: AccountsPage = DEFAULT_PAGE,
) -> bytes:
    """The flux analysis of the uploaded current and prior trial balances as JSON bytes;
    one audit event. `page`: which of the compared accounts `accounts` lists (the first
    10,000 by default, as for one trial balance); everything else covers all of them."""
    _check_fields(upload)
    client_id = _client_id(upload)
    # the client's saved mapping and materiality, the practice's defaults, as for one TB
    settings = service_clients.analysis_settings(session, ctx, client_id)
    thresholds = flux.parse_thresholds(json_field(upload.fields, "thresholds"))
    layered, sources = service_clients.layered_materiality(
        json_field(upload.fields, "materiality"), settings
    )
    materiality = parse_materiality(layered)
    overrides = parse_overrides(json_field(upload.fields, "overrides"))
    mapping_raw = json_field(upload.fields, "mapping")
    mapping_source = "request" if mapping_raw is not None else None
    if mapping_raw is None and settings.mapping is not None:
        mapping_raw, mapping_source = settings.mapping, "client"
    mapping = parse_mapping(mapping_raw) if mapping_raw is not None else None
    ingested = {
        n: _ingest(n, upload.files[n], mapping, upload, limits, settings.threshold) for n in FILES
    }
    analysed = {
        n: analysis.analyse(_main_tb(i), materiality=materiality, overrides=overrides)
        for n, i in ingested.items()
    }
    report = flux.compare(analysed["current"], analysed["prior"], thresholds)
    body: dict[str, Any] = {n: _period(ingested[n], analysed[n]) for n in FILES}
    body["materiality"] = analysed["current"].materiality
    body.update(
        client_id=str(client_id) if client_id else None,
        mapping_source=mapping_source,
        materiality_sources=sources,
    )
    body.update((f.name, getattr(report, f.name)) for f in dataclasses.fields(report))
    start, stop = page.window(len(report.accounts))
    body["accounts"] = report.accounts[start:stop]
    body["accounts_total"] = len(report.accounts)
    body["accounts_page"] = page.describe(len(report.accounts))
    _audit(session, ctx, upload, ingested, analysed, report)
    return results.dumps(body)


def _main_tb(ingested: Ingested) -> TrialBalance:
    return ingested.consolidated or ingested.sheets[0].trial_balance


def _period(ingested: Ingested, result: Analysis) -> dict[str, Any]:
    tb = _main_tb(ingested)
    return {
        "file_format": ingested.file_format,
        "consolidated": ingested.consolidated is not None,
        "sheets": [
            {"sheet": part.trial_balance.sheet, **results.ingestion_of(part)}
            for part in ingested.sheets
        ],
        "source_rows": tb.source_rows,
        "row_count": result.row_count,
        "excluded": [{"line_no": e.line_no, "reason": e.reason} for e in tb.excluded],
        "balanced": result.balanced,
        "total_debits": result.total_debits,
        "total_credits": result.total_credits,
        "difference": result.difference,
        "chart_scheme": result.chart_scheme,
        "anomaly_count": len(result.anomalies),
        "risk_score": result.risk_score,
        "risk_tier": result.risk_tier,
    }


def _audit(
    session: Session,
    ctx: TenantContext,
    upload: FilesUpload,
    ingested: dict[str, Ingested],
    analysed: dict[str, Analysis],
    report: flux.FluxReport,
) -> None:
    after: dict[str, Any] = {}
    for name in FILES:
        result = analysed[name]
        after[name] = {
            "file_sha256": service_history.file_sha256(upload.files[name].name),
            "file_format": ingested[name].file_format,
            "file_bytes": len(upload.files[name].data),
            "sheet_count": len(ingested[name].sheets),
            "row_count": result.row_count,
            "total_debits": str(result.total_debits),
            "total_credits": str(result.total_credits),
            "balanced": result.balanced,
        }
    summary = report.summary
    after["summary"] = {
        key: summary[key]
        for key in ("accounts", "matched", "new", "removed", "sign_flips", "reclassified")
    }
    after["summary"]["high_risk"] = summary["risk"]["high"]
    audit_service.record(
        session, ctx, action="diagnostics.flux", resource_type="trial_balance", after=after
    )
