"""Books that know their owner, for `bench_import.py --trained`: categories for the bench
file's merchants, rules for some of them, and a categoriser trained on a year of earlier
hand-categorised lines, so that an import's rules and categoriser do real work.

The merchants are those of `bench_import.MERCHANTS`; eight of the twenty get a
`payee contains` rule (about 40 % of the file's lines then match a rule), the categoriser
learns 3,000 lines of 2023 with their categories (every merchant, other card numbers)
and is caught up before the import, so the import itself learns nothing.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from sqlalchemy.orm import Session, sessionmaker

from fiscus.core.context import TenantContext
from fiscus.db.session import bind_scope, unit_of_work
from fiscus.insights import learning
from fiscus.ledger import service as ledger
from fiscus.ledger.schemas import AccountCreate
from fiscus.rules import service as rules_service
from fiscus.rules.schemas import RuleCreate

CATEGORY_OF = {
    "WOOLWORTHS": "Groceries",
    "COLES": "Groceries",
    "ALDI": "Groceries",
    "BP": "Fuel",
    "SHELL": "Fuel",
    "UBER *TRIP": "Transport",
    "OPAL TRAVEL": "Transport",
    "NETFLIX.COM": "Entertainment",
    "BUNNINGS": "Home",
    "KMART": "Shopping",
    "JB HI-FI": "Shopping",
    "OFFICEWORKS": "Shopping",
    "CHEMIST WAREHOUSE": "Health",
    "DAN MURPHYS": "Alcohol",
    "7-ELEVEN": "Eating out",
    "MCDONALDS": "Eating out",
    "GUZMAN Y GOMEZ": "Eating out",
    "TELSTRA": "Utilities",
    "AGL ENERGY": "Utilities",
    "SYDNEY WATER": "Utilities",
}
RULED = ("woolworths", "coles", "aldi", "shell", "telstra", "agl energy", "netflix", "kmart")
EXAMPLES = 3_000


def prepare(factory: sessionmaker[Session], ctx: TenantContext, account: uuid.UUID) -> None:
    with unit_of_work(factory) as session:
        bind_scope(session, tenant_id=ctx.tenant_id, user_id=ctx.user_id)
        ids = _categories(session, ctx)
        _rules(session, ctx, ids)
        _examples(session, ctx, account, ids)
    with unit_of_work(factory) as session:  # learned before the import, not during it
        bind_scope(session, tenant_id=ctx.tenant_id, user_id=ctx.user_id)
        learning.catch_up(session, ctx.tenant_id)


def _categories(session: Session, ctx: TenantContext) -> dict[str, uuid.UUID]:
    ids = {}
    for name in sorted({*CATEGORY_OF.values(), "Salary"}):
        kind = "income" if name == "Salary" else "expense"
        created = ledger.create_account(
            session, ctx, AccountCreate(name=f"Bench {name.lower()}", type=kind)
        )
        ids[name] = created.id
    return ids


def _rules(session: Session, ctx: TenantContext, ids: dict[str, uuid.UUID]) -> None:
    for word in RULED:
        merchant = next(m for m in CATEGORY_OF if word in m.lower())
        rules_service.create_rule(
            session,
            ctx,
            RuleCreate.model_validate(
                {
                    "name": f"{word} is {CATEGORY_OF[merchant].lower()}",
                    "conditions": {"payee": {"op": "contains", "value": word}, "sign": "out"},
                    "actions": {"set_category_id": str(ids[CATEGORY_OF[merchant]])},
                }
            ),
        )


def _examples(
    session: Session, ctx: TenantContext, account: uuid.UUID, ids: dict[str, uuid.UUID]
) -> None:
    from bench.bench_import import MERCHANTS  # the bench imports this module: not at the top

    rng = random.Random(7)
    entries = []
    for _ in range(EXAMPLES):
        day = date(2023, 1, 1) + timedelta(days=rng.randrange(365))
        if rng.random() < 0.04:
            text, cents, category = "SALARY ACME PTY LTD", rng.randint(150_000, 650_000), "Salary"
        else:
            merchant = rng.choice(MERCHANTS)
            name = next(m for m in CATEGORY_OF if merchant.startswith(m + " "))
            card = f"CARD {rng.randint(1000, 9999)}"
            text, cents = f"EFTPOS {merchant} {card} AU", -rng.randint(200, 45_000)
            category = CATEGORY_OF[name]
        entries.append(
            ledger.BulkEntry(
                transaction_id=uuid.uuid4(),
                occurred_on=day,
                description=text,
                payee=None,
                amount=cents,
                category_id=ids[category],
            )
        )
    ledger.bulk_post(session, ctx, account_id=account, entries=entries)
