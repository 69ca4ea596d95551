"""Use case: journal-entry testing of an uploaded general-ledger detail file.

Zero storage, as for the trial balance: the file's bytes live only in this request's
memory; the one thing kept is an audit event with aggregate metadata (counts and
totals; no account, description, user or entry number; the file name only as a
SHA-256)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy.orm import Session

from fiscus.audit import service as audit_service
from fiscus.core.context import TenantContext
from fiscus.diagnostics import schemas as results
from fiscus.diagnostics import service_clients
from fiscus.diagnostics.ingest.errors import MalformedRequest
from fiscus.diagnostics.ingest.limits import DEFAULT_LIMITS, Limits
from fiscus.diagnostics.ingest.upload import Upload
from fiscus.diagnostics.journal import (
    EntriesPage,
    JournalOptions,
    Ledger,
    parse_mapping,
    parse_options,
    read_ledger,
    run_tests,
)

FIELDS = ("mapping", "period_end", "threshold", "materiality", "holidays", "business_hours")


def _mapping(upload: Upload) -> Any:
    raw = upload.fields.get("mapping")
    if raw is None or not raw.strip():
        return None
    try:
        return parse_mapping(json.loads(raw))
    except json.JSONDecodeError as exc:
        raise MalformedRequest(
            "The form field 'mapping' is not valid JSON.", field="mapping"
        ) from exc


def _options_body(options: JournalOptions) -> dict[str, Any]:
    start, end = options.business_hours
    return {
        "period_end": options.period_end,
        "threshold": options.threshold,
        "materiality": options.materiality,
        "holidays": "request" if options.holidays is not None else "australian_national",
        "business_hours": f"{start.strftime('%H:%M')}-{end.strftime('%H:%M')}",
    }


def analyse_journal_entries(
    session: Session,
    ctx: TenantContext,
    *,
    upload: Upload,
    limits: Limits = DEFAULT_LIMITS,
    page: EntriesPage | None = None,
) -> bytes:
    """The journal-entry testing answer as JSON bytes; one audit event."""
    unknown = set(upload.fields) - set(FIELDS)
    if unknown:
        name = sorted(unknown)[0]
        raise MalformedRequest(f"Unknown form field {name!r}.", field=name)
    options = parse_options(upload.fields)
    threshold = service_clients.practice_settings(session, ctx).confidence_threshold
    ledger = read_ledger(
        upload.file_data,
        upload.file_name,
        mapping=_mapping(upload),
        limits=limits,
        threshold=threshold,
    )
    body = run_tests(
        ledger.built.lines, options, has_time=ledger.built.has_time, page=page or EntriesPage()
    )
    body = {**_ingestion(ledger), "options": _options_body(options), **body}
    _audit(session, ctx, upload, ledger, body)
    return results.dumps(body)


def _ingestion(ledger: Ledger) -> dict[str, Any]:
    return {
        "file_format": ledger.file_format,
        "sheet": ledger.sheet,
        "source_rows": ledger.built.source_rows,
        "ingestion": {"header_line": ledger.header_line, "columns": ledger.columns},
        "excluded": [{"line_no": e.line_no, "reason": e.reason} for e in ledger.built.excluded],
    }


def _audit(
    session: Session, ctx: TenantContext, upload: Upload, ledger: Ledger, body: dict[str, Any]
) -> None:
    population, totals = body["population"], body["totals"]
    name = upload.file_name
    audit_service.record(
        session,
        ctx,
        action="diagnostics.journal_entries",
        resource_type="general_ledger",
        after={
            "file_sha256": hashlib.sha256(name.encode("utf-8")).hexdigest() if name else None,
            "file_format": ledger.file_format,
            "file_bytes": len(upload.file_data),
            "line_count": population["lines"],
            "entry_count": population["entries"],
            "excluded_count": len(ledger.built.excluded),
            "total_debits": str(population["total_debits"]),
            "total_credits": str(population["total_credits"]),
            "flagged_entries": totals["flagged_entries"],
        },
    )
