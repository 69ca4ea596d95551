"""The shapes every bank-file parser produces, and what detection hands to the import flow.

Pure data: no database, no framework. A `Detection` is what we guessed about a file, each
guess with a confidence in 0..1 and, where the data left it open, the alternatives. A
`Mapping` is the subset of those choices a user may override; it is JSON-serialisable so the
flow can store it as a preset per account and per bank. `parse(data, detection, mapping)`
applies the mapping over the detection and yields a `ParsedStatement`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, Generic, TypeVar

from fiscus.core.errors import InvalidInput

T = TypeVar("T")


class FileFormat(StrEnum):
    CSV = "csv"  # any delimited text, TSV included
    XLSX = "xlsx"
    OFX = "ofx"  # OFX 1.x SGML, OFX 2.x XML and QFX
    QIF = "qif"
    CAMT053 = "camt053"
    MT940 = "mt940"


class SignConvention(StrEnum):
    SIGNED = "signed"  # one amount column, negative = money out
    DEBIT_CREDIT = "debit_credit"  # separate debit (out) and credit (in) columns
    INDICATOR = "indicator"  # unsigned amount plus a DR/CR (or D/C, Debit/Credit) column


class Role(StrEnum):
    """What a column of a tabular file means."""

    DATE = "date"
    AMOUNT = "amount"
    DEBIT = "debit"
    CREDIT = "credit"
    INDICATOR = "indicator"
    DESCRIPTION = "description"
    PAYEE = "payee"
    REFERENCE = "reference"
    BALANCE = "balance"
    CURRENCY = "currency"


@dataclass(slots=True)  # not frozen: frozen __init__ costs 2x on a 100k-row parse
class StatementLine:
    """One bank-file row. `amount` is signed from the account holder's view: + is money in."""

    line_no: int
    booked_on: date
    amount: Decimal
    description: str
    payee: str | None = None
    bank_ref: str | None = None
    balance_after: Decimal | None = None
    raw: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StatementBalance:
    """A balance the bank states (OFX LEDGERBAL, CAMT OPBD/CLBD, MT940 :60F:/:62F:).

    `kind` is "opening" or "closing"; the flow turns closing balances into anchors.
    """

    on: date
    amount: Decimal
    kind: str


@dataclass(frozen=True, slots=True)
class RowError:
    """A row that could not be read; it is reported, the rest of the file still parses."""

    line_no: int
    field: str
    message: str


@dataclass(slots=True)
class ParsedStatement:
    lines: list[StatementLine]
    balances: list[StatementBalance] = field(default_factory=list)
    currency: str | None = None
    account_hint: str | None = None  # IBAN / account number the file names, if any
    errors: list[RowError] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Choice(Generic[T]):
    """One detected choice: the value used, how sure we are, and what else it could be."""

    value: T
    confidence: float
    alternatives: tuple[T, ...] = ()
    note: str | None = None  # e.g. "day/month undecidable from the data: assumed day first"

    def to_json(self) -> dict[str, Any]:
        return {
            "value": _jsonable(self.value),
            "confidence": round(self.confidence, 3),
            "alternatives": [_jsonable(a) for a in self.alternatives],
            "note": self.note,
        }


def _jsonable(value: object) -> Any:
    return value.value if isinstance(value, StrEnum) else value


@dataclass(slots=True)
class Detection:
    """Everything we guessed about a file. Text-only choices are None for structured formats.

    `header_row` is the 0-based index of the header among the decoded rows (None: no
    header); rows before it are junk and skipped. `columns` maps a role to a 0-based column
    index. `headers` are the header cells (or "column N" names when there is none).
    """

    format: Choice[FileFormat]
    encoding: Choice[str] | None = None
    delimiter: Choice[str] | None = None
    header_row: Choice[int | None] | None = None
    first_data_row: int = 0  # 0-based index of the first data row (after header and junk)
    date_format: Choice[str] | None = None  # strptime format, e.g. "%d/%m/%Y"
    decimal_separator: Choice[str] | None = None
    thousands_separator: str | None = None
    sign_convention: Choice[SignConvention] | None = None
    columns: dict[Role, Choice[int]] = field(default_factory=dict)
    headers: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def mapping(self) -> Mapping:
        """The detected choices as a Mapping (what a user would start overriding from)."""
        return Mapping(
            encoding=self.encoding.value if self.encoding else None,
            delimiter=self.delimiter.value if self.delimiter else None,
            header_row=(
                self.first_data_row
                if self.header_row and self.header_row.value is None
                else (self.header_row.value if self.header_row else None)
            ),
            has_header=self.header_row.value is not None if self.header_row else None,
            date_format=self.date_format.value if self.date_format else None,
            decimal_separator=self.decimal_separator.value if self.decimal_separator else None,
            thousands_separator=self.thousands_separator,
            sign_convention=self.sign_convention.value if self.sign_convention else None,
            columns={role: c.value for role, c in self.columns.items()},
        )

    def to_json(self) -> dict[str, Any]:
        def opt(choice: Choice[Any] | None) -> dict[str, Any] | None:
            return choice.to_json() if choice is not None else None

        return {
            "format": self.format.to_json(),
            "encoding": opt(self.encoding),
            "delimiter": opt(self.delimiter),
            "header_row": opt(self.header_row),
            "first_data_row": self.first_data_row,
            "date_format": opt(self.date_format),
            "decimal_separator": opt(self.decimal_separator),
            "thousands_separator": self.thousands_separator,
            "sign_convention": opt(self.sign_convention),
            "columns": {role.value: c.to_json() for role, c in self.columns.items()},
            "headers": list(self.headers),
            "notes": list(self.notes),
        }


