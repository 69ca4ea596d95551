"""Load the demo story into a new user's tenant, through the same services as the API."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from fiscus.auth import service as auth_service
from fiscus.config import Settings
from fiscus.core.context import Origin, TenantContext
from fiscus.core.money import Money
from fiscus.db.session import bind_scope
from fiscus.demo.scenario import ACCOUNTS, BUSINESS_CATEGORIES, OPENING_EQUITY, Entry, entries
from fiscus.goals import service as goals
from fiscus.goals.schemas import GoalCreate
from fiscus.ledger import reconcile, transactions
from fiscus.ledger import service as ledger
from fiscus.ledger.schemas import AccountCreate
from fiscus.ledger.schemas_balances import ReconcileRequest
from fiscus.ledger.schemas_transactions import (
    JournalTransactionCreate,
    PostingIn,
    SimpleTransactionCreate,
)

ORIGIN = Origin(user_agent="fiscus-demo")
PENDING_DAYS = 5  # the last few days' entries have not cleared the bank yet


@dataclass(frozen=True, slots=True)
class DemoTenant:
    user_id: uuid.UUID
    tenant_id: uuid.UUID
    transactions: int
    start: date
    end: date


def create_demo(
    session: Session,
    settings: Settings,
    *,
    email: str,
    password: str,
    years: int,
    seed: int,
    today: date,
) -> DemoTenant:
    """A new user owning a tenant with `years` of books ending `today` (one unit of work)."""
    issued = auth_service.register(
        session, settings, email=email, password=password, name="Demo household", origin=ORIGIN
    )
    tenant = issued.access.tenant
    ctx = TenantContext(tenant.id, issued.user.id, "owner", ORIGIN)
    bind_scope(session, tenant_id=tenant.id, user_id=issued.user.id)
    start = _years_after(today, -years) + timedelta(days=1)
    ids = _chart(session, ctx, start)
    _opening(session, ctx, ids, start)
    _goals(session, ctx, ids, start)
    story = entries(start, today, seed)
    for entry in story:
        _post(session, ctx, ids, entry, cleared=entry.on <= today - timedelta(days=PENDING_DAYS))
    _reconcile_last_statement(session, ctx, ids["everyday"], today)
    return DemoTenant(issued.user.id, tenant.id, len(story) + 1, start, today)


def _chart(session: Session, ctx: TenantContext, start: date) -> dict[str, uuid.UUID]:
    """Accounts by key and categories by name."""
    ledger.apply_template(session, ctx, "household")
    ids: dict[str, uuid.UUID] = {}
    for key, (name, type_, subtype, _) in ACCOUNTS.items():
        data = AccountCreate(name=name, type=type_, subtype=subtype, opened_on=start)
        ids[key] = ledger.create_account(session, ctx, data).id
    equity = AccountCreate(name=OPENING_EQUITY, type="equity")
    ids[OPENING_EQUITY] = ledger.create_account(session, ctx, equity).id
    for account in ledger.list_accounts(session, ctx, types=("income", "expense")):
        ids[account.name] = account.id
    for type_, name, label, parent in BUSINESS_CATEGORIES:
        data = AccountCreate(
            name=name,
            type=type_,
            tax_label=label,
            parent_id=ids[parent] if parent else None,
        )
        ids[name] = ledger.create_account(session, ctx, data).id
    return ids


def _opening(session: Session, ctx: TenantContext, ids: dict[str, uuid.UUID], on: date) -> None:
    legs = [
        (key, cents if type_ == "asset" else -cents)
        for key, (_, type_, _, cents) in ACCOUNTS.items()
    ]
    legs.append((OPENING_EQUITY, -sum(cents for _, cents in legs)))
    opening = Entry(on, "Opening balances", "journal", legs=tuple(legs))
    _post(session, ctx, ids, opening, cleared=True)


# (kind, name, account key or category name, amount, period, target years after the start)
GOALS: tuple[tuple[str, str, str, str, str | None, int | None], ...] = (
    ("spending_limit", "Groceries budget", "Groceries", "900.00", "monthly", None),
    ("spending_limit", "Eating out budget", "Eating out", "250.00", "monthly", None),
    ("spending_limit", "Transport budget", "Transport", "1500.00", "quarterly", None),
    ("savings_target", "Holiday fund", "savings", "25000.00", None, 3),
    ("debt_payoff", "Pay off the car", "car_loan", "18000.00", None, 4),
)


def _goals(session: Session, ctx: TenantContext, ids: dict[str, uuid.UUID], start: date) -> None:
    """Budgets set up at the start, so their alerts are raised as the story is posted."""
    for kind, name, key, amount, period, years in GOALS:
        target = None if years is None else _years_after(start, years)
        data = {"kind": kind, "name": name, "account_id": ids[key], "amount": amount}
        data |= {"period": period, "starts_on": start, "target_date": target}
        goals.create_goal(session, ctx, GoalCreate.model_validate(data))


def _reconcile_last_statement(
    session: Session, ctx: TenantContext, account_id: uuid.UUID, today: date
) -> None:
    """The everyday account agrees with its last month-end statement, and is reconciled."""
    month_end = today.replace(day=1) - timedelta(days=1)
    account = ledger.get_account(session, ctx, account_id)
    statement = reconcile.cleared_balance(session, ctx, account, month_end)
    request = ReconcileRequest(date=month_end, statement_balance=statement.to_json())
    reconcile.reconcile(session, ctx, account_id, request)


def _post(
    session: Session,
    ctx: TenantContext,
    ids: dict[str, uuid.UUID],
    entry: Entry,
    *,
    cleared: bool,
) -> None:
    common = {
        "date": entry.on,
        "description": entry.description,
        "payee": entry.payee,
        "tags": list(entry.tags),
        "status": "cleared" if cleared else "pending",
    }
    if entry.kind == "journal":
        postings = [
            PostingIn(account_id=ids[key], amount=_amount(cents)) for key, cents in entry.legs
        ]
        transactions.create_journal(
            session, ctx, JournalTransactionCreate(**common, postings=postings), key=None
        )
        return
    counter = {
        "transfer_account_id" if entry.kind == "transfer" else "category_id": ids[entry.counter]
    }
    data = SimpleTransactionCreate(
        **common,
        type=entry.kind,
        amount=_amount(entry.cents),
        account_id=ids[entry.account],
        **counter,
    )
    transactions.create_simple(session, ctx, data, key=None)


def _years_after(day: date, years: int) -> date:
    """The same day `years` later (or earlier); 29 February becomes the 28th."""
    if day.month == 2 and day.day == 29:
        day = day.replace(day=28)
    return day.replace(year=day.year + years)


def _amount(cents: int) -> str:
    return Money.from_minor(cents, "AUD").to_json()
