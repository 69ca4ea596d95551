"""The balance forecast: projected daily balances per balance-sheet account and in total.

Each account starts from the ledger's balance at the end of today, and its ledger balance
on every later day already carries the known scheduled items (future-dated transactions).
On top come the confirmed recurring series at their scheduled dates, and the spending
limits (goals): what is left of each limit in each period — the limit minus what was
already spent in the period and minus the confirmed series that fall into the limit's
categories — spread evenly over the period's remaining days, charged to the account that
paid most of that category in the last 180 days (else the first checking account in the
limit's currency). All of it in exact minor units.

The band widens with time: the variance of each series' recent amounts at each payment,
plus, per day, the variance of the account's daily changes over the last 90 days once the
confirmed series' own payments are taken out. Its half-width is 1.96 standard deviations.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date, timedelta

from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.core.errors import InvalidInput
from fiscus.core.money import Money
from fiscus.goals import service as goals_service
from fiscus.ledger import balance_reads
from fiscus.ledger import service as ledger_service
from fiscus.ledger.models import Account
from fiscus.recurring.cadence import CADENCES, add_months
from fiscus.recurring.detection import Movement, clean_payee, in_band
from fiscus.recurring.models import RecurringSeries
from fiscus.recurring.projection import Projection, half_width, residual_variance, schedule, spread
from fiscus.recurring.repository import MovementRepository, SeriesRepository
from fiscus.recurring.schemas import (
    AccountForecast,
    Forecast,
    ForecastPoint,
    ForecastWarning,
    TotalForecast,
)
from fiscus.tenancy import service as tenancy_service

ALLOWED_MONTHS = (3, 6, 12)
RESIDUAL_DAYS = 90
PAYER_DAYS = 180
_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}
_DAY = timedelta(days=1)

Event = tuple[RecurringSeries, date]


def forecast(session: Session, ctx: TenantContext, *, months: int) -> Forecast:
    if months not in ALLOWED_MONTHS:
        raise InvalidInput("must be 3, 6 or 12", field="months")
    today = tenancy_service.today(session, ctx.tenant_id)
    end = add_months(today, months)
    accounts = ledger_service.list_accounts(session, ctx, types=("asset", "liability"))
    by_id = {a.id: a for a in accounts}
    projections = {
        a.id: Projection(today, (end - today).days, _baseline(session, ctx, a, today, end))
        for a in accounts
    }
    confirmed = [
        s
        for s in SeriesRepository(session, ctx.tenant_id).every("confirmed")
        if s.account_id in by_id
    ]
    # Far enough for the budget periods the horizon touches (a year at most).
    booked = MovementRepository(session, ctx.tenant_id).movements(today + _DAY)
    events = _series_events(confirmed, today, add_months(end, 12), booked)
    for series, on in events:
        account = by_id[series.account_id]
        projections[account.id].add(
            on, _natural(account, series.amount), float(series.amount_spread) ** 2
        )
    budgets = _apply_budgets(session, ctx, today, end, accounts, projections, events)
    _residuals(session, ctx, accounts, projections, confirmed, today)
    base = tenancy_service.base_currency(session, ctx.tenant_id)
    return _response(today, end, months, base, accounts, projections, len(confirmed), budgets)


def _natural(account: Account, raw: int) -> int:
    return raw if account.type == "asset" else -raw


def _baseline(
    session: Session, ctx: TenantContext, account: Account, today: date, end: date
) -> list[int]:
    history = balance_reads.balance_history(
        session, ctx, account.id, start=today, end=end, interval="day"
    )
    return [Money.parse(p.balance, account.currency).minor_units for p in history.points]


def _series_events(
    series: list[RecurringSeries], today: date, until: date, booked: list[Movement]
) -> list[Event]:
    """Each series' payment dates after today, less those already booked ahead: a
    future-dated transaction of the same payee, account and amount band within the
    tolerance of the date is the payment itself (the ledger's balance has it)."""
    events: list[Event] = []
    for s in series:
        cadence = CADENCES[s.cadence]
        ahead = [
            m
            for m in booked
            if m.account_id == s.account_id
            and clean_payee(m.payee) == s.payee_key
            and (m.amount > 0) == (s.amount > 0)
            and in_band(s.amount, m.amount)
        ]
        for on in schedule(cadence, s.next_on, s.anchor_day, today, until):
            match = next((m for m in ahead if abs((m.on - on).days) <= cadence.tolerance), None)
            if match is None:
                events.append((s, on))
            else:
                ahead.remove(match)
    return events


def _residuals(
    session: Session,
    ctx: TenantContext,
    accounts: list[Account],
    projections: dict[uuid.UUID, Projection],
    confirmed: list[RecurringSeries],
    today: date,
) -> None:
    first = today - timedelta(days=RESIDUAL_DAYS)
    known: dict[tuple[uuid.UUID, date], int] = {}
    series_account = {s.id: s.account_id for s in confirmed}
    repo = SeriesRepository(session, ctx.tenant_id)
    for occurrence in repo.occurrences_between(series_account, first + _DAY, today):
        key = (series_account[occurrence.series_id], occurrence.occurred_on)
        known[key] = known.get(key, 0) + occurrence.amount
    for account in accounts:
        balances = _baseline(session, ctx, account, first, today)
        deltas = [
            balances[i]
            - balances[i - 1]
            - _natural(account, known.get((account.id, first + i * _DAY), 0))
            for i in range(1, len(balances))
        ]
        projections[account.id].daily_variance = residual_variance(deltas)


def _periods(length: str, first: date, last: date) -> list[tuple[date, date]]:
    """Calendar months, quarters or years overlapping first..last."""
    months = _MONTHS[length]
    start = date(first.year, (first.month - 1) // months * months + 1, 1)
    periods = []
    while start <= last:
        following = add_months(start, months)
        periods.append((start, following - _DAY))
        start = following
    return periods


def _apply_budgets(
    session: Session,
    ctx: TenantContext,
    today: date,
    end: date,
    accounts: list[Account],
    projections: dict[uuid.UUID, Projection],
    events: list[Event],
) -> int:
    goals, _ = goals_service.list_goals(session, ctx, kind="spending_limit", limit=1000)
    if not goals:
        return 0
    children: dict[uuid.UUID, list[uuid.UUID]] = {}
    for category in ledger_service.list_accounts(
        session, ctx, types=("expense",), include_archived=True
    ):
        if category.parent_id is not None:
            children.setdefault(category.parent_id, []).append(category.id)
    payers = _payer_counts(session, ctx, today)
    spent: dict[date, dict[uuid.UUID, int]] = {}
    used = 0
    for goal in sorted(goals, key=lambda g: (g.name, str(g.id))):
        assert goal.period is not None
        subtree = _subtree(goal.account_id, children)
        payer = _payer(goal.currency, subtree, payers, accounts)
        if payer is None:
            continue
        used += 1
        for period in _periods(goal.period, today + _DAY, end):
            if period[1] < goal.starts_on:
                continue
            first = max(period[0], today + _DAY)
            already = 0
            if period[0] <= today:
                if period[0] not in spent:
                    spent[period[0]] = _spent(session, ctx, period[0], today)
                already = spent[period[0]].get(goal.id, 0)
            recurring = sum(
                -s.amount
                for s, on in events
                if s.category_id in subtree
                and s.currency == goal.currency
                and first <= on <= period[1]
            )
            remaining = max(goal.amount - already - recurring, 0)
            for day, share in spread(remaining, first, period[1]):
                projections[payer.id].add(day, _natural(payer, -share))
    return used


def _spent(session: Session, ctx: TenantContext, first: date, today: date) -> dict[uuid.UUID, int]:
    lines = goals_service.budget_vs_actual(session, ctx, date_from=first, date_to=today)
    return {line.goal_id: Money.parse(line.actual, line.currency).minor_units for line in lines}


def _subtree(root: uuid.UUID, children: dict[uuid.UUID, list[uuid.UUID]]) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node not in found:
            found.add(node)
            stack.extend(children.get(node, []))
    return found


def _payer_counts(
    session: Session, ctx: TenantContext, today: date
) -> dict[uuid.UUID, Counter[uuid.UUID]]:
    counts: dict[uuid.UUID, Counter[uuid.UUID]] = {}
    for movement in MovementRepository(session, ctx.tenant_id).movements(
        today - timedelta(days=PAYER_DAYS)
    ):
        if movement.category_id is not None and movement.on <= today:
            counts.setdefault(movement.category_id, Counter())[movement.account_id] += 1
    return counts


def _payer(
    currency: str,
    subtree: set[uuid.UUID],
    payers: dict[uuid.UUID, Counter[uuid.UUID]],
    accounts: list[Account],
) -> Account | None:
    eligible = {a.id: a for a in accounts if a.currency == currency}
    tally: Counter[uuid.UUID] = Counter()
    for category in subtree:
        tally.update(payers.get(category, Counter()))
    ranked = sorted(
        ((n, a) for a, n in tally.items() if a in eligible), key=lambda p: (-p[0], str(p[1]))
    )
    if ranked:
        return eligible[ranked[0][1]]
    ordered = sorted(eligible.values(), key=lambda a: (a.display_order, a.name, str(a.id)))
    checking = [a for a in ordered if a.type == "asset" and a.subtype == "checking"]
    assets = [a for a in ordered if a.type == "asset"]
    chosen = checking or assets
    return chosen[0] if chosen else None


def _points(
    start: date, balances: list[int], variances: list[float], currency: str
) -> list[ForecastPoint]:
    def money(units: int) -> str:
        return Money.from_minor(units, currency).to_json()

    points = []
    for day, (balance, variance) in enumerate(zip(balances, variances, strict=True)):
        width = half_width(variance)
        points.append(
            ForecastPoint(
                date=start + timedelta(days=day),
                balance=money(balance),
                low=money(balance - width),
                high=money(balance + width),
            )
        )
    return points


def _warning(account: Account, start: date, balances: list[int]) -> ForecastWarning | None:
    """The first day an asset goes below zero, or a card goes over its credit limit."""
    limit = account.credit_limit
    asset = account.type == "asset"
    for day, balance in enumerate(balances):
        if (balance < 0) if asset else (limit is not None and balance > limit):
            on = start + timedelta(days=day)
            text = Money.from_minor(balance, account.currency).to_json()
            what = "below zero" if asset else "over its credit limit"
            return ForecastWarning(
                kind="overdraft" if asset else "over_credit_limit",
                account_id=account.id,
                account_name=account.name,
                date=on,
                balance=text,
                message=f"{account.name} is projected {what} on {on}: {text} {account.currency}",
            )
    return None


def _response(
    today: date,
    end: date,
    months: int,
    base: str,
    accounts: list[Account],
    projections: dict[uuid.UUID, Projection],
    series_used: int,
    budgets_used: int,
) -> Forecast:
    days = (end - today).days + 1
    total, total_variance = [0] * days, [0.0] * days
    rows, warnings, excluded = [], [], set()
    for account in accounts:
        projection = projections[account.id]
        balances, variances = projection.balances(), projection.variances()
        if account.currency == base:
            sign = 1 if account.type == "asset" else -1
            total = [t + sign * b for t, b in zip(total, balances, strict=True)]
            total_variance = [t + v for t, v in zip(total_variance, variances, strict=True)]
        else:
            excluded.add(account.currency)
        limit = account.credit_limit
        rows.append(
            AccountForecast(
                account_id=account.id,
                name=account.name,
                type=account.type,
                subtype=account.subtype,
                currency=account.currency,
                credit_limit=None
                if limit is None
                else Money.from_minor(limit, account.currency).to_json(),
                points=_points(today, balances, variances, account.currency),
            )
        )
        warning = _warning(account, today, balances)
        if warning is not None:
            warnings.append(warning)
    return Forecast(
        start=today,
        end=end,
        months=months,
        base_currency=base,
        accounts=rows,
        total=TotalForecast(currency=base, points=_points(today, total, total_variance, base)),
        excluded_currencies=sorted(excluded),
        warnings=sorted(warnings, key=lambda w: (w.date, w.account_name)),
        series_used=series_used,
        budgets_used=budgets_used,
    )
