"""The flux page: two trial balances (current and prior period) compared per account.

As on the upload page, both files stay in the browser's file inputs and are posted again
with every re-run (other thresholds, a materiality, a mapping); the body is read in
memory by the flux API's own reader (`read_files`), and the router refuses a multipart
request without the CSRF header before anything parses it (see `views`).

Form fields: `current`, `prior` (the files), `thr.high_pct`, `thr.medium_pct` (as typed:
20 = 20 %), `thr.high_amount`, `thr.medium_amount`, the `mat.*` and `map.*` fields of
the upload page (`views_form`)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from fiscus.diagnostics.flux.upload import FilesUpload
from fiscus.diagnostics.ingest.upload import Upload
from fiscus.diagnostics.views_form import (
    PageChoices,
    decimal_field,
    mapping_fields,
    materiality_fields,
)
from fiscus.diagnostics.views_model import money

THRESHOLDS = ("high_pct", "medium_pct", "high_amount", "medium_amount")
RISK_ORDER = {"high": 0, "medium": 1, "low": 2, "none": 3}
MAX_ROWS = 2000


def _thresholds(fields: dict[str, str]) -> tuple[dict[str, str], dict[str, str] | None]:
    typed = {name: fields.get(f"thr.{name}", "").strip() for name in THRESHOLDS}
    chosen = {}
    for name, raw in typed.items():
        if raw:
            value = decimal_field(raw, f"thresholds.{name}")
            chosen[name] = str(value / 100 if name.endswith("_pct") else value)
    return typed, chosen or None


def service_upload(upload: FilesUpload) -> tuple[FilesUpload, PageChoices, dict[str, str]]:
    """The page's two-file upload as the flux service's (JSON fields), what the user
    chose, and the thresholds as typed."""
    fields = upload.fields
    choices = PageChoices(mapping=mapping_fields(fields))
    choices.materiality, materiality = materiality_fields(fields)
    typed, thresholds = _thresholds(fields)
    out: dict[str, str] = {}
    if choices.mapping:
        out["mapping"] = json.dumps({k: int(v) for k, v in choices.mapping.items()})
    if materiality is not None:
        out["materiality"] = json.dumps(materiality)
    if thresholds is not None:
        out["thresholds"] = json.dumps(thresholds)
    return FilesUpload(files=upload.files, fields=out), choices, typed


def one_file(upload: FilesUpload, name: str) -> Upload:
    """One of the two files as a single upload (to preview it for the mapping dialog)."""
    file = upload.files[name]
    return Upload(file.name, file.data, {})


def _pct(raw: Any) -> str:
    return f"{Decimal(str(raw)) * 100:,.1f} %" if raw not in (None, "") else "—"


def _account(a: dict[str, Any]) -> dict[str, Any]:
    readiness = a.get("readiness") or {}
    return {
        "key": a.get("key"),
        "number": a.get("number") or a.get("prior_number") or "",
        "name": a.get("name") or a.get("prior_name") or "",
        "status": a.get("status"),
        "lead_sheet": a.get("lead_sheet") or "",
        "current": money(a.get("current")),
        "prior": money(a.get("prior")),
        "change": money(a.get("change")),
        "change_pct": _pct(a.get("change_pct")) if a.get("change_pct") is not None else "—",
        "pct_reason": a.get("change_pct_reason") or "",
        "risk": a.get("risk") or "none",
        "risk_reason": a.get("risk_reason") or "",
        "material": bool(a.get("material")),
        "sign_flip": bool(a.get("sign_flip")),
        "reclassified": a.get("reclassification") is not None,
        "readiness": readiness.get("score"),
        "band": readiness.get("band") or "",
        "actions": readiness.get("actions") or [],
        "findings": a.get("findings") or [],
    }


def _size(a: dict[str, Any]) -> Decimal:
    return abs(Decimal(str(a.get("change") or 0)))


def result(body: dict[str, Any], typed: dict[str, str], choices: PageChoices) -> dict[str, Any]:
    """The context of the flux result: the periods, the summary, the category totals, the
    lists of new/removed/flipped/reclassified accounts, and the accounts by risk."""
    accounts = sorted(
        body.get("accounts") or [],
        key=lambda a: (RISK_ORDER.get(a.get("risk") or "none", 4), -_size(a)),
    )
    thresholds = body.get("thresholds") or {}
    totals = (body.get("totals") or {}).get("by_category") or {}
    return {
        "periods": [(name, body.get(name) or {}) for name in ("current", "prior")],
        "money": money,
        "summary": body.get("summary") or {},
        "thresholds": {
            "high_pct": _pct(thresholds.get("high_pct")),
            "medium_pct": _pct(thresholds.get("medium_pct")),
            "high_amount": money(thresholds.get("high_amount")),
            "medium_amount": money(thresholds.get("medium_amount")),
            "basis": thresholds.get("amount_basis") or "",
            "note": thresholds.get("note") or "",
        },
        "categories": [
            (category, money(t.get("current")), money(t.get("prior")), money(t.get("change")))
            for category, t in totals.items()
        ],
        "new": body.get("new_accounts") or [],
        "removed": body.get("removed_accounts") or [],
        "flips": body.get("sign_flips") or [],
        "reclassifications": body.get("reclassifications") or [],
        "warnings": body.get("warnings") or [],
        "rows": [_account(a) for a in accounts[:MAX_ROWS]],
        "account_count": body.get("accounts_total", len(accounts)),
        "typed": typed,
        "choices": choices,
    }
