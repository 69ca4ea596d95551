"""The journal lines of a general-ledger detail file, and the entries they make up.

A line has an entry number, a date, perhaps a time, an account (its number, else its
name), a description, a debit and a credit (both >= 0; a signed amount puts a positive
value in `debit`, a negative one in `credit`) and perhaps a user. An entry is the lines
sharing an entry number, in file order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class JournalLine:
    line_no: int  # 1-based line of the source sheet
    entry: str
    date: date
    time: time | None
    account: str  # the number, else the name: what identifies the account
    account_name: str
    description: str
    debit: Decimal
    credit: Decimal
    user: str | None

    @property
    def amount(self) -> Decimal:
        """The line's size, whichever side."""
        return self.debit if self.debit else self.credit

    @property
    def net(self) -> Decimal:
        return self.debit - self.credit


@dataclass(frozen=True, slots=True)
class Entry:
    number: str
    lines: tuple[JournalLine, ...]
    total_debits: Decimal
    total_credits: Decimal

    @classmethod
    def of(cls, number: str, lines: tuple[JournalLine, ...]) -> Entry:
        debits = sum((line.debit for line in lines), ZERO)
        return cls(number, lines, debits, sum((line.credit for line in lines), ZERO))

    @property
    def date(self) -> date:
        return min(line.date for line in self.lines)

    @property
    def size(self) -> Decimal:
        """What the entry moves: the larger of its debits and credits."""
        return max(self.total_debits, self.total_credits)

    @property
    def users(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(line.user for line in self.lines if line.user))


def group_entries(lines: tuple[JournalLine, ...]) -> tuple[Entry, ...]:
    """Lines grouped by entry number, entries in the order they first appear."""
    groups: dict[str, list[JournalLine]] = {}
    for line in lines:
        groups.setdefault(line.entry, []).append(line)
    return tuple(Entry.of(number, tuple(group)) for number, group in groups.items())
