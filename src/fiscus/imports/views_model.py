"""What the import wizard shows, built from an import as the service reads it.

Presentation only. The mapping step shows every detected choice with its confidence as a
select (`Field`); `mapping_from_form` turns the posted form back into a mapping JSON
object for the service, holding only what the user changed from the detection (None is
"as detected", so a changed encoding can still re-detect the delimiter and columns).
Columns are one choice: when any role is moved, all of them are sent.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from fiscus.imports.schemas import DuplicateCandidate, ImportRead, ImportSummary, RowErrorRead

STEPS = (
    ("upload", "Upload"),
    ("review", "Mapping & preview"),
    ("commit", "Book"),
    ("result", "Result"),
)
FORMAT_LABELS = {
    "csv": "CSV",
    "xlsx": "Excel (XLSX)",
    "ofx": "OFX/QFX",
    "qif": "QIF",
    "camt053": "CAMT.053",
    "mt940": "MT940",
}
STATUS_TEXT = {
    "draft": "Waiting for review",
    "committing": "Booking…",
    "committed": "Imported",
    "failed": "Failed",
    "undone": "Undone",
}
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1")
DELIMITERS = {",": "Comma ,", ";": "Semicolon ;", "\t": "Tab", "|": "Bar |", " ": "Space"}
DATE_FORMATS = {
    "%d/%m/%Y": "31/12/2025",
    "%m/%d/%Y": "12/31/2025",
    "%Y-%m-%d": "2025-12-31",
    "%d.%m.%Y": "31.12.2025",
    "%d-%m-%Y": "31-12-2025",
    "%d/%m/%y": "31/12/25",
    "%m/%d/%y": "12/31/25",
    "%Y%m%d": "20251231",
    "%d %b %Y": "31 Dec 2025",
    "%Y/%m/%d": "2025/12/31",
}
SIGNS = {
    "signed": "One signed amount column",
    "debit_credit": "Separate debit and credit columns",
    "indicator": "Amount plus a DR/CR column",
}
DECIMALS = {".": "Point 1234.56", ",": "Comma 1234,56"}
ROLES = {
    "date": "Date",
    "amount": "Amount",
    "debit": "Debit (money out)",
    "credit": "Credit (money in)",
    "indicator": "DR/CR indicator",
    "description": "Description",
    "payee": "Payee",
    "reference": "Bank reference",
    "balance": "Balance",
    "currency": "Currency",
}
NOT_IN_FILE = ""
HEADER_ROWS = 10


@dataclass(frozen=True, slots=True)
class Field:
    """One editable choice: its current value, the options and the detection's confidence."""

    name: str
    label: str
    value: str
    options: list[tuple[str, str]]
    confidence: float | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Duplicate:
    line_no: int
    reason: str
    decision: str  # "skip" | "import" | "" (undecided)
    date: str
    description: str
    amount: str
    existing: dict[str, str] | None


@dataclass(frozen=True, slots=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass(slots=True)
class Wizard:
    id: uuid.UUID
    filename: str
    account_id: uuid.UUID
    account: str
    status: str
    step: str
    format_label: str
    format_confidence: float | None
    line_count: int
    preset: str | None = None
    choices: list[Field] = field(default_factory=list)
    columns: list[Field] = field(default_factory=list)
    invert_sign: bool = False
    notes: list[str] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowErrorRead] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    balances: list[dict[str, str]] = field(default_factory=list)
    bookable: int = 0
    progress: Progress = Progress(0, 0)
    result: dict[str, Any] = field(default_factory=dict)
    failure: str | None = None


def step_of(status: str) -> str:
    """A failed commit left nothing behind: the import is back at its review."""
    return {"draft": "review", "failed": "review", "committing": "commit"}.get(status, "result")


