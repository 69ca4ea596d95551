"""Which date format a column uses, with day/month ambiguity settled from the data.

A value whose first field is > 12 proves day-first (and one whose second is, month-first);
if no value decides, the order of the rows may (statements are sorted by date, and only one
reading keeps them sorted); failing that we assume day-first, say so, and lower confidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from itertools import groupby, pairwise

from fiscus.imports.parsers.base import Choice
from fiscus.imports.parsers.values import DATE_FORMATS, SWAPPED, DateReader

_DATE_SHAPE = re.compile(
    r"^\s*(\d{1,4}[./\- ']\s?\w{1,9}[./\-' ,]+\s?\d{2,4}|\d{8}|[A-Za-z]{3,9} \d{1,2}, \d{4})"
)
_FIELDS = re.compile(r"\d+")


def looks_like_date(text: str) -> bool:
    return bool(_DATE_SHAPE.match(text))


_ISO = "%Y-%m-%d"


def _is_iso(text: str) -> bool:
    return DateReader(_ISO, iso=False)(text) is not None


def date_ratio(cells: list[str]) -> tuple[float, list[str]]:
    """The share of non-empty cells some format reads, and the formats reading the most.

    ISO cells (what a spreadsheet's real date cells read as) count for every format, since
    every format's reader accepts them too; the formats are ranked on the other cells."""
    filled = [c for c in cells if c.strip()]
    if not filled or sum(1 for c in filled[:50] if looks_like_date(c)) < len(filled[:50]) * 0.6:
        return 0.0, []
    iso = sum(1 for c in filled if _is_iso(c))
    rest = [c for c in filled if not _is_iso(c)]
    if not rest:
        return 1.0, [_ISO]
    scores: dict[str, int] = {}
    for fmt in DATE_FORMATS:
        reader = DateReader(fmt, iso=False)
        scores[fmt] = sum(1 for c in rest if reader(c) is not None)
    best = max(scores.values())
    if best == 0:
        return iso / len(filled), [_ISO] if iso else []
    return (best + iso) / len(filled), [f for f, n in scores.items() if n >= best * 0.95]


def _decisive(values: Iterable[str], fmt: str) -> tuple[bool, bool]:
    """(some value proves day-first, some value proves month-first) for a d/m layout."""
    day_at = 0 if fmt.index("%d") < fmt.index("%m") else 1
    day_proof = month_proof = False
    for value in set(values):  # a statement repeats its dates: look at each once
        fields = _FIELDS.findall(value)
        if len(fields) < 2:
            continue
        first, second = int(fields[0]), int(fields[1])
        day, month = (first, second) if day_at == 0 else (second, first)
        if day > 12 and month <= 12:
            day_proof = True
        elif month > 12 and day <= 12:
            month_proof = True
        if day_proof and month_proof:
            break
    return day_proof, month_proof


def _disorder(values: Iterable[str], fmt: str) -> tuple[int, int]:
    """(steps against the file's date order, steps): how unsorted this reading makes the rows."""
    reader = DateReader(fmt)
    # Runs of one date count as one step: a 100k-row statement has ~1k of them.
    parsed = [d for d in (reader(v) for v, _ in groupby(values)) if d is not None]
    up = sum(1 for a, b in pairwise(parsed) if a < b)
    down = sum(1 for a, b in pairwise(parsed) if a > b)
    return min(up, down), max(len(parsed) - 1, 0)


def _order_decides(values: list[str], day_first: str, month_first: str) -> str | None:
    """The reading under which the rows are in date order while the other's are not."""
    by_day, steps = _disorder(values, day_first)
    by_month, _ = _disorder(values, month_first)
    if steps < 3:
        return None
    if by_day <= steps // 100 and by_month > 3 * by_day:
        return day_first
    if by_month <= steps // 100 and by_day > 3 * by_month:
        return month_first
    return None


def choose_date_format(
    candidates: list[str], all_values: Iterable[str], *, prefer_day: bool = True
) -> Choice[str]:
    """The format among `candidates` (all read the sample); `all_values` is the whole column.

    `prefer_day` is the assumption when nothing in the data decides (QIF comes from Quicken,
    which writes month first; bank CSVs mostly day first)."""
    fmt = candidates[0]
    swapped = SWAPPED.get(fmt)
    if swapped is None or swapped not in candidates:
        others = tuple(c for c in candidates if c != fmt)
        return Choice(fmt, 0.97 if not others else 0.7, others)
    values = list(all_values)
    day_first = fmt if fmt.index("%d") < fmt.index("%m") else swapped
    month_first = swapped if day_first == fmt else fmt
    day_proof, month_proof = _decisive(values, day_first)
    if day_proof != month_proof:
        winner = day_first if day_proof else month_first
        which = "day" if day_proof else "month"
        return Choice(winner, 0.99, note=f"a value > 12 in the {which} position decides")
    if not (day_proof or month_proof):
        ordered = _order_decides(values, day_first, month_first)
        if ordered is not None:
            other = month_first if ordered == day_first else day_first
            return Choice(ordered, 0.8, (other,), "only this reading keeps the rows in date order")
    assumed, other = (day_first, month_first) if prefer_day else (month_first, day_first)
    return Choice(
        assumed,
        0.5,
        (other,),
        "day/month cannot be told apart from the data: assumed "
        + ("day first" if prefer_day else "month first"),
    )


def parse_all(values: Iterable[str], fmt: str) -> list[date | None]:
    reader = DateReader(fmt)
    return [reader(v) for v in values]
