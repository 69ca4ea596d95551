"""The `Uncategorised income` and `Uncategorised expense` categories.

An imported bank line knows its account and its sign but not what it was for: it books
against one of these two, by sign, until rules, the categoriser or the user move it.
They are ordinary top-level categories, created on first need and audited like any
other, recognised by their code (`UNCAT-INC` / `UNCAT-EXP`, with `-XXX` appended for an
account currency other than the tenant's base currency, since a simple entry's two legs
share one currency). A user may rename them; the code is what marks them. Rules and the
categoriser treat a transaction posted to one of them as uncategorised.
"""

from __future__ import annotations

import uuid
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.ledger import service
from fiscus.ledger.models import Account
from fiscus.ledger.repository import AccountRepository
from fiscus.ledger.schemas import AccountCreate, AccountUpdate
from fiscus.ledger.uncategorised_known import CODE_PREFIX
from fiscus.tenancy import service as tenancy_service

Kind = Literal["income", "expense"]
_CODES: dict[str, str] = {"income": "UNCAT-INC", "expense": "UNCAT-EXP"}
_NAMES: dict[str, str] = {"income": "Uncategorised income", "expense": "Uncategorised expense"}


def uncategorised_category(
    session: Session, ctx: TenantContext, *, kind: Kind, currency: str | None = None
) -> Account:
    """The tenant's uncategorised category of `kind` in `currency` (default: the base
    currency), created (audited) the first time it is needed."""
    base = tenancy_service.base_currency(session, ctx.tenant_id)
    currency = currency or base
    suffix = "" if currency == base else f"-{currency}"
    code = _CODES[kind] + suffix
    name = _NAMES[kind] + ("" if currency == base else f" ({currency})")
    repo = AccountRepository(session, ctx.tenant_id)
    found = repo.by_code(code)
    if found is not None:
        return found
    namesake = repo.sibling_named(name, kind, None)
    if namesake is not None and namesake.code is None and namesake.currency == currency:
        # A category of that name the user made (or a template did): adopt it.
        return service.update_account(session, ctx, namesake.id, AccountUpdate(code=code))
    if namesake is not None:
        name = f"{name} (import)"
    return service.create_account(
        session, ctx, AccountCreate(name=name, type=kind, code=code, currency=currency)
    )


def uncategorised_ids(session: Session, ctx: TenantContext) -> frozenset[uuid.UUID]:
    """Every uncategorised category of the tenant (one per kind and currency in use)."""
    query = select(Account.id).where(
        Account.tenant_id == ctx.tenant_id,
        Account.type.in_(("income", "expense")),
        Account.code.like(f"{CODE_PREFIX}%"),
    )
    return frozenset(session.scalars(query))


def is_uncategorised(session: Session, ctx: TenantContext, category_id: uuid.UUID) -> bool:
    return category_id in uncategorised_ids(session, ctx)
