"""The transaction search syntax, parsed without touching the database (pure).

A query is words separated by spaces; a value with spaces is quoted (`"..."`, with `\\"`
for a quote inside). Each word is either a term or free text:

    payee:woolworths  description:rent  notes:receipt  tag:food
    account:"Everyday account"  category:Groceries   (by name; a category incl. children)
    status:cleared  type:expense
    amount:12.50  amount>50  amount>=50  amount<10  amount<=10
    date:2025  date:2025-07  date:2025-07-14  date>=2025-01-01  date<2025-02-01  (also > <=)

Anything else is free text: every such word must appear in the description, payee or
notes. Keys are case-insensitive; text matches ignore case. A term that cannot be read
(an unknown key, a bad amount or date, an unclosed quote) raises `BadQuery` naming it.
All terms must hold together (AND); repeated bounds intersect.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from fiscus.core.errors import InvalidInput

STATUSES = ("pending", "cleared", "reconciled")
KINDS = ("income", "expense", "transfer", "journal")
TEXT_KEYS = ("payee", "description", "notes", "tag", "account", "category")
MAX_TERMS = 30

_AMOUNT = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_TERM = re.compile(r"(?P<key>[a-zA-Z]+)(?P<op>:|>=|<=|>|<)(?P<value>.*)", re.DOTALL)


class BadQuery(InvalidInput):
    """The search query could not be read."""

    code = "bad_query"


@dataclass(frozen=True, slots=True)
class AmountBound:
    """`op` is one of `>`, `>=`, `<`, `<=`, `=`, applied to the entry's gross amount."""

    op: str
    value: Decimal


@dataclass(slots=True)
class Query:
    words: list[str] = field(default_factory=list)
    payee: list[str] = field(default_factory=list)
    description: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    statuses: set[str] | None = None  # None: any; several terms intersect
    kinds: set[str] | None = None
    amounts: list[AmountBound] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True, slots=True)
class Token:
    source: str  # as typed, quotes included (what an error names)
    value: str  # quotes removed
    literal: bool  # began with a quote: free text even if it looks like key:value


def tokenize(text: str) -> list[Token]:
    """Split on spaces outside quotes; quotes group, and are removed from the value."""
    tokens: list[Token] = []
    source: list[str] = []
    value: list[str] = []
    quoted = False
    chars = iter(text)
    for char in chars:
        if char.isspace() and not quoted:
            if source:
                tokens.append(Token("".join(source), "".join(value), source[0] == '"'))
            source, value = [], []
            continue
        source.append(char)
        if char == "\\" and quoted:
            escaped = next(chars, "")
            source.append(escaped)
            value.append(escaped)
        elif char == '"':
            quoted = not quoted
        else:
            value.append(char)
    if quoted:
        raise BadQuery(f"Unclosed quote in {''.join(source)}", field="q")
    if source:
        tokens.append(Token("".join(source), "".join(value), source[0] == '"'))
    return tokens


def parse(text: str) -> Query:
    query = Query()
    tokens = tokenize(text)
    if len(tokens) > MAX_TERMS:
        raise BadQuery(f"At most {MAX_TERMS} terms in one search.", field="q")
    for token in tokens:
        match = None if token.literal else _TERM.fullmatch(token.value)
        if match is None:
            if token.value.strip():
                query.words.append(token.value.strip().lower())
            continue
        _apply(query, match["key"].lower(), match["op"], match["value"], token.source)
    return query


def _apply(query: Query, key: str, op: str, value: str, source: str) -> None:
    if key in TEXT_KEYS:
        _text_term(query, key, op, value.strip(), source)
    elif key == "amount":
        query.amounts.append(AmountBound("=" if op == ":" else op, _amount(value, source)))
    elif key == "date":
        start, end = _period(value, source) if op == ":" else _bound(op, value, source)
        query.date_from = max(filter(None, (query.date_from, start)), default=None)
        query.date_to = min(filter(None, (query.date_to, end)), default=None)
    elif key in ("status", "type"):
        allowed = STATUSES if key == "status" else KINDS
        if op != ":" or value.lower() not in allowed:
            raise BadQuery(f"{source}: {key} is one of {', '.join(allowed)}.", field="q")
        current = query.statuses if key == "status" else query.kinds
        chosen = {value.lower()} if current is None else current & {value.lower()}
        if key == "status":
            query.statuses = chosen
        else:
            query.kinds = chosen
    else:
        raise BadQuery(f"{source}: unknown search key {key!r}.", field="q")


def _text_term(query: Query, key: str, op: str, value: str, source: str) -> None:
    if op != ":" or not value:
        raise BadQuery(f"{source}: write {key}:value (quote a value with spaces).", field="q")
    target = {
        "payee": query.payee,
        "description": query.description,
        "notes": query.notes,
        "tag": query.tags,
        "account": query.accounts,
        "category": query.categories,
    }[key]
    target.append(value.lower())


def _amount(value: str, source: str) -> Decimal:
    if not _AMOUNT.fullmatch(value) or len(value) > 30:
        raise BadQuery(f"{source}: an amount is a number such as 50 or 12.50.", field="q")
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        raise BadQuery(f"{source}: not a number.", field="q") from None


def _period(value: str, source: str) -> tuple[date, date]:
    """A year, a month or a day, as a first and last day."""
    try:
        if re.fullmatch(r"[0-9]{4}", value):
            year = int(value)
            return date(year, 1, 1), date(year, 12, 31)
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}", value):
            year, month = int(value[:4]), int(value[5:])
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1), date(year, month, last)
        day = _day(value)
        return day, day
    except ValueError:
        raise BadQuery(
            f"{source}: a date is YYYY, YYYY-MM or YYYY-MM-DD (e.g. date:2025-07).", field="q"
        ) from None


def _bound(op: str, value: str, source: str) -> tuple[date | None, date | None]:
    try:
        day = _day(value)
    except ValueError:
        raise BadQuery(f"{source}: compare with a day, e.g. date>=2025-01-01.", field="q") from None
    one = timedelta(days=1)
    try:
        return {
            ">=": (day, None),
            ">": (day + one, None),
            "<=": (None, day),
            "<": (None, day - one),
        }[op]
    except OverflowError:
        raise BadQuery(f"{source}: the date is out of range.", field="q") from None


def _day(value: str) -> date:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError(value)
    return date.fromisoformat(value)


def minor_bound(bound: AmountBound, exponent: int) -> tuple[str, int] | None:
    """The bound on integer minor units (currency `exponent`) as (`>=`|`<=`|`=`, n), or
    None when no amount in that currency can meet it (`=` a value between two cents)."""
    scaled = bound.value.scaleb(exponent)
    floor, ceil = (
        int(scaled.to_integral_value("ROUND_FLOOR")),
        int(scaled.to_integral_value("ROUND_CEILING")),
    )
    if bound.op == "=":
        return ("=", floor) if floor == ceil else None
    return {
        ">=": (">=", ceil),
        ">": (">=", floor + 1),
        "<=": ("<=", floor),
        "<": ("<=", ceil - 1),
    }[bound.op]
