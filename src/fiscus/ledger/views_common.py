"""What the transactions and categories pages share: permission checks, the chart of
accounts as options for selects, money as people read it, and small HTMX responses.

Presentation only: every rule lives in the ledger services these pages call.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from fiscus.core.context import TenantContext
from fiscus.core.money import Money
from fiscus.ledger import service
from fiscus.ledger.models import Account
from fiscus.ledger.postings import BALANCE_SHEET, CATEGORY_TYPES
from fiscus.web import csrf, flash, render
from fiscus.web.deps import ensure as ensure  # the ledger pages' one import
from fiscus.web.render import wants_fragment as wants_fragment

PAGE_DEPENDENCIES = [Depends(csrf.protect)]  # every state-changing page request is checked
CHANGED = "txn-changed"  # the event the transactions table and the balances reload on

TYPE_LABELS = {
    "asset": "Assets",
    "liability": "Liabilities",
    "equity": "Equity",
    "income": "Income",
    "expense": "Expenses",
}


def money_text(money: Money) -> str:
    """`-1,234.50`: thousands separated, exactly the currency's places."""
    return format(money.amount, ",f")


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    depth: int = 0


@dataclass(frozen=True, slots=True)
class Chart:
    """The tenant's chart as the pages need it: names by id and options for selects."""

    by_id: dict[uuid.UUID, Account]
    accounts: list[Option]  # balance-sheet accounts one can post to
    income: list[Option]  # categories, depth-first, indented by depth
    expense: list[Option]

    def name(self, account_id: uuid.UUID) -> str:
        account = self.by_id.get(account_id)
        return account.name if account else "(unknown account)"

    def kind(self, account_id: uuid.UUID) -> str:
        account = self.by_id.get(account_id)
        return account.type if account else ""

    @property
    def groups(self) -> list[tuple[str, list[Option]]]:
        """Every postable account grouped by kind (the split form's account select)."""
        return [
            ("Accounts", self.accounts),
            (TYPE_LABELS["expense"], self.expense),
            (TYPE_LABELS["income"], self.income),
        ]

    @property
    def categories(self) -> list[tuple[str, list[Option]]]:
        return [(TYPE_LABELS["expense"], self.expense), (TYPE_LABELS["income"], self.income)]


def load_chart(session: Session, ctx: TenantContext) -> Chart:
    everything = service.list_accounts(session, ctx, include_archived=True)
    live = [a for a in everything if not a.is_archived]
    accounts = [
        Option(str(a.id), f"{a.name} ({a.currency})") for a in live if a.type in BALANCE_SHEET
    ]
    by_type = {t: [a for a in live if a.type == t] for t in CATEGORY_TYPES}
    return Chart(
        by_id={a.id: a for a in everything},
        accounts=accounts,
        income=_tree_options(by_type["income"]),
        expense=_tree_options(by_type["expense"]),
    )


def _tree_options(accounts: list[Account]) -> list[Option]:
    """Depth-first, children under their parent, in the order the repository gives."""
    ids = {a.id for a in accounts}
    children: dict[uuid.UUID | None, list[Account]] = {}
    for account in accounts:
        parent = account.parent_id if account.parent_id in ids else None
        children.setdefault(parent, []).append(account)
    options: list[Option] = []

    def walk(parent: uuid.UUID | None, depth: int) -> None:
        for account in children.get(parent, []):
            prefix = "\u2003" * depth  # em spaces: indentation that survives in <option>
            options.append(Option(str(account.id), prefix + account.name, depth))
            walk(account.id, depth + 1)

    walk(None, 0)
    return options


def parse_uuid(text: str | None) -> uuid.UUID | None:
    """A query or form value as an id, or None when blank or malformed."""
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None


def toast(
    request: Request, level: str, text: str, *, trigger: str | None = None, status: int = 200
) -> Response:
    """An HTMX answer that adds a toast and (optionally) fires an event other parts of
    the page listen for, e.g. the transactions table reloading itself."""
    context: dict[str, Any] = {"level": level, "text": text}
    response = render.render(request, "_toast.html", context, status_code=status, block="toast")
    response.headers["HX-Retarget"] = "#toasts"
    response.headers["HX-Reswap"] = "beforeend"
    if trigger:
        response.headers["HX-Trigger"] = trigger
    return response


def changed(request: Request, message: str, fragment: Callable[[], Response]) -> Response:
    """The answer to a change that worked: for HTMX the re-rendered `fragment`, firing the
    event the table and balances reload on; for a plain form post, a flash message and
    back to the transactions page."""
    if not wants_fragment(request):
        flash.push(request, "success", message)
        return render.redirect(request, "/transactions")
    response = fragment()
    response.headers["HX-Trigger"] = CHANGED
    return response
