"""The books' own trial balance, analysed from the upload page ("Analyse the books";
the route is `POST /diagnostics/ledger` in `views`).

No file is involved: the ledger's trial balance at `ledger.as_of` (default today) goes
through the same analysis, and the result is the upload page's result (risk, findings,
classification with overrides, ratios, materiality, exports). Its re-runs (an override,
a materiality) post back here, as a plain url-encoded form, instead of re-posting a file."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.core.errors import DomainError, InvalidInput
from fiscus.diagnostics import service_ledger, views_form, views_model
from fiscus.diagnostics.ingest.upload import Upload
from fiscus.web.errors import STATUS

RERUN = {"url": "/diagnostics/ledger", "encoding": "application/x-www-form-urlencoded"}


def _as_of(raw: str) -> date | None:
    if not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError as exc:
        raise InvalidInput("ledger.as_of must be a date (YYYY-MM-DD).", field="as_of") from exc


def analyse(session: Session, ctx: TenantContext, fields: dict[str, str]) -> dict[str, Any]:
    """The outcome the result block renders: the analysis of the books, or the refusal
    (an empty ledger, a bad date or materiality) in the page."""
    try:
        return _analyse(session, ctx, fields)
    except DomainError as exc:
        return {"kind": "error", "status": STATUS[exc.kind], "code": exc.code, "detail": exc.detail}


def _analyse(session: Session, ctx: TenantContext, fields: dict[str, str]) -> dict[str, Any]:
    service_upload, choices = views_form.service_upload(Upload(fields=fields))
    json_fields = {k: json.loads(v) for k, v in service_upload.fields.items() if k != "client_id"}
    as_of = _as_of(fields.get("ledger.as_of", ""))
    body = service_ledger.analyse_ledger(
        session,
        ctx,
        as_of=as_of,
        materiality=json_fields.get("materiality"),
        overrides=json_fields.get("overrides"),
    )
    analysis = json.loads(body)
    label = f"The books at {analysis.get('as_of')}"
    return {
        "kind": "result",
        "status": 200,
        "view": views_model.result(analysis, choices, label, rerun=RERUN),
    }
