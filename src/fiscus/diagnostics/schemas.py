"""The JSON of an analysis: the ingestion's part, and the analysis engine's result.

The engine (`fiscus.diagnostics.analysis`) returns frozen dataclasses with Decimal
amounts; the answer is rendered by pydantic-core (Decimals as exact strings), checked
against a stdlib rendering in the tests. Amounts are decimal strings, never floats.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, TypeAdapter

from fiscus.diagnostics import analysis
from fiscus.diagnostics.accounts_page import EVERY_ACCOUNT, AccountsPage
from fiscus.diagnostics.analysis import ClassificationOverride, MaterialityRequest
from fiscus.diagnostics.ingest import IngestedSheet
from fiscus.diagnostics.trial_balance import TrialBalance


@dataclass(frozen=True, slots=True)
class AnalysisOptions:
    """The request's materiality and classification overrides, parsed."""

    materiality: MaterialityRequest | None = None
    overrides: Mapping[str, ClassificationOverride] = field(default_factory=dict)


def analyse(
    tb: TrialBalance, options: AnalysisOptions, page: AccountsPage = EVERY_ACCOUNT
) -> dict[str, Any]:
    """The engine's analysis of `tb` as a dict of its top-level fields, plus what
    ingestion knows: the sheet, the lines read and the lines excluded (with reasons).
    `accounts` holds the `page` of the accounts (all by default), `accounts_total` their
    number; everything else is computed on all of them."""
    total = len(tb.rows)
    start, stop = page.window(total)
    result = analysis.analyse_page(
        tb,
        start=start,
        stop=stop,
        materiality=options.materiality,
        overrides=options.overrides,
    )
    body: dict[str, Any] = {"sheet": tb.sheet, "source_rows": tb.source_rows}
    body.update(_shallow(result))
    body["accounts_total"] = total
    body["accounts_page"] = page.describe(total)
    body["excluded"] = [{"line_no": e.line_no, "reason": e.reason} for e in tb.excluded]
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


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return names


def _shallow(value: Any) -> dict[str, Any]:
    return {name: getattr(value, name) for name in _field_names(type(value))}


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _shallow(value)
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


# pydantic-core serialises the dataclasses, Decimals (as exact strings) and tuples in
# Rust: the same JSON as the stdlib encoder with `_default`, at about a third of the CPU
# (1.45 s -> 0.49 s for a 50k-account answer, docs/performance.md).
_ANY: TypeAdapter[Any] = TypeAdapter(Any)


def dumps(body: Mapping[str, Any]) -> bytes:
    return _ANY.dump_json(body)


def dumps_stdlib(body: Mapping[str, Any]) -> bytes:
    """The reference rendering `dumps` is tested against."""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False, default=_default).encode()
