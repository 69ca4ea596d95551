"""The preview of an import: its first lines as they will be booked, the rows in error,
every duplicate candidate and the statement balances, as stored on the import."""

from __future__ import annotations

from fiscus.core.money import Money
from fiscus.imports.duplicates import Candidate
from fiscus.imports.reading import Reading
from fiscus.imports.schemas import (
    DuplicateCandidate,
    ImportPreview,
    PreviewRow,
    RowErrorRead,
    StatementBalanceRead,
)

PREVIEW_ROWS = 50
PREVIEW_ERRORS = 500
UNCATEGORISED = {True: "Uncategorised income", False: "Uncategorised expense"}


def build(reading: Reading, candidates: dict[int, Candidate], currency: str) -> ImportPreview:
    rows = [
        PreviewRow(
            line_no=line.line_no,
            date=line.booked_on,
            description=line.description,
            payee=line.payee,
            amount=Money.from_minor(line.amount, currency).to_json(),
            currency=currency,
            category=UNCATEGORISED[line.amount > 0],
            bank_ref=line.bank_ref,
            duplicate=_kind(candidates.get(line.line_no)),
        )
        for line in reading.lines[:PREVIEW_ROWS]
    ]
    by_line = {line.line_no: line for line in reading.lines}
    return ImportPreview(
        rows=rows,
        lines=len(reading.lines) + len({e.line_no for e in reading.errors}),
        errors=[
            RowErrorRead(line_no=e.line_no, field=e.field, message=e.message)
            for e in reading.errors[:PREVIEW_ERRORS]
        ],
        error_count=len({e.line_no for e in reading.errors}),
        duplicates=[
            _candidate(c, by_line[c.line_no].amount, currency)
            for c in sorted(candidates.values(), key=lambda c: c.line_no)
        ],
        balances=[
            StatementBalanceRead(date=b.on, amount=str(b.amount), kind=b.kind)
            for b in reading.statement.balances
        ],
        currency=reading.statement.currency,
        account_hint=reading.statement.account_hint,
    )


def _kind(candidate: Candidate | None) -> str | None:
    return None if candidate is None else candidate.kind


def _candidate(candidate: Candidate, amount: int, currency: str) -> DuplicateCandidate:
    entry = candidate.entry
    return DuplicateCandidate(
        line_no=candidate.line_no,
        kind="exact" if candidate.kind == "exact" else "fuzzy",
        score=candidate.score,
        transaction_id=entry.transaction_id if entry else None,
        date=entry.occurred_on if entry else None,
        amount=Money.from_minor(entry.amount if entry else amount, currency).to_json(),
        description=entry.description if entry else None,
        payee=entry.payee if entry else None,
        default="skip" if candidate.kind == "exact" else None,
    )
