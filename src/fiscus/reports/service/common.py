"""What every report needs: the chart of accounts, balances at dates, conversion, trees.

Figures come from the balance snapshots only: a balance at a date is one grouped read
(`ledger.balances.raw_balances_at`), and a period's figure is the balance at its end
minus the balance the day before it starts. No report scans postings for that.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.core.errors import InvalidInput
from fiscus.core.money import Money
from fiscus.ledger import balances
from fiscus.ledger import service as ledger_service
from fiscus.ledger.models import Account
from fiscus.ledger.rates import RateBook
from fiscus.reports.dates import financial_year_start
from fiscus.reports.schemas import Figure
from fiscus.tenancy import service as tenancy_service

PATH_SEPARATOR = " \u203a "  # a single right-pointing angle quotation mark


@dataclass
class Books:
    """One tenant's accounts and balances while one report is built (reads are cached)."""

    session: Session
    tenant_id: uuid.UUID
    accounts: dict[uuid.UUID, Account]
    currency: str
    today: date
    fiscal_year: tuple[int, int]  # (month, day) the financial year starts
    rates: RateBook
    _raw: dict[date, dict[uuid.UUID, int]] = field(default_factory=dict)

    def raw_at(self, on: date) -> dict[uuid.UUID, int]:
        """Debits minus credits of every account up to and including `on`."""
        if on not in self._raw:
            self._raw[on] = balances.raw_balances_at(self.session, self.tenant_id, on)
        return self._raw[on]

    def raw_between(self, date_from: date, date_to: date) -> dict[uuid.UUID, int]:
        """Debits minus credits of the postings dated within the period."""
        end, before = self.raw_at(date_to), self.raw_at(date_from - timedelta(days=1))
        return {a: end.get(a, 0) - before.get(a, 0) for a in end.keys() | before.keys()}

    def to_base(self, account: Account, raw: int, on: date) -> Money:
        """Debits minus credits in the base currency at the rate in effect on `on`."""
        if raw == 0:
            return Money.zero(self.currency)
        return self.rates.to_base(Money.from_minor(raw, account.currency), on)

    def of_types(self, *types: str) -> list[Account]:
        return [a for a in self.accounts.values() if a.type in types]

    def financial_year_start(self, day: date) -> date:
        return financial_year_start(day, *self.fiscal_year)

    def zero(self) -> Money:
        return Money.zero(self.currency)


def load_books(session: Session, ctx: TenantContext) -> Books:
    # Archived and hidden accounts still carry balances: every report includes them.
    accounts = ledger_service.list_accounts(session, ctx, include_archived=True)
    currency = tenancy_service.base_currency(session, ctx.tenant_id)
    fiscal_year = (7, 1)
    if ctx.user_id is not None:
        tenant = tenancy_service.access(session, ctx.user_id, ctx.tenant_id).tenant
        fiscal_year = (tenant.fiscal_year_start_month, tenant.fiscal_year_start_day)
    return Books(
        session=session,
        tenant_id=ctx.tenant_id,
        accounts={a.id: a for a in accounts},
        currency=currency,
        today=tenancy_service.today(session, ctx.tenant_id),
        fiscal_year=fiscal_year,
        rates=RateBook(session, ctx.tenant_id, currency),
    )


def resolve_period(books: Books, date_from: date | None, date_to: date | None) -> tuple[date, date]:
    """Defaults: up to today, from the start of that day's financial year; from <= to."""
    end = date_to or books.today
    start = date_from or books.financial_year_start(end)
    if start > end:
        raise InvalidInput("must not be after 'to'", field="from")
    return start, end


def figure(amount: Money, compare: Money | None) -> Figure:
    if compare is None:
        return Figure(amount=amount.to_json())
    change = amount - compare
    percent = None
    if not compare.is_zero:
        ratio = change.amount * 100 / abs(compare.amount)
        percent = format(ratio.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")
    return Figure(
        amount=amount.to_json(),
        compare_amount=compare.to_json(),
        change=change.to_json(),
        change_percent=percent,
    )


def tree_order(accounts: Iterable[Account]) -> list[tuple[Account, int]]:
    """Accounts depth-first under their parents (display order, code, name), with depth."""
    items = list(accounts)
    ids = {a.id for a in items}
    children: dict[uuid.UUID | None, list[Account]] = {}
    for account in items:
        parent = account.parent_id if account.parent_id in ids else None
        children.setdefault(parent, []).append(account)
    for siblings in children.values():
        siblings.sort(key=lambda a: (a.display_order, a.code or "", a.name.lower()))
    ordered: list[tuple[Account, int]] = []

    def walk(parent: uuid.UUID | None, depth: int) -> None:
        for account in children.get(parent, []):
            ordered.append((account, depth))
            walk(account.id, depth + 1)

    walk(None, 0)
    return ordered


def rolled_up(
    ordered: list[tuple[Account, int]], own: dict[uuid.UUID, Money], currency: str
) -> dict[uuid.UUID, Money]:
    """Each account's own amount plus all of its descendants' (the tree's subtotals)."""
    totals = {a.id: own.get(a.id, Money.zero(currency)) for a, _ in ordered}
    for account, _ in reversed(ordered):  # children come after parents: add bottom-up
        parent = account.parent_id
        if parent in totals:
            totals[parent] = totals[parent] + totals[account.id]
    return totals


def path_name(books: Books, account: Account) -> str:
    """'Food \u203a Groceries': the account's name after its ancestors'."""
    names = [account.name]
    seen = {account.id}
    parent = books.accounts.get(account.parent_id) if account.parent_id else None
    while parent is not None and parent.id not in seen:
        names.append(parent.name)
        seen.add(parent.id)
        parent = books.accounts.get(parent.parent_id) if parent.parent_id else None
    return PATH_SEPARATOR.join(reversed(names))
