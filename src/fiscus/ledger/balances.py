"""Balances: kept in step with postings, read without scanning an account's history.

Every posting adds its amount to a per-day and a per-month snapshot row of its account
in the same database transaction (and a soft delete subtracts it, a restore adds it
back). The balance at a date is then the sum of the month rows before that date's
month plus the day rows of that month up to the date: at most ~12 rows a year of
history plus 31, whatever the number of postings.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.core.money import Money
from fiscus.ledger import events, repository_writes
from fiscus.ledger.models import Account, Posting, Transaction
from fiscus.ledger.repository_balances import BalanceRepository, raw_balance_of
from fiscus.ledger.repository_writes import Delta

# Accounts whose balance is shown as the negative of debits minus credits, so that an
# asset with money in it and a credit card with debt on it are both positive.
CREDIT_NORMAL = ("liability", "equity", "income")


def apply_postings(
    session: Session, tenant_id: uuid.UUID, postings: list[Posting], *, sign: int
) -> None:
    """Add (sign=1) or take away (sign=-1) postings from the balance snapshots."""
    repository_writes.write(session, tenant_id, [], [], deltas_of(postings, sign))
    events.postings_applied(session, tenant_id, postings, sign)


def post_entries(
    session: Session, tenant_id: uuid.UUID, entries: Sequence[tuple[Transaction, list[Posting]]]
) -> None:
    """Write new entries (transaction rows not in the session yet, and their postings) and
    add them to the snapshots: one statement on PostgreSQL however many entries."""
    postings = [posting for _, legs in entries for posting in legs]
    deltas = deltas_of(postings, 1)
    repository_writes.write(session, tenant_id, [txn for txn, _ in entries], postings, deltas)
    events.postings_applied(session, tenant_id, postings, 1)


def deltas_of(postings: Iterable[Posting], sign: int) -> list[Delta]:
    """The snapshot deltas of postings added (sign=1) or taken away (sign=-1)."""
    postings = list(postings)
    amounts = [(p.account_id, p.occurred_on, sign * p.amount, 0) for p in postings]
    # An entry counts once on an account and day, however many of its postings land there.
    entries = {(p.account_id, p.occurred_on, p.transaction_id) for p in postings}
    counts = [(account_id, day, 0, sign) for account_id, day, _ in entries]
    return [*amounts, *counts]


def natural(account: Account, raw_minor: int) -> Money:
    return natural_of(account.type, account.currency, raw_minor)


def natural_of(account_type: str, currency: str, raw_minor: int) -> Money:
    sign = -1 if account_type in CREDIT_NORMAL else 1
    return Money.from_minor(sign * raw_minor, currency)


def raw_balances_at(
    session: Session, tenant_id: uuid.UUID, on: date, only: Collection[uuid.UUID] | None = None
) -> dict[uuid.UUID, int]:
    """Debits minus credits of every account with postings (or of those in `only`), up to
    and including `on` (the trial balance's figures: one grouped read of the snapshots)."""
    return BalanceRepository(session, tenant_id).raw_balances(on, only)


def balance_at(session: Session, ctx: TenantContext, account: Account, on: date) -> Money:
    raw = BalanceRepository(session, ctx.tenant_id).raw_balance(account.id, on)
    return natural(account, raw)


def account_balance_at(
    session: Session, ctx: TenantContext, account_id: uuid.UUID, on: date
) -> Money | None:
    """One account's natural balance at the end of `on` in a single read (the account
    and its snapshots together); None if the tenant has no such account."""
    found = BalanceRepository(session, ctx.tenant_id).account_raw_balance(account_id, on)
    return None if found is None else natural_of(*found)


def account_balance_of(rows: Sequence[Sequence[Any]]) -> Money | None:
    """`account_balance_at` from the rows of `repository_balances.account_raw_balance_read`."""
    found = raw_balance_of(rows)
    return None if found is None else natural_of(*found)
