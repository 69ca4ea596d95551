"""The request's options for journal-entry testing, parsed from the form's text fields.

`period_end` (ISO date), `threshold` (the approval limit, an amount > 0), `materiality`
(an amount > 0), `holidays` (a JSON list of ISO dates, replacing the default national
holidays; `[]` for none) and `business_hours` (`"07:00-19:00"`, the default). Each bad
value is a 422 naming its field.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal, InvalidOperation

from fiscus.diagnostics.ingest.errors import MalformedRequest

DEFAULT_HOURS = (time(7), time(19))
_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-\u2013\u2014]\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True, slots=True)
class JournalOptions:
    period_end: date | None = None
    threshold: Decimal | None = None
    materiality: Decimal | None = None
    holidays: tuple[date, ...] | None = None  # None: the national holidays
    business_hours: tuple[time, time] = DEFAULT_HOURS


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def _date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise MalformedRequest(
            f"{field} must be a date written YYYY-MM-DD, not {value.strip()[:40]!r}.", field=field
        ) from exc


def _amount(value: str, field: str) -> Decimal:
    try:
        amount = Decimal(value.strip().replace(",", ""))
    except InvalidOperation as exc:
        raise MalformedRequest(f"{field} must be an amount such as 10000.00.", field=field) from exc
    if not amount.is_finite() or amount <= 0:
        raise MalformedRequest(f"{field} must be an amount greater than zero.", field=field)
    return amount


def _holidays(value: str) -> tuple[date, ...]:
    try:
        raw = json.loads(value)
    except json.JSONDecodeError as exc:
        raise MalformedRequest("holidays must be a JSON list of dates.", field="holidays") from exc
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise MalformedRequest(
            'holidays must be a JSON list of dates such as ["2025-12-25"].', field="holidays"
        )
    return tuple(sorted({_date(v, f"holidays[{i}]") for i, v in enumerate(raw)}))


def _hours(value: str) -> tuple[time, time]:
    match = _HOURS.match(value)
    try:
        if match is None:
            raise ValueError(value)
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        start, end = time(h1, m1), time(h2, m2)
    except ValueError as exc:
        raise MalformedRequest(
            "business_hours must be written HH:MM-HH:MM, such as 07:00-19:00.",
            field="business_hours",
        ) from exc
    if start >= end:
        raise MalformedRequest("business_hours must start before they end.", field="business_hours")
    return start, end


def parse_options(fields: dict[str, str]) -> JournalOptions:
    get = fields.get
    period_end, threshold, materiality = get("period_end"), get("threshold"), get("materiality")
    holidays, hours = get("holidays"), get("business_hours")
    return JournalOptions(
        period_end=None if _blank(period_end) else _date(period_end or "", "period_end"),
        threshold=None if _blank(threshold) else _amount(threshold or "", "threshold"),
        materiality=None if _blank(materiality) else _amount(materiality or "", "materiality"),
        holidays=None if _blank(holidays) else _holidays(holidays or ""),
        business_hours=DEFAULT_HOURS if _blank(hours) else _hours(hours or ""),
    )
