"""The diagnostics page's form fields, turned into the service's upload fields.

The page sends plain form fields (one select per account, one per column role, the
materiality inputs); the service takes the API's JSON fields (`overrides`, `mapping`,
`materiality`, `sheets`). Translating here keeps one analysis code path for the API and
the page. What the user chose is returned too, so the result can render it again: the
page holds all of its state (and the file) in the browser, nothing is kept on the server.

Field names: `sheet.<i>` (a sheet name per ticked box), `map.<role>` (a 0-based column
index) and `map.header_line` (1-based, 0 = no header), `ovk.<i>` + `ovc.<i>` (an
account's key, its number or else its name, and the category chosen for it; blank =
as classified), `mat.mode` (`auto`, `amount` or a benchmark), `mat.amount`,
`mat.percentage`, `mat.performance`, `mat.trivial` (percentages as typed: 5 = 5 %),
`client_id` (the client whose saved mapping and materiality apply, and whose history
records the run) and `save_mapping` (1: save the dialog's mapping for that client).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from fiscus.diagnostics.analysis.types import CATEGORIES
from fiscus.diagnostics.ingest.columns import ROLES
from fiscus.diagnostics.ingest.errors import MalformedRequest
from fiscus.diagnostics.ingest.upload import Upload

BENCHMARKS = ("pre_tax_profit", "revenue", "total_assets", "equity")
MAT_MODES = ("auto", "amount", *BENCHMARKS)
_PERCENT_FIELDS = ("percentage", "performance", "trivial")


@dataclass(slots=True)
class PageChoices:
    """What the user chose on the page, as the result re-renders it."""

    sheets: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, str] = field(default_factory=dict)
    materiality: dict[str, str] = field(default_factory=lambda: {"mode": "auto"})
    client_id: str = ""


def _indexed(fields: dict[str, str], prefix: str) -> dict[str, str]:
    """`prefix.<i>` fields by `<i>`, in the order of `<i>` as a number."""
    found = {k[len(prefix) + 1 :]: v for k, v in fields.items() if k.startswith(prefix + ".")}
    return dict(sorted(found.items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else -1))


def mapping_fields(fields: dict[str, str], roles: Sequence[str] = ROLES) -> dict[str, str]:
    """The `map.<role>` fields chosen in the mapping dialog (column indexes)."""
    chosen = {}
    for role in (*roles, "header_line"):
        value = fields.get(f"map.{role}", "").strip()
        if value:
            if not value.isdigit():
                raise MalformedRequest(
                    f"mapping.{role} must be a column number.", field=f"mapping.{role}"
                )
            chosen[role] = value
    return chosen


def _overrides(fields: dict[str, str]) -> dict[str, str]:
    keys, categories = _indexed(fields, "ovk"), _indexed(fields, "ovc")
    chosen: dict[str, str] = {}
    for index, category in categories.items():
        key = keys.get(index, "").strip()
        if not category or not key:
            continue
        if category not in CATEGORIES:
            raise MalformedRequest(
                f"overrides.{key}: {category!r} is not a category.", field=f"overrides.{key}"
            )
        chosen[key] = category
    return chosen


def decimal_field(raw: str, name: str) -> Decimal:
    """A typed number (thousands separators allowed); refused naming the field."""
    try:
        value = Decimal(raw.replace(",", "").strip())
    except InvalidOperation as exc:
        raise MalformedRequest(f"{name} must be a number, not {raw!r}.", field=name) from exc
    if not value.is_finite():
        raise MalformedRequest(f"{name} must be a number.", field=name)
    return value


def materiality_fields(fields: dict[str, str]) -> tuple[dict[str, str], dict[str, Any] | None]:
    typed = {
        name: fields.get(f"mat.{name}", "").strip() for name in ("mode", "amount", *_PERCENT_FIELDS)
    }
    mode = typed["mode"] or "auto"
    if mode not in MAT_MODES:
        raise MalformedRequest(
            f"materiality.mode must be one of {', '.join(MAT_MODES)}.", field="materiality.mode"
        )
    typed["mode"] = mode
    request: dict[str, Any] = {}
    if mode == "amount":
        if not typed["amount"]:
            raise MalformedRequest(
                "materiality.amount is required for a fixed materiality.",
                field="materiality.amount",
            )
        request["amount"] = str(decimal_field(typed["amount"], "materiality.amount"))
    elif mode != "auto":
        request["benchmark"] = mode
    for name in _PERCENT_FIELDS:
        if typed[name] and (name != "percentage" or mode in BENCHMARKS):
            request[name] = str(decimal_field(typed[name], f"materiality.{name}") / 100)
    if mode == "auto" and not request:
        return typed, None
    return typed, request


def service_upload(upload: Upload) -> tuple[Upload, PageChoices]:
    """The page's upload as the service's (JSON fields), and the user's choices."""
    fields = upload.fields
    choices = PageChoices(
        sheets=[name for name in _indexed(fields, "sheet").values() if name],
        mapping=mapping_fields(fields),
        overrides=_overrides(fields),
        client_id=fields.get("client_id", "").strip(),
    )
    choices.materiality, materiality = materiality_fields(fields)
    out: dict[str, str] = {}
    if choices.sheets:
        out["sheets"] = json.dumps(choices.sheets)
    if choices.mapping:
        out["mapping"] = json.dumps({k: int(v) for k, v in choices.mapping.items()})
    if choices.overrides:
        out["overrides"] = json.dumps({k: {"category": v} for k, v in choices.overrides.items()})
    if materiality is not None:
        out["materiality"] = json.dumps(materiality)
    if choices.client_id:
        out["client_id"] = choices.client_id
        if fields.get("save_mapping") == "1" and choices.mapping:
            out["save_mapping"] = "true"
    return Upload(upload.file_name, upload.file_data, out), choices
