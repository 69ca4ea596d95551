"""The transactions table's state and contents: the query parameters (filters, sort,
page) as one `ListQuery`, the rows of a page, and the balances strip.

Presentation only: the filters end in `transactions_query` (the list's filters and the
search syntax), the balances in `ledger.balances`.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from fiscus.core.context import TenantContext
from fiscus.core.errors import DomainError
from fiscus.ledger import balances
from fiscus.ledger import transactions_query as query_service
from fiscus.ledger.postings import BALANCE_SHEET
from fiscus.ledger.repository_transactions import SORTS as REPOSITORY_SORTS
from fiscus.ledger.repository_transactions import TransactionFilters
from fiscus.ledger.views_common import Chart, money_text, parse_uuid
from fiscus.ledger.views_txn_forms import SIMPLE_TYPES, STATUSES, present
from fiscus.tenancy import service as tenancy_service
from fiscus.tenancy.permissions import Permission, allows

PAGE_SIZE = 50
SEARCH_HINT = "e.g. payee:woolworths amount>50 date:2026-07"
SORTS = {"date": "Date", "description": "Description", "amount": "Amount"}
TWO_WAY = ("date", "amount")  # description sorts A to Z only
LIST_KEYS = (
    "account_id",
    "category_id",
    "type",
    "status",
    "date_from",
    "date_to",
    "q",
    "tag",
    "deleted",
)


@dataclass(frozen=True, slots=True)
class ListQuery:
    """The table's state as query parameters: filters, sort and page."""

    values: dict[str, str]
    sort: str = "-date"
    page: int = 1

    @classmethod
    def read(cls, params: dict[str, str]) -> ListQuery:
        values = {key: params.get(key, "").strip()[:100] for key in LIST_KEYS}
        sort = params.get("sort", "-date")
        if sort not in REPOSITORY_SORTS:
            sort = "-date"
        page = params.get("page", "1")
        return cls(values, sort, int(page) if page.isdigit() and 0 < int(page) < 10**6 else 1)

    def url(self, **changes: Any) -> str:
        state = replace(self, **changes)
        params = {k: v for k, v in state.values.items() if v}
        if state.sort != "-date":
            params["sort"] = state.sort
        if state.page != 1:
            params["page"] = str(state.page)
        return "/transactions" + (f"?{urlencode(params)}" if params else "")

    def sort_url(self, column: str) -> str:
        """Ascending first; a second click on a sorted date or amount column reverses it."""
        flip = column in TWO_WAY and self.sort == column
        return self.url(sort=f"-{column}" if flip else column, page=1)

    def filters(self, session: Session, ctx: TenantContext) -> TransactionFilters:
        """The search box (the search syntax of `ledger.search`) and the filter fields."""
        v = self.values
        deleted = v["deleted"] == "1"
        base = (
            query_service.filters_for(session, ctx, v["q"], sort=self.sort, deleted=deleted)
            if v["q"]
            else TransactionFilters(sort=self.sort, deleted=deleted)
        )
        return dataclasses.replace(
            base,
            account_id=parse_uuid(v["account_id"]),
            kind=v["type"] if v["type"] in (*SIMPLE_TYPES, "journal") else None,
            status=v["status"] if v["status"] in STATUSES else None,
            tag=v["tag"] or None,
            date_from=_date(v["date_from"]) or base.date_from,
            date_to=_date(v["date_to"]) or base.date_to,
        )


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def table_context(
    session: Session,
    ctx: TenantContext,
    chart: Chart,
    query: ListQuery,
    *,
    select_all: bool = False,
) -> dict[str, Any]:
    try:
        filters = query_service.list_filters(
            session,
            ctx,
            query.filters(session, ctx),
            category_id=parse_uuid(query.values["category_id"]),
        )
        window = query_service.list_window_rows(
            session, ctx, filters, page=query.page, limit=PAGE_SIZE
        )
        rows, total, has_more = window.items, window.total, window.has_more
        search_error = ""
    except DomainError as exc:  # a search the syntax cannot read
        rows, total, has_more, search_error = [], 0, False, exc.detail
    focus = parse_uuid(query.values["account_id"])
    first = (query.page - 1) * PAGE_SIZE + 1
    return {
        "query": query,
        "rows": [present(t, p, chart, focus) for t, p in rows],
        "total": total,  # None: not counted (a filter only a visit of every match counts)
        "pages": None if total is None else max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE),
        "has_more": has_more,
        "shown": (first, first + len(rows) - 1),
        "sorts": SORTS,
        "chart": chart,
        "types": {**SIMPLE_TYPES, "journal": "Split"},
        "statuses": STATUSES,
        "can_write": allows(ctx.role, Permission.DATA_WRITE),
        "search_hint": SEARCH_HINT,
        "search_error": search_error,
        "select_all": select_all,
    }


@dataclass(frozen=True, slots=True)
class BalanceLine:
    id: uuid.UUID
    name: str
    type: str
    balance: str
    currency: str


def balances_of(session: Session, ctx: TenantContext, chart: Chart) -> list[BalanceLine]:
    """Each live balance-sheet account's balance today (natural sign), for the sidebar."""
    today = tenancy_service.today(session, ctx.tenant_id)
    raw = balances.raw_balances_at(session, ctx.tenant_id, today)
    lines = []
    for account in chart.by_id.values():
        if account.type not in BALANCE_SHEET or account.is_archived or account.is_hidden:
            continue
        money = balances.natural(account, raw.get(account.id, 0))
        lines.append(
            BalanceLine(account.id, account.name, account.type, money_text(money), money.currency)
        )
    return lines
