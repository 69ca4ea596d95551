"""Cash flow: how the cash and bank accounts got from their opening to their closing balance.

Cash accounts are the asset accounts of subtype checking, savings or cash. For the
entries that move cash in the period, each other leg says where the money came from or
went: income and expense categories are inflows and outflows; other balance-sheet
accounts (a card repaid, a loan drawn, savings moved to an investment) are transfers in
and out. Moves between two cash accounts cancel out and are not shown. Then
opening + inflows - outflows + transfers in - transfers out (+ exchange-rate effect)
= closing, where the exchange-rate effect (other currencies only) is what revaluing
foreign cash at the period's rates adds.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.core.money import Money, sum_money
from fiscus.ledger.models import Account
from fiscus.reports.repository import CashFlowRepository, Counterpart
from fiscus.reports.schemas import CashAccount, CashFlowRead, FlowGroup, FlowLine
from fiscus.reports.service.common import Books, load_books, path_name, resolve_period

CASH_SUBTYPES = ("checking", "savings", "cash")


def cash_accounts(books: Books) -> list[Account]:
    cash = [a for a in books.of_types("asset") if a.subtype in CASH_SUBTYPES]
    return sorted(cash, key=lambda a: (a.display_order, a.code or "", a.name.lower()))


def cash_flow(
    session: Session, ctx: TenantContext, *, date_from: date | None, date_to: date | None
) -> CashFlowRead:
    books = load_books(session, ctx)
    start, end = resolve_period(books, date_from, date_to)
    cash = cash_accounts(books)
    before = start - timedelta(days=1)
    opening_raw, closing_raw = books.raw_at(before), books.raw_at(end)
    accounts = [
        CashAccount(
            account_id=a.id,
            name=a.name,
            opening=books.to_base(a, opening_raw.get(a.id, 0), before).to_json(),
            closing=books.to_base(a, closing_raw.get(a.id, 0), end).to_json(),
        )
        for a in cash
    ]
    c = books.currency
    opening = sum_money((Money.parse(a.opening, c) for a in accounts), c)
    closing = sum_money((Money.parse(a.closing, c) for a in accounts), c)
    flows = CashFlowRepository(session, ctx.tenant_id).counterparts(
        [a.id for a in cash], start, end
    )
    groups = _groups(books, flows, end)
    movement = (
        _sum(groups["inflows"], c)
        - _sum(groups["outflows"], c)
        + _sum(groups["transfers_in"], c)
        - _sum(groups["transfers_out"], c)
    )
    effect = closing - opening - movement
    return CashFlowRead(
        date_from=start,
        date_to=end,
        currency=c,
        accounts=accounts,
        opening=opening.to_json(),
        inflows=_group(groups["inflows"], c),
        outflows=_group(groups["outflows"], c),
        transfers_in=_group(groups["transfers_in"], c),
        transfers_out=_group(groups["transfers_out"], c),
        exchange_effect=effect.to_json(),
        net_change=(closing - opening).to_json(),
        closing=closing.to_json(),
    )


def _groups(books: Books, flows: list[Counterpart], on: date) -> dict[str, list[FlowLine]]:
    groups: dict[str, list[FlowLine]] = {
        "inflows": [],
        "outflows": [],
        "transfers_in": [],
        "transfers_out": [],
    }
    for flow in flows:
        account = books.accounts.get(flow.account_id)
        if account is None:
            continue
        is_category = account.type in ("income", "expense")
        into, out = ("inflows", "outflows") if is_category else ("transfers_in", "transfers_out")
        for key, minor in ((into, flow.inflow), (out, flow.outflow)):
            if minor:
                amount = books.to_base(account, minor, on)
                groups[key].append(
                    FlowLine(
                        account_id=account.id,
                        code=account.code,
                        name=path_name(books, account),
                        amount=amount.to_json(),
                    )
                )
    for lines in groups.values():
        lines.sort(key=lambda line: (-Money.parse(line.amount, books.currency).amount, line.name))
    return groups


def _sum(lines: list[FlowLine], currency: str) -> Money:
    return sum_money((Money.parse(line.amount, currency) for line in lines), currency)


def _group(lines: list[FlowLine], currency: str) -> FlowGroup:
    return FlowGroup(lines=lines, total=_sum(lines, currency).to_json())
