"""Spending on a category and its descendants, read from the ledger's balance snapshots.

Spending over `first..last` is debits minus credits of the category and every account
below it: the raw balance at the end of `last` minus the raw balance at the end of the
day before `first`. Each cut date is one grouped read of the snapshots for the whole
tenant (`ledger.balances.raw_balances_at`), cached, so any number of goals and periods
costs one read per distinct date and never a scan of postings. Only accounts in the
goal's currency count (a sub-category in another currency is not part of the limit).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.ledger import balances
from fiscus.ledger import service as ledger_service
from fiscus.ledger.models import Account


@dataclass
class ExpenseTree:
    accounts: dict[uuid.UUID, Account]
    children: dict[uuid.UUID, list[uuid.UUID]]

    def subtree(self, root: uuid.UUID, currency: str) -> set[uuid.UUID]:
        """`root` and its descendants in `currency`."""
        found: set[uuid.UUID] = set()
        stack = [root]
        while stack:
            node = stack.pop()
            if node in found or node not in self.accounts:
                continue
            found.add(node)
            stack.extend(self.children.get(node, []))
        return {a for a in found if self.accounts[a].currency == currency}


def expense_tree(session: Session, ctx: TenantContext) -> ExpenseTree:
    rows = ledger_service.list_accounts(session, ctx, types=("expense",), include_archived=True)
    children: dict[uuid.UUID, list[uuid.UUID]] = {}
    for account in rows:
        if account.parent_id is not None:
            children.setdefault(account.parent_id, []).append(account.id)
    return ExpenseTree({a.id: a for a in rows}, children)


@dataclass
class Snapshots:
    """Raw balances (debits minus credits) of every account at cut dates, read once each."""

    session: Session
    tenant_id: uuid.UUID
    only: frozenset[uuid.UUID] | None = None  # read just these accounts (None: all)
    _cache: dict[date, dict[uuid.UUID, int]] = field(default_factory=dict)

    def at(self, on: date) -> dict[uuid.UUID, int]:
        if on not in self._cache:
            self._cache[on] = balances.raw_balances_at(self.session, self.tenant_id, on, self.only)
        return self._cache[on]

    def spent(self, accounts: set[uuid.UUID], first: date, last: date) -> int:
        """Minor units of debits minus credits on `accounts` within `first..last`."""
        end, before = self.at(last), self.at(first - timedelta(days=1))
        return sum(end.get(a, 0) - before.get(a, 0) for a in accounts)
