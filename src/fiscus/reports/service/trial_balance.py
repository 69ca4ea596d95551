"""Trial balance: every account's balance at a date as a debit or a credit, in base currency.

Accounts in another currency are converted at the rate in effect on the date. When the
books hold several currencies, the converted balances need not sum to zero any more (the
same entry is worth a different amount at today's rate than at the day's); that
difference is shown on its own row, "Exchange differences", so the columns still agree.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.core.money import Money, sum_money
from fiscus.ledger.models import Account
from fiscus.reports.schemas import TrialBalanceRead, TrialBalanceRow
from fiscus.reports.service.common import Books, load_books

EXCHANGE_DIFFERENCES = "Exchange differences"


def trial_balance(session: Session, ctx: TenantContext, *, as_of: date | None) -> TrialBalanceRead:
    books = load_books(session, ctx)
    on = as_of or books.today
    raw = books.raw_at(on)
    lines: list[tuple[Account | None, Money]] = []
    for account_id, minor in raw.items():
        account = books.accounts.get(account_id)
        if account is not None and minor:
            lines.append((account, books.to_base(account, minor, on)))
    lines.sort(key=lambda line: _order(line[0]))
    difference = sum_money((m for _, m in lines), books.currency)
    if not difference.is_zero:
        lines.append((None, -difference))
    rows = [_row(books, account, amount) for account, amount in lines if not amount.is_zero]
    debits = sum_money((m for _, m in lines if not m.is_negative), books.currency)
    credits = sum_money((-m for _, m in lines if m.is_negative), books.currency)
    return TrialBalanceRead(
        as_of=on,
        currency=books.currency,
        rows=rows,
        total_debits=debits.to_json(),
        total_credits=credits.to_json(),
    )


def _order(account: Account | None) -> tuple[int, str, str]:
    if account is None:
        return (2, "", "")
    # Coded accounts by code, then the uncoded ones by name.
    return (0 if account.code else 1, account.code or "", account.name.lower())


def _row(books: Books, account: Account | None, amount: Money) -> TrialBalanceRow:
    zero = books.zero().to_json()
    debit = amount.to_json() if not amount.is_negative else zero
    credit = (-amount).to_json() if amount.is_negative else zero
    if account is None:
        return TrialBalanceRow(
            account_id=None,
            code=None,
            name=EXCHANGE_DIFFERENCES,
            type="equity",
            debit=debit,
            credit=credit,
        )
    return TrialBalanceRow(
        account_id=account.id,
        code=account.code,
        name=account.name,
        type=account.type,
        debit=debit,
        credit=credit,
    )
