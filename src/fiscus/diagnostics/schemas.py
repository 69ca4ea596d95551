"""The JSON of an analysis: the ingestion's part, and the analysis engine's result.

The analysis engine (`fiscus.diagnostics.analysis`, written alongside) produces the
classification, checks, materiality, ratios and risk. While its `analyse` is not
there, the answer holds what ingestion alone knows for certain (totals, balanced,
difference, the accounts with debit/credit/net) and says `analysis_available: false`,
rather than pretending to findings. Amounts are decimal strings, never floats.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from fiscus.diagnostics.ingest import IngestedSheet
from fiscus.diagnostics.trial_balance import TrialBalance


@dataclass(frozen=True, slots=True)
class AnalysisOptions:
    """The request's materiality and classification overrides, as the JSON sent."""

    materiality: Any = None
    overrides: Any = None


def _engine() -> Any | None:
    try:
        module = importlib.import_module("fiscus.diagnostics.analysis")
    except ModuleNotFoundError:
        return None
    return module if hasattr(module, "analyse") else None


def basics(tb: TrialBalance) -> dict[str, Any]:
    debits, credits = tb.total_debits, tb.total_credits
    return {
        "sheet": tb.sheet,
        "balanced": debits == credits,
        "total_debits": str(debits),
        "total_credits": str(credits),
        "difference": str(debits - credits),
        "row_count": len(tb.rows),
        "source_rows": tb.source_rows,
        "excluded": [{"line_no": e.line_no, "reason": e.reason} for e in tb.excluded],
        "accounts": [
            {
                "line_no": r.line_no,
                "number": r.number,
                "name": r.name,
                "debit": str(r.debit),
                "credit": str(r.credit),
                "net": str(r.debit - r.credit),
                "type_hint": r.type_hint,
            }
            for r in tb.rows
        ],
    }


def _engine_inputs(engine: Any, options: AnalysisOptions) -> tuple[Any, dict[str, Any]]:
    materiality = options.materiality
    overrides = options.overrides or {}
    request_type = getattr(engine, "MaterialityRequest", None)
    if materiality is not None and hasattr(request_type, "model_validate"):
        materiality = request_type.model_validate(materiality)  # type: ignore[union-attr]
    override_type = getattr(engine, "ClassificationOverride", None)
    if hasattr(override_type, "model_validate"):
        overrides = {k: override_type.model_validate(v) for k, v in overrides.items()}  # type: ignore[union-attr]
    return materiality, overrides


def analyse(tb: TrialBalance, options: AnalysisOptions) -> dict[str, Any]:
    body = basics(tb)
    engine = _engine()
    body["analysis_available"] = engine is not None
    if engine is None:
        return body
    materiality, overrides = _engine_inputs(engine, options)
    result = engine.analyse(tb, materiality=materiality, overrides=overrides)
    analysed = to_jsonable(result)
    if isinstance(analysed, dict):
        body.update(analysed)
    return body


def ingestion_of(part: IngestedSheet) -> dict[str, Any]:
    return {
        "layout": part.layout,
        "header_line": part.header_line,
        "columns": {
            role: {"column": index, "header": header, "confidence": conf, "source": source}
            for role, (index, header, conf, source) in part.columns.items()
        },
    }


def to_jsonable(value: Any) -> Any:
    """Pydantic models, dataclasses, mappings and sequences to JSON values; Decimals as
    strings (exact), enums as their values."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value


def dumps(body: dict[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
