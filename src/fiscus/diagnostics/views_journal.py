"""The journal-entry testing page: a general-ledger detail file tested entry by entry
(unbalanced, weekend/holiday and after-hours postings, round and just-below-threshold
amounts, duplicates, gaps, rare accounts, post-period-end, keywords, Benford).

Zero storage as on the other diagnostics pages: the file stays in the browser's file
input and is posted again with every re-run; the body is read in memory by the API's own
reader, and the router refuses a multipart request without the CSRF header before
anything parses it (see `views`). The options are the API's own text fields, passed as
typed; the mapping dialog's `map.<role>` fields become the `mapping` JSON."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session
from starlette.responses import Response

from fiscus.core.context import TenantContext
from fiscus.core.errors import DomainError
from fiscus.diagnostics import service, service_journal, views_model
from fiscus.diagnostics.ingest.errors import MappingRequired
from fiscus.diagnostics.ingest.limits import Limits
from fiscus.diagnostics.ingest.upload import Upload, read_upload
from fiscus.diagnostics.views_form import PageChoices, mapping_fields
from fiscus.diagnostics.views_model import money
from fiscus.tenancy.permissions import Permission
from fiscus.web import render, shell
from fiscus.web.deps import DbSession, ensure
from fiscus.web.errors import STATUS
from fiscus.web.page_auth import PageUser

router = APIRouter(include_in_schema=False)

OPTIONS = ("period_end", "threshold", "materiality", "business_hours")
ROLE_LABELS = {
    "entry": "Entry number",
    "date": "Date",
    "time": "Time",
    "account": "Account code",
    "account_name": "Account name",
    "description": "Description",
    "debit": "Debit",
    "credit": "Credit",
    "amount": "Signed amount",
    "user": "Entered by",
}
TEST_LABELS = {
    "unbalanced_entry": "Unbalanced entries",
    "weekend_posting": "Weekend postings",
    "public_holiday_posting": "Public-holiday postings",
    "after_hours_posting": "After-hours postings",
    "round_amount": "Round amounts",
    "just_below_threshold": "Just below the approval threshold",
    "duplicate_lines": "Duplicate lines",
    "duplicate_amount_description": "Same amount and description",
    "rare_account": "Rarely used accounts",
    "post_period_end": "Posted after period end",
    "suspicious_keyword": "Suspicious descriptions",
}


def _limits(request: Request) -> Limits:
    limits = getattr(request.app.state, "diagnostics_limits", None)
    return limits if isinstance(limits, Limits) else Limits()


def service_upload(upload: Upload) -> tuple[Upload, PageChoices, dict[str, str]]:
    typed = {name: upload.fields.get(name, "").strip() for name in OPTIONS}
    choices = PageChoices(mapping=mapping_fields(upload.fields, tuple(ROLE_LABELS)))
    fields = {name: value for name, value in typed.items() if value}
    if choices.mapping:
        fields["mapping"] = json.dumps({k: int(v) for k, v in choices.mapping.items()})
    return Upload(upload.file_name, upload.file_data, fields), choices, typed


def result(body: dict[str, Any], choices: PageChoices) -> dict[str, Any]:
    summary = body.get("summary") or {}
    tests = [
        {"code": code, "label": TEST_LABELS.get(code, code.replace("_", " ")), **t}
        for code, t in summary.items()
        if isinstance(t, dict) and "entries" in t  # gaps and Benford have their own panel
    ]
    entries = sorted(body.get("entries") or [], key=lambda e: -int(e.get("score") or 0))
    return {
        "money": money,
        "tests": tests,
        "totals": body.get("totals") or {},
        "population": body.get("population") or {},
        "entries": entries,
        "page": body.get("entries_page") or {},
        "gaps": body.get("gaps") or {},
        "benford": [b for b in (body.get("benford") or {}).values() if isinstance(b, dict)],
        "rare_accounts": body.get("rare_accounts") or [],
        "options": body.get("options") or {},
        "choices": choices,
    }


def _page(
    request: Request,
    session: Session,
    ctx: TenantContext,
    *,
    fragment: bool = False,
    status: int = 200,
    outcome: dict[str, Any] | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    context: dict[str, Any] = {"outcome": outcome, "typed": typed or {}}
    if fragment and render.wants_fragment(request):
        return render.render(
            request, "diagnostics_journal.html", context, status_code=status, block="result"
        )
    context.update(shell=shell.load(session, ctx), active="diagnostics", section="journal")
    return render.render(request, "diagnostics_journal.html", context, status_code=status)


@router.get("/diagnostics/journal")
def journal_page(request: Request, session: DbSession, ctx: PageUser) -> Response:
    ensure(ctx, Permission.DATA_READ)
    return _page(request, session, ctx)


def _preview(upload: Upload, sheet: str | None, limits: Limits) -> list[list[str]]:
    """The first rows of the sheet the mapping is for (the upload is still in this
    request's memory)."""
    return views_model.preview_of(service.inspect_upload(upload, limits=limits), sheet)


@router.post("/diagnostics/journal")
async def journal(request: Request, session: DbSession, ctx: PageUser) -> Response:
    """The flagged entries with their scores, the tests run (or why not), the
    population; the mapping dialog when columns are unclear; or the refusal."""
    ensure(ctx, Permission.DATA_READ)
    limits = _limits(request)
    choices = PageChoices()
    typed: dict[str, str] = {}
    try:
        upload = await read_upload(
            request.stream(),
            request.headers.get("content-type"),
            limits,
            content_length=request.headers.get("content-length"),
        )
        ledger_upload, choices, typed = service_upload(upload)
        body = await run_in_threadpool(
            service_journal.analyse_journal_entries,
            session,
            ctx,
            upload=ledger_upload,
            limits=limits,
        )
    except MappingRequired as exc:
        preview = await run_in_threadpool(_preview, upload, exc.sheet, limits)
        dialog = views_model.mapping_dialog(
            exc.detail, exc.sheet, exc.candidates, choices, preview, ROLE_LABELS
        )
        outcome: dict[str, Any] = {"kind": "mapping", "dialog": dialog, "client_id": ""}
        status = 422
    except DomainError as exc:
        outcome = {"kind": "error", "detail": exc.detail, "code": exc.code}
        status = outcome["status"] = STATUS[exc.kind]
    else:
        outcome = {"kind": "journal", "view": result(json.loads(body), choices)}
        status = 200
    return await run_in_threadpool(
        lambda: _page(
            request, session, ctx, fragment=True, status=status, outcome=outcome, typed=typed
        )
    )
