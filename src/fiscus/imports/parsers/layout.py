"""The layout of a table of cells: where the header is (after any junk lines) and which
column plays which role — by header name first, by content where names say nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from fiscus.imports.parsers.base import Choice, Role
from fiscus.imports.parsers.dates import date_ratio, looks_like_date
from fiscus.imports.parsers.headers import header_score, role_of_header
from fiscus.imports.parsers.values import INDICATOR_VALUES, looks_numeric, parse_amount


@dataclass(slots=True)
class Start:
    header_row: int | None  # index of the header row among the rows
    data_row: int  # index of the first data row
    width: int
    confidence: float


def _width(row: list[str]) -> int:
    """Columns up to the last non-empty cell (spreadsheets pad rows with empties)."""
    n = len(row)
    while n and not row[n - 1].strip():
        n -= 1
    return n


def _data_like(row: list[str]) -> bool:
    cells = [c for c in row if c.strip()]
    return any(looks_like_date(c) for c in cells) and any(looks_numeric(c) for c in cells)


def find_start(rows: list[list[str]]) -> Start:
    """Skip junk lines (titles, account details, blank lines) to the header or first data row."""
    widths = [_width(r) for r in rows]
    common = Counter(w for w in widths if w > 1).most_common(1)
    if not common:
        return Start(None, 0, max(widths, default=1), 0.3)
    width = common[0][0]
    for i, row in enumerate(rows[:60]):
        if widths[i] < width - 1 or widths[i] < 2:
            continue
        following = rows[i + 1 : i + 4]
        if header_score(row) >= 0.5 or (
            not _data_like(row) and following and all(_data_like(r) for r in following)
        ):
            sure = 0.95 if header_score(row) >= 0.5 else 0.7
            return Start(i, i + 1, max(width, widths[i]), sure)
        # A data row is as wide as the rest (give or take an empty last cell) and is followed
        # by more of its kind: a title line holding a date and a number is not one.
        if _data_like(row) and abs(widths[i] - width) <= 1 and all(map(_data_like, following[:2])):
            return Start(None, i, width, 0.8 if i == 0 else 0.7)
    return Start(None, 0, width, 0.3)


@dataclass(slots=True)
class ColumnStats:
    index: int
    filled: int = 0
    dates: float = 0.0
    date_formats: list[str] = field(default_factory=list)
    numbers: float = 0.0
    negatives: int = 0
    indicators: float = 0.0
    mean_length: float = 0.0
    distinct: float = 0.0


def column_stats(
    rows: list[list[str]], width: int, decimal: str, thousands: str | None
) -> list[ColumnStats]:
    stats: list[ColumnStats] = []
    for index in range(width):
        cells = [r[index].strip() for r in rows if index < len(r) and r[index].strip()]
        s = ColumnStats(index, filled=len(cells))
        if cells:
            s.dates, s.date_formats = date_ratio(cells)
            amounts = [parse_amount(c, decimal, thousands) for c in cells]
            s.numbers = sum(1 for a in amounts if a is not None) / len(cells)
            s.negatives = sum(1 for a in amounts if a is not None and a < 0)
            s.indicators = sum(1 for c in cells if c.upper() in INDICATOR_VALUES) / len(cells)
            s.mean_length = sum(map(len, cells)) / len(cells)
            s.distinct = len(set(cells)) / len(cells)
        stats.append(s)
    return stats


def _fits(role: Role, stats: ColumnStats) -> bool:
    """Whether a column's content agrees with the role its header names."""
    if not stats.filled:
        return role in (Role.DEBIT, Role.CREDIT, Role.PAYEE, Role.REFERENCE)
    if role is Role.DATE:
        return stats.dates >= 0.5
    if role in (Role.AMOUNT, Role.DEBIT, Role.CREDIT, Role.BALANCE):
        return stats.numbers >= 0.5
    if role is Role.INDICATOR:
        return stats.indicators >= 0.5
    if role in (Role.DESCRIPTION, Role.PAYEE):
        return stats.indicators < 0.6  # a "Details" column of DEBIT/CREDIT is no description
    return True


def roles_from_headers(headers: list[str], stats: list[ColumnStats]) -> dict[Role, Choice[int]]:
    """Each role from the best-named column whose content agrees (first wins a tie)."""
    best: dict[Role, Choice[int]] = {}
    for index, header in enumerate(headers):
        found = role_of_header(header)
        if found is None or index >= len(stats) or not _fits(found[0], stats[index]):
            continue
        role, confidence = found
        if role not in best or confidence > best[role].confidence:
            best[role] = Choice(index, confidence)
    return best


def _amounts(
    rows: list[list[str]], index: int, decimal: str, sep: str | None
) -> list[Decimal | None]:
    return [parse_amount(r[index], decimal, sep) if index < len(r) else None for r in rows]


