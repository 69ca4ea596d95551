"""Which column of a general-ledger detail file is which, with a confidence.

Roles: `entry` (journal or entry number), `date` (posting date), `time` (a time or
timestamp column), `account` (account number or code), `account_name`, `description`,
`debit`, `credit`, `amount` (one signed amount, positive = debit) and `user` (who
prepared or posted the line). The confidence is the trial-balance rule
(`ingest/columns.py`): the header's score (1.0 for a known header, 0.8 for one
containing a known word) times `0.5 + 0.5 x fit`, fit being the share of the first 200
non-blank cells that look like the role; a column without header evidence reaches at
most 0.45, below the threshold of 0.6, so the caller asks for a mapping.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fiscus.diagnostics.ingest.columns import (
    SAMPLE_ROWS,
    Detection,
    best_header_row,
    detect_roles,
    is_amount,
    score_header,
)
from fiscus.diagnostics.journal.dates import is_date, is_time

ROLES = (
    "entry",
    "date",
    "time",
    "account",
    "account_name",
    "description",
    "debit",
    "credit",
    "amount",
    "user",
)
THRESHOLD = 0.6

# fmt: off
_EXACT: dict[str, tuple[str, ...]] = {
    "entry": (
        "entry", "entry no", "entry number", "entry #", "entry id", "journal", "journal no",
        "journal number", "journal #", "journal id", "je", "je no", "je number", "je #",
        "je id", "transaction no", "transaction number", "transaction id", "txn id", "txn no",
        "voucher", "voucher no", "voucher number", "document no", "document number", "doc no",
        "batch no", "gl entry no", "jnl no", "jnl",
    ),
    "date": (
        "date", "posting date", "posted date", "entry date", "transaction date", "txn date",
        "gl date", "effective date", "journal date", "doc date", "document date",
        "accounting date", "value date", "period date",
    ),
    "time": (
        "time", "timestamp", "posting time", "entry time", "created", "created at",
        "created on", "posted at", "entered at", "entered on", "date entered", "time entered",
        "time posted", "system date", "system time", "created date",
    ),
    "account": (
        "account", "account no", "account number", "account code", "account #", "acct",
        "acct no", "acc no", "gl account", "gl code", "gl account no", "code", "nominal code",
        "ledger code", "ledger account", "a/c", "a/c no", "account id",
    ),
    "account_name": (
        "account name", "account description", "account title", "ledger name", "gl name",
        "gl account name", "nominal name", "acct name", "account",
    ),
    "description": (
        "description", "memo", "narration", "narrative", "details", "particulars",
        "line description", "explanation", "comment", "comments", "text", "line memo",
        "journal description", "reference", "remarks", "journal memo",
    ),
    "debit": (
        "debit", "debits", "dr", "debit amount", "dr amount", "debit ($)",
    ),
    "credit": (
        "credit", "credits", "cr", "credit amount", "cr amount", "credit ($)",
    ),
    "amount": (
        "amount", "net", "value", "net amount", "signed amount", "base amount", "movement",
        "amount ($)", "amount (aud)", "local amount",
    ),
    "user": (
        "user", "user id", "userid", "username", "user name", "prepared by", "preparer",
        "entered by", "posted by", "created by", "author", "initials", "keyed by",
        "approved by", "operator",
    ),
}
# fmt: on
_CONTAINS: dict[str, tuple[str, ...]] = {
    "entry": ("journal", "entry", "voucher", "je ", "txn", "transaction"),
    "date": ("date",),
    "time": ("time", "created", "entered"),
    "account": ("account", "acct", "code", "gl"),
    "account_name": ("account name", "acct name", "account title"),
    "description": ("descr", "memo", "narrat", "detail"),
    "debit": ("debit",),
    "credit": ("credit",),
    "amount": ("amount",),
    "user": ("user", " by", "preparer"),
}
_CODE = re.compile(r"^[A-Za-z]{0,4}[-_/ ]?\d[\d.\-/ ]{0,15}[A-Za-z]?$")


def header_score(role: str, header: str) -> float:
    return score_header(_EXACT, _CONTAINS, role, header)


def _fit_one(role: str, cell: str) -> bool:
    if role in ("debit", "credit", "amount"):
        return is_amount(cell)
    if role == "date":
        return is_date(cell)
    if role == "time":
        return is_time(cell)
    if role in ("entry", "account"):
        return bool(_CODE.match(cell)) and not is_date(cell)
    if role == "user":
        return len(cell) <= 40 and not is_amount(cell) and not is_date(cell)
    return len(cell) > 2 and not is_amount(cell) and not is_date(cell)


def _fits(role: str, cells: list[str]) -> float:
    filled = [c.strip() for c in cells if c.strip()]
    if not filled:
        # Debit and credit columns are half blank by nature: no evidence either way.
        return 0.5 if role in ("debit", "credit") else 0.0
    return sum(1 for c in filled if _fit_one(role, c)) / len(filled)


def _names_a_role(cell: str) -> bool:
    needed = 1.0 if any(ch.isdigit() for ch in cell) else 0.8
    return any(header_score(role, cell) >= needed for role in ROLES)


def find_header_row(rows: Sequence[Sequence[str]]) -> int | None:
    """The top row naming the most roles (at least two). A cell with a digit counts only
    as an exact header: data such as "Account 6200" or "Entry 12" names no column."""
    return best_header_row(rows, _names_a_role)


def detect(rows: Sequence[Sequence[str]]) -> Detection:
    header_row = find_header_row(rows)
    width_rows = (header_row or 0) + SAMPLE_ROWS + 1
    return detect_roles(rows, header_row, ROLES, header_score, _fits, width_rows=width_rows)
