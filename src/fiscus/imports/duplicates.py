"""Which lines of a file may already be in the books.

Exact: the line's bank reference (FITID, CAMT entry reference, MT940 reference) was
already booked into this account by an import that was not undone, or appears earlier
in the same file; for a line without a reference, its fingerprint (date, amount,
description, occurrence) was. Fuzzy: a live entry of the account with the same amount,
dated within `WINDOW_DAYS`, whose payee/description is similar (rapidfuzz token-set
ratio >= `MIN_SIMILARITY`); each existing entry matches at most one line, best first.
Nothing is dropped here: the candidates go to the preview, and commit decides.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from rapidfuzz import fuzz, utils
from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.imports.reading import BankLine
from fiscus.imports.repository import ImportRepository
from fiscus.ledger import service as ledger_service

WINDOW_DAYS = 3
MIN_SIMILARITY = 60.0


@dataclass(frozen=True, slots=True)
class Candidate:
    line_no: int
    kind: str  # "exact" | "fuzzy"
    score: float
    entry: ledger_service.AccountEntry | None


def find(
    session: Session, ctx: TenantContext, account_id: uuid.UUID, lines: list[BankLine]
) -> dict[int, Candidate]:
    """Duplicate candidates by line number."""
    exact = _exact(session, ctx, account_id, lines)
    rest = [line for line in lines if line.line_no not in exact]
    return exact | _fuzzy(session, ctx, account_id, rest)


def _exact(
    session: Session, ctx: TenantContext, account_id: uuid.UUID, lines: list[BankLine]
) -> dict[int, Candidate]:
    refs, prints = ImportRepository(session, ctx.tenant_id).booked_keys(account_id)
    found: dict[int, Candidate] = {}
    in_file: set[str] = set()
    for line in lines:
        if line.bank_ref is not None:
            hit = line.bank_ref in refs or line.bank_ref in in_file
            in_file.add(line.bank_ref)
        else:
            hit = line.fingerprint in prints
        if hit:
            found[line.line_no] = Candidate(line.line_no, "exact", 1.0, None)
    return found


def _text(payee: str | None, description: str) -> str:
    return f"{payee or ''} {description}".strip()


def _fuzzy(
    session: Session, ctx: TenantContext, account_id: uuid.UUID, lines: list[BankLine]
) -> dict[int, Candidate]:
    if not lines:
        return {}
    window = timedelta(days=WINDOW_DAYS)
    first = min(line.booked_on for line in lines) - window
    last = max(line.booked_on for line in lines) + window
    entries = ledger_service.account_entries(
        session, ctx, account_id=account_id, first=first, last=last
    )
    by_amount: dict[int, list[ledger_service.AccountEntry]] = defaultdict(list)
    for entry in entries:
        by_amount[entry.amount].append(entry)
    scored: list[tuple[float, int, int, ledger_service.AccountEntry]] = []
    for line in lines:
        for entry in by_amount.get(line.amount, ()):
            days = abs((entry.occurred_on - line.booked_on).days)
            if days > WINDOW_DAYS:
                continue
            similarity = fuzz.token_set_ratio(
                _text(line.payee, line.description),
                _text(entry.payee, entry.description),
                processor=utils.default_process,
            )
            if similarity >= MIN_SIMILARITY:
                scored.append((similarity - days, days, line.line_no, entry))
    return _pair_best_first(scored)


def _pair_best_first(
    scored: list[tuple[float, int, int, ledger_service.AccountEntry]],
) -> dict[int, Candidate]:
    found: dict[int, Candidate] = {}
    taken: set[uuid.UUID] = set()
    for score, _days, line_no, entry in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if line_no in found or entry.transaction_id in taken:
            continue
        taken.add(entry.transaction_id)
        found[line_no] = Candidate(line_no, "fuzzy", round(max(score, 0.0) / 100, 3), entry)
    return found