def balance_fit(
    rows: list[list[str]], amount: int, balance: int, decimal: str, sep: str | None, sign: int = 1
) -> float:
    """How often balance[i] - balance[i-1] equals sign * amount (oldest- or newest-first)."""
    amounts = [a * sign if a is not None else None for a in _amounts(rows, amount, decimal, sep)]
    balances = _amounts(rows, balance, decimal, sep)
    pairs = up = down = 0
    for i in range(1, len(rows)):
        a0, a1, b0, b1 = amounts[i - 1], amounts[i], balances[i - 1], balances[i]
        if a0 is None or a1 is None or b0 is None or b1 is None:
            continue
        pairs += 1
        up += b1 - b0 == a1
        down += b0 - b1 == a0
    return max(up, down) / pairs if pairs else 0.0


def _fits_either_sign(
    rows: list[list[str]], amount: int, balance: int, decimal: str, sep: str | None
) -> bool:
    return any(balance_fit(rows, amount, balance, decimal, sep, sign) >= 0.8 for sign in (1, -1))


def roles_from_content(
    rows: list[list[str]],
    stats: list[ColumnStats],
    taken: dict[Role, Choice[int]],
    decimal: str,
    thousands: str | None,
) -> dict[Role, Choice[int]]:
    """Fill the roles headers did not name, from what the columns hold."""
    roles = dict(taken)
    used = {c.value for c in roles.values()}
    free = [s for s in stats if s.index not in used and s.filled]
    if Role.DATE not in roles:
        dated = [s for s in free if s.dates >= 0.9]
        if dated:
            roles[Role.DATE] = Choice(dated[0].index, 0.85 * dated[0].dates)
            used.add(dated[0].index)
    numeric = [s for s in free if s.index not in used and s.numbers >= 0.9 and s.dates < 0.5]
    _numeric_roles(rows, numeric, roles, decimal, thousands)
    used = {c.value for c in roles.values()}
    if Role.INDICATOR not in roles:
        flags = [s for s in free if s.index not in used and s.indicators >= 0.95]
        if flags:
            roles[Role.INDICATOR] = Choice(flags[0].index, 0.8)
            used.add(flags[0].index)
    texts = sorted(
        (s for s in free if s.index not in used and s.numbers < 0.5 and s.dates < 0.5),
        key=lambda s: -(s.mean_length * (0.5 + s.distinct)),
    )
    if Role.DESCRIPTION not in roles and texts:
        roles[Role.DESCRIPTION] = Choice(texts[0].index, 0.7)
    return roles


def _numeric_roles(
    rows: list[list[str]],
    numeric: list[ColumnStats],
    roles: dict[Role, Choice[int]],
    decimal: str,
    thousands: str | None,
) -> None:
    has_amount = Role.AMOUNT in roles or Role.DEBIT in roles or Role.CREDIT in roles
    if not has_amount and len(numeric) >= 2:
        for a in numeric:
            for b in numeric:
                if a is not b and _fits_either_sign(rows, a.index, b.index, decimal, thousands):
                    roles[Role.AMOUNT] = Choice(a.index, 0.9)
                    roles[Role.BALANCE] = Choice(b.index, 0.9)
                    return
        sparse = [s for s in numeric if s.filled < len(rows) * 0.9]
        if len(sparse) >= 2:
            roles[Role.DEBIT] = Choice(sparse[0].index, 0.5, note="assumed debit before credit")
            roles[Role.CREDIT] = Choice(sparse[1].index, 0.5)
            return
    if not has_amount and numeric:
        roles[Role.AMOUNT] = Choice(numeric[0].index, 0.7 if numeric[0].negatives else 0.55)
        numeric = numeric[1:]
        has_amount = True
    if Role.BALANCE in roles or Role.AMOUNT not in roles:
        return
    for candidate in numeric:  # a balance only when the amounts add up to it
        amount = roles[Role.AMOUNT].value
        if _fits_either_sign(rows, amount, candidate.index, decimal, thousands):
            roles[Role.BALANCE] = Choice(candidate.index, 0.95)
            return


def with_alternatives(
    roles: dict[Role, Choice[int]], stats: list[ColumnStats]
) -> dict[Role, Choice[int]]:
    """Name the other columns that could play the date and amount roles (a value date, a
    second money column), so a user who disagrees sees what to pick instead."""
    used = {choice.value for choice in roles.values()}
    could_be = {
        Role.DATE: [s.index for s in stats if s.dates >= 0.9],
        Role.AMOUNT: [s.index for s in stats if s.numbers >= 0.9 and s.dates < 0.5],
    }
    result = dict(roles)
    for role, indexes in could_be.items():
        choice = roles.get(role)
        if choice is None:
            continue
        others = tuple(
            i for i in indexes if i != choice.value and (i not in used or role is Role.AMOUNT)
        )
        if others:
            result[role] = Choice(choice.value, choice.confidence, others, choice.note)
    return result
