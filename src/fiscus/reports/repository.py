"""The one report query that needs postings: cash flow's counterparts. Tenant-scoped, read-only.

Everything else in reports reads the balance snapshots. A cash-flow statement must know
*where* cash came from and went to, which only the other legs of the entries that move
cash can say; this reads those legs for one period, grouped per account, in one query.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select

from fiscus.db.repository import TenantRepository
from fiscus.ledger.models import Posting, Transaction


@dataclass(frozen=True, slots=True)
class Counterpart:
    """What one non-cash account gave to (inflow) and took from (outflow) the cash accounts."""

    account_id: uuid.UUID
    inflow: int  # minor units of the account's currency
    outflow: int


class CashFlowRepository(TenantRepository):
    def counterparts(
        self, cash_ids: list[uuid.UUID], date_from: date, date_to: date
    ) -> list[Counterpart]:
        """Per other account, the legs of live entries in the period that touch cash.

        A credit on the other account (income earned, a loan drawn) is cash coming in;
        a debit (an expense, a card repaid) is cash going out.
        """
        if not cash_ids:
            return []
        moving_cash = (
            select(Posting.transaction_id)
            .where(
                Posting.tenant_id == self.tenant_id,
                Posting.account_id.in_(cash_ids),
                Posting.occurred_on >= date_from,
                Posting.occurred_on <= date_to,
            )
            .distinct()
        )
        inflow = func.sum(case((Posting.amount < 0, -Posting.amount), else_=0))
        outflow = func.sum(case((Posting.amount > 0, Posting.amount), else_=0))
        query = (
            select(Posting.account_id, inflow, outflow)
            .join(Transaction, Transaction.id == Posting.transaction_id)
            .where(
                Posting.tenant_id == self.tenant_id,
                Transaction.tenant_id == self.tenant_id,
                Transaction.deleted_at.is_(None),
                Posting.transaction_id.in_(moving_cash),
                Posting.account_id.not_in(cash_ids),
            )
            .group_by(Posting.account_id)
        )
        return [
            Counterpart(account_id, int(into or 0), int(out or 0))
            for account_id, into, out in self.session.execute(query)
        ]
