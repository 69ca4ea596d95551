"""The request's `materiality` and `overrides` JSON into the engine's types, every bad
field named (`materiality.percentage`, `overrides.1-1000.category`)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from fiscus.core.errors import InvalidInput
from fiscus.diagnostics.analysis.types import ClassificationOverride, MaterialityRequest


class AnalysisInputInvalid(InvalidInput):
    """The materiality or overrides are not valid."""

    code = "invalid_analysis_input"


def _problems(prefix: str, exc: ValidationError) -> list[tuple[str, str]]:
    out = []
    for error in exc.errors():
        path = ".".join(str(p) for p in (prefix, *error["loc"]))
        out.append((path, error["msg"]))
    return out


def _raise(problems: list[tuple[str, str]]) -> None:
    detail = "Invalid input: " + "; ".join(f"{f}: {m}" for f, m in problems) + "."
    raise AnalysisInputInvalid(detail, field=problems[0][0])


def parse_materiality(raw: Any) -> MaterialityRequest | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        _raise([("materiality", "must be a JSON object")])
    try:
        return MaterialityRequest.model_validate(raw)
    except ValidationError as exc:
        _raise(_problems("materiality", exc))
    raise AssertionError("unreachable")


def parse_overrides(raw: Any) -> dict[str, ClassificationOverride]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        _raise([("overrides", "must be a JSON object keyed by account number or name")])
    parsed: dict[str, ClassificationOverride] = {}
    problems: list[tuple[str, str]] = []
    for key, value in raw.items():
        try:
            parsed[str(key)] = ClassificationOverride.model_validate(value)
        except ValidationError as exc:
            problems += _problems(f"overrides.{key}", exc)
    if problems:
        _raise(problems)
    return parsed