def wizard(
    read: ImportRead,
    account: str,
    progress: Progress | None = None,
    failure: str | None = None,
) -> Wizard:
    detection, mapping = read.detection, read.mapping
    fmt = (detection.get("format") or {}).get("value", read.format)
    preview = read.preview
    view = Wizard(
        id=read.id,
        filename=read.filename,
        account_id=read.account_id,
        account=account,
        status=read.status,
        step=step_of(read.status),
        format_label=FORMAT_LABELS.get(fmt, fmt),
        format_confidence=(detection.get("format") or {}).get("confidence"),
        line_count=preview.lines if preview else read.counts.lines,
        preset=None if read.preset is None else f"this {read.preset.scope}",
        invert_sign=bool(mapping.get("invert_sign")),
        notes=[str(n) for n in detection.get("notes", [])],
        progress=progress or Progress(0, 0),
    )
    if fmt in ("csv", "xlsx"):
        view.choices = _choices(detection, mapping, tabular_text=fmt == "csv")
        view.columns = _columns(detection, mapping)
    elif detection.get("date_format"):
        view.choices = [_date_field(detection, mapping)]
    if preview is not None:
        rows = {r.line_no: r for r in preview.rows}
        view.preview = [
            {
                "line_no": r.line_no,
                "date": r.date.isoformat(),
                "description": r.description,
                "payee": r.payee or "",
                "amount": r.amount,
                "negative": r.amount.startswith("-"),
                "duplicate": r.duplicate,
                "error": None,
            }
            for r in preview.rows
        ]
        view.errors = preview.errors
        view.duplicates = [_duplicate(c, rows.get(c.line_no)) for c in preview.duplicates]
        view.balances = [
            {"on": b.date.isoformat(), "amount": b.amount, "kind": b.kind} for b in preview.balances
        ]
        exact = sum(1 for c in preview.duplicates if c.kind == "exact")
        fuzzy = len(preview.duplicates) - exact
        view.bookable = max(preview.lines - preview.error_count - exact - fuzzy, 0)
    view.result = _result(read)
    view.failure = failure
    return view


def _choice(detection: dict[str, Any], name: str) -> dict[str, Any]:
    return detection.get(name) or {}


def _current(detection: dict[str, Any], mapping: dict[str, Any], name: str) -> Any:
    value = mapping.get(name)
    return value if value is not None else _choice(detection, name).get("value")


def _options(known: dict[str, str], *extra: Any) -> list[tuple[str, str]]:
    options = dict(known)
    for value in extra:
        if value is not None and str(value) not in options:
            options[str(value)] = str(value)
    return list(options.items())


def _choices(
    detection: dict[str, Any], mapping: dict[str, Any], *, tabular_text: bool
) -> list[Field]:
    fields: list[Field] = []
    if tabular_text:
        for name, label, known in (
            ("encoding", "Encoding", {e: e for e in ENCODINGS}),
            ("delimiter", "Delimiter", DELIMITERS),
        ):
            choice = _choice(detection, name)
            value = _current(detection, mapping, name)
            fields.append(
                Field(
                    name,
                    label,
                    str(value or ""),
                    _options(known, value, *choice.get("alternatives", [])),
                    choice.get("confidence"),
                    choice.get("note"),
                )
            )
    fields.append(_header_field(detection, mapping))
    fields.append(_date_field(detection, mapping))
    for name, label, known in (
        ("decimal_separator", "Decimal separator", DECIMALS),
        ("sign_convention", "Amounts", SIGNS),
    ):
        choice = _choice(detection, name)
        value = _current(detection, mapping, name)
        fields.append(
            Field(
                name,
                label,
                str(value or ""),
                _options(known, value),
                choice.get("confidence"),
                choice.get("note"),
            )
        )
    return fields


def _header_field(detection: dict[str, Any], mapping: dict[str, Any]) -> Field:
    choice = _choice(detection, "header_row")
    has_header = mapping.get("has_header")
    row = (
        mapping.get("header_row") if mapping.get("header_row") is not None else choice.get("value")
    )
    value = "none" if has_header is False or (has_header is None and row is None) else str(row)
    options = [("none", "No header row")] + [
        (str(i), f"Row {i + 1}") for i in range(max(HEADER_ROWS, (row or 0) + 1))
    ]
    return Field(
        "header_row", "Header", value, options, choice.get("confidence"), choice.get("note")
    )


def _date_field(detection: dict[str, Any], mapping: dict[str, Any]) -> Field:
    choice = _choice(detection, "date_format")
    value = _current(detection, mapping, "date_format")
    known = {f: f"{example}  ({f})" for f, example in DATE_FORMATS.items()}
    options = _options(known, value, *choice.get("alternatives", []))
    return Field(
        "date_format",
        "Date format",
        str(value or ""),
        options,
        choice.get("confidence"),
        choice.get("note"),
    )


