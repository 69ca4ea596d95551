"""The user's column mapping: roles named by header text or 0-based column index.

Example: `{"number": "Acct", "name": 1, "debit": "Dr", "credit": "Cr",
"header_line": 3}`. A mapped role always wins over detection; roles the mapping leaves
out are still detected. `header_line` (1-based) names the header row when detection
picks the wrong one; `header_line: 0` says the sheet has no header.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from fiscus.diagnostics.ingest.columns import ROLES, Detection, normalise_header
from fiscus.diagnostics.ingest.errors import MalformedRequest


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    roles: dict[str, str | int] = field(default_factory=dict)
    header_line: int | None = None


def parse_mapping(raw: object) -> ColumnMapping:
    return parse_roles(raw, ROLES)[0]


def parse_roles(
    raw: object,
    roles: Sequence[str],
    extras: Mapping[str, Callable[[object], str]] | None = None,
) -> tuple[ColumnMapping, dict[str, str]]:
    """The mapping over `roles`, and the values of the `extras` keys, each checked (in
    the mapping's key order) by its function, which returns it or raises."""
    if not isinstance(raw, dict):
        raise MalformedRequest(
            "The mapping must be a JSON object of role: column.", field="mapping"
        )
    extras = extras or {}
    mapped: dict[str, str | int] = {}
    found: dict[str, str] = {}
    header_line = None
    for key, value in raw.items():
        if key == "header_line":
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise MalformedRequest(
                    "mapping.header_line must be a line number (0 for none).",
                    field="mapping.header_line",
                )
            header_line = value
        elif key in extras:
            found[key] = extras[key](value)
        elif key in roles:
            if (
                isinstance(value, bool)
                or not isinstance(value, (str, int))
                or (isinstance(value, int) and value < 0)
            ):
                raise MalformedRequest(
                    f"mapping.{key} must be a header or a 0-based column index.",
                    field=f"mapping.{key}",
                )
            mapped[key] = value
        else:
            raise MalformedRequest(
                f"mapping.{key} is not a role; roles are {', '.join(roles)}.",
                field=f"mapping.{key}",
            )
    return ColumnMapping(mapped, header_line), found


def resolve(
    mapping: ColumnMapping, rows: Sequence[Sequence[str]], detected_header: int | None
) -> tuple[int | None, dict[str, int]]:
    """(header row index, role -> column index); a header name not in the header row
    fails naming it."""
    if mapping.header_line is not None:
        header_row = mapping.header_line - 1 if mapping.header_line > 0 else None
    else:
        header_row = detected_header
    headers = (
        [normalise_header(h) for h in rows[header_row]]
        if header_row is not None and header_row < len(rows)
        else []
    )
    resolved: dict[str, int] = {}
    for role, column in mapping.roles.items():
        if isinstance(column, int):
            resolved[role] = column
            continue
        wanted = normalise_header(column)
        if wanted not in headers:
            raise MalformedRequest(
                f"mapping.{role}: there is no column {column!r} in the header row.",
                field=f"mapping.{role}",
            )
        resolved[role] = headers.index(wanted)
    return header_row, resolved


def choose_columns(
    detection: Detection,
    rows: Sequence[Sequence[str]],
    mapping: ColumnMapping | None,
    threshold: float,
) -> tuple[int | None, dict[str, tuple[int, str, float, str]]]:
    """The header row and each role's column, header, confidence and source: detected
    roles at `threshold` or more, a mapped role always winning (confidence 1.0)."""
    header_row = detection.header_row
    chosen = {
        role: (c.column, c.header, c.confidence, "detected")
        for role, c in detection.chosen.items()
        if c.confidence >= threshold
    }
    if mapping is not None:
        header_row, mapped = resolve(mapping, rows, header_row)
        taken = set(mapped.values())
        chosen = {r: v for r, v in chosen.items() if v[0] not in taken and r not in mapped}
        headers = rows[header_row] if header_row is not None else []
        for role, index in mapped.items():
            header = headers[index] if index < len(headers) else ""
            chosen[role] = (index, header, 1.0, "mapping")
    return header_row, chosen