class InvalidMapping(InvalidInput):
    """The column mapping is not valid."""

    code = "invalid_mapping"


_MAPPING_FIELDS = (
    "encoding",
    "delimiter",
    "header_row",
    "has_header",
    "date_format",
    "decimal_separator",
    "thousands_separator",
    "sign_convention",
    "columns",
    "invert_sign",
)


@dataclass(slots=True)
class Mapping:
    """The user-overridable choices. None means "use what was detected".

    `header_row` is the header's 0-based row index; with `has_header` False it is instead
    the first data row (the rows above are junk). `columns` maps a role to a 0-based column
    index or to a header name (resolved against the file's headers at parse time); when
    given it replaces the detected columns as a whole. `invert_sign` flips every amount,
    for the banks that export money out as positive numbers (credit-card statements).
    """

    encoding: str | None = None
    delimiter: str | None = None
    header_row: int | None = None
    has_header: bool | None = None
    date_format: str | None = None
    decimal_separator: str | None = None
    thousands_separator: str | None = None
    sign_convention: SignConvention | None = None
    columns: dict[Role, int | str] | None = None
    invert_sign: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "header_row": self.header_row,
            "has_header": self.has_header,
            "date_format": self.date_format,
            "decimal_separator": self.decimal_separator,
            "thousands_separator": self.thousands_separator,
            "sign_convention": self.sign_convention.value if self.sign_convention else None,
            "columns": (
                {r.value: c for r, c in self.columns.items()} if self.columns is not None else None
            ),
            "invert_sign": self.invert_sign,
        }

    @classmethod
    def from_json(cls, obj: object) -> Mapping:
        """Validate a JSON object; every bad field is named in the error (field = their names)."""
        if not isinstance(obj, dict):
            raise InvalidMapping("The mapping must be a JSON object.", field="mapping")
        problems, values = _validate_mapping(obj)
        if problems:
            detail = "; ".join(f"{name}: {why}" for name, why in problems)
            raise InvalidMapping(
                f"Invalid mapping: {detail}.", field=",".join(n for n, _ in problems)
            )
        return cls(**values)


_ENCODINGS = {"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1"}
_DATE_DIRECTIVES = ("%d", "%m", "%y", "%Y", "%b", "%B", "%j")


def _check_text(value: object, allowed: set[str] | None, name: str) -> tuple[str | None, str]:
    if not isinstance(value, str) or not value:
        return None, f"{name} must be a non-empty string"
    if allowed is not None and value not in allowed:
        return None, f"must be one of {', '.join(sorted(allowed))}"
    return value, ""


def _check_field(name: str, value: object) -> tuple[object, str]:
    """(parsed value, "") or (None, why it is wrong) for one non-null mapping field."""
    if name == "encoding":
        return _check_text(value.lower() if isinstance(value, str) else value, _ENCODINGS, name)
    if name == "delimiter":
        ok = isinstance(value, str) and len(value) == 1 and value not in "\r\n\"'"
        return (value, "") if ok else (None, "must be one character, not a quote or newline")
    if name == "header_row":
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1000
        return (value, "") if ok else (None, "must be a row index from 0 to 1000")
    if name == "date_format":
        if isinstance(value, str) and any(d in value for d in _DATE_DIRECTIVES):
            return value, ""
        return None, "must be a strptime format such as %d/%m/%Y"
    if name == "decimal_separator":
        return _check_text(value, {".", ","}, name)
    if name == "thousands_separator":
        return _check_text(value, {".", ",", " ", "'", "\u00a0"}, name)
    if name == "sign_convention":
        if value in {s.value for s in SignConvention}:
            return SignConvention(str(value)), ""
        return None, f"must be one of {', '.join(s.value for s in SignConvention)}"
    if name in ("invert_sign", "has_header"):
        return (value, "") if isinstance(value, bool) else (None, "must be true or false")
    return _check_columns(value)


def _check_columns(value: object) -> tuple[object, str]:
    if not isinstance(value, dict):
        return None, "must be an object of role -> column index or header name"
    roles = {r.value for r in Role}
    columns: dict[Role, int | str] = {}
    for role, column in value.items():
        if role not in roles:
            return None, f"unknown role {role!r} (roles: {', '.join(sorted(roles))})"
        index_ok = isinstance(column, int) and not isinstance(column, bool) and 0 <= column < 10_000
        if not (index_ok or (isinstance(column, str) and column.strip())):
            return None, f"column of {role!r} must be an index >= 0 or a header name"
        columns[Role(role)] = column
    return columns, ""


def _validate_mapping(obj: dict[Any, Any]) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    problems = [(str(k), "unknown field") for k in obj if k not in _MAPPING_FIELDS]
    values: dict[str, Any] = {}
    for name in _MAPPING_FIELDS:
        raw = obj.get(name)
        if raw is None:
            continue
        parsed, why = _check_field(name, raw)
        if why:
            problems.append((name, why))
        else:
            values[name] = parsed
    return problems, values