def _columns(detection: dict[str, Any], mapping: dict[str, Any]) -> list[Field]:
    headers = [str(h) for h in detection.get("headers", [])]
    detected = detection.get("columns") or {}
    chosen = mapping.get("columns")
    options = [(NOT_IN_FILE, "(not in the file)")] + [
        (str(i), f"{i + 1}: {name}" if name else f"Column {i + 1}")
        for i, name in enumerate(headers)
    ]
    fields = []
    for role, label in ROLES.items():
        found = detected.get(role) or {}
        value = chosen.get(role) if chosen is not None else found.get("value")
        if isinstance(value, str) and value in headers:
            value = headers.index(value)
        fields.append(
            Field(
                f"col_{role}",
                label,
                "" if value is None else str(value),
                options,
                found.get("confidence") if chosen is None and role in detected else None,
            )
        )
    return fields


def mapping_from_form(form: dict[str, str], read: ImportRead) -> dict[str, Any]:
    """The posted mapping form as a mapping JSON object: what differs from the detection."""
    detection = read.detection
    out: dict[str, Any] = {"invert_sign": form.get("invert_sign") == "1"}
    for name in ("encoding", "delimiter", "date_format", "decimal_separator", "sign_convention"):
        value = form.get(name)
        if value and value != _choice(detection, name).get("value"):
            out[name] = value
    header = form.get("header_row")
    detected_row = _choice(detection, "header_row").get("value")
    if header == "none" and detected_row is not None:
        out["has_header"] = False
        out["header_row"] = int(detection.get("first_data_row") or 0)
    elif header and header.isdigit() and int(header) != detected_row:
        out["has_header"] = True
        out["header_row"] = int(header)
    columns = {
        role: int(form[f"col_{role}"]) for role in ROLES if form.get(f"col_{role}", "").isdigit()
    }
    detected = {r: c.get("value") for r, c in (detection.get("columns") or {}).items()}
    if any(f"col_{role}" in form for role in ROLES) and columns != detected:
        out["columns"] = columns
    return out


def _duplicate(candidate: DuplicateCandidate, row: Any) -> Duplicate:
    existing = None
    if candidate.transaction_id is not None:
        existing = {
            "date": candidate.date.isoformat() if candidate.date else "",
            "description": candidate.payee or candidate.description or "",
            "amount": candidate.amount or "",
        }
    reason = (
        "the same bank transaction is already booked"
        if candidate.kind == "exact"
        else f"similar entry ({round(candidate.score * 100)} % alike)"
    )
    return Duplicate(
        line_no=candidate.line_no,
        reason=reason,
        decision=candidate.default or "",
        date=row.date.isoformat() if row else "",
        description=(row.description if row else "") or "",
        amount=row.amount if row else (candidate.amount or ""),
        existing=existing,
    )


def _result(read: ImportRead) -> dict[str, Any]:
    result = read.result or {}
    counts = result.get("counts") or read.counts.model_dump()
    anchors = []
    for a in result.get("anchors", []):
        if "balance" in a:
            anchors.append(
                {
                    "on": a["date"],
                    "bank": a["balance"],
                    "books": a["computed_balance"],
                    "difference": a["difference"],
                    "agrees": bool(a.get("agrees")),
                }
            )
    categorised = result.get("categorisation") or {}
    rules = result.get("rules") or {}
    extra = ""
    if rules or categorised:
        extra = (
            f"Rules changed {rules.get('changed', 0)}; the categoriser applied "
            f"{categorised.get('applied', 0)} and queued {categorised.get('queued', 0)} for review."
        )
    return {
        "created": counts.get("created", 0),
        "duplicates": counts.get("duplicates", 0),
        "skipped": counts.get("skipped", 0),
        "error_count": counts.get("errors", 0),
        "errors": read.preview.errors if read.preview else [],
        "anchors": anchors,
        "extra": extra,
    }


@dataclass(frozen=True, slots=True)
class ListItem:
    id: uuid.UUID
    filename: str
    account: str
    status_text: str
    created: int | None
    duplicates: int | None
    errors: int | None
    uploaded: str


def list_item(summary: ImportSummary, accounts: dict[uuid.UUID, str]) -> ListItem:
    done = summary.status in ("committed", "undone")
    counts = summary.counts
    return ListItem(
        id=summary.id,
        filename=summary.filename,
        account=accounts.get(summary.account_id, ""),
        status_text=STATUS_TEXT.get(summary.status, summary.status),
        created=counts.created if done else None,
        duplicates=counts.duplicates if done else None,
        errors=counts.errors if done else None,
        uploaded=_when(summary.created_at),
    )


def _when(at: datetime | date) -> str:
    return at.strftime("%-d %b %Y %H:%M") if isinstance(at, datetime) else at.isoformat()
