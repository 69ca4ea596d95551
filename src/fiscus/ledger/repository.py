"""Queries of the chart of accounts. Tenant-scoped; never commits."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy import RowMapping, Select, func, select

from fiscus.db.repository import TenantRepository
from fiscus.ledger.models import Account

_ACCOUNTS = Account.__table__.c
Q = TypeVar("Q", bound=Select[Any])


def _listing(
    query: Q, types: tuple[str, ...] | None, include_archived: bool, include_hidden: bool
) -> Q:
    if types:
        query = query.where(_ACCOUNTS.type.in_(types))
    if not include_archived:
        query = query.where(_ACCOUNTS.is_archived.is_(False))
    if not include_hidden:
        query = query.where(_ACCOUNTS.is_hidden.is_(False))
    c = _ACCOUNTS
    return query.order_by(c.type, c.display_order, c.code, c.name, c.id)


class AccountRepository(TenantRepository):
    def get(self, account_id: uuid.UUID) -> Account | None:
        return self.session.scalars(self._select(Account).where(Account.id == account_id)).first()

    def listed(
        self, *, types: tuple[str, ...] | None, include_archived: bool, include_hidden: bool
    ) -> list[Account]:
        query = _listing(self._select(Account), types, include_archived, include_hidden)
        return list(self.session.scalars(query))

    def listed_rows(
        self, *, types: tuple[str, ...] | None, include_archived: bool, include_hidden: bool
    ) -> list[RowMapping]:
        """The accounts `listed` returns, as column rows (no ORM objects to hydrate)."""
        query = select(*_ACCOUNTS).where(_ACCOUNTS.tenant_id == self.tenant_id)
        query = _listing(query, types, include_archived, include_hidden)
        return list(self.session.connection().execute(query).mappings())

    def by_code(self, code: str) -> Account | None:
        return self.session.scalars(self._select(Account).where(Account.code == code)).first()

    def sibling_named(self, name: str, type_: str, parent_id: uuid.UUID | None) -> Account | None:
        query = self._select(Account).where(
            func.lower(Account.name) == name.lower(),
            Account.type == type_,
            Account.parent_id.is_(None) if parent_id is None else Account.parent_id == parent_id,
        )
        return self.session.scalars(query).first()

    def ids_named(self, name: str, types: tuple[str, ...] | None = None) -> list[uuid.UUID]:
        """Accounts whose name is `name`, ignoring case (siblings are unique; cousins not)."""
        query = select(Account.id).where(
            Account.tenant_id == self.tenant_id, func.lower(Account.name) == name.lower()
        )
        if types:
            query = query.where(Account.type.in_(types))
        return list(self.session.scalars(query))

    def children(self, account_id: uuid.UUID) -> list[Account]:
        query = self._select(Account).where(Account.parent_id == account_id)
        return list(self.session.scalars(query.order_by(Account.display_order, Account.name)))

    def child_count(self, account_id: uuid.UUID) -> int:
        return self._count(self._select(Account).where(Account.parent_id == account_id))

    def parent_map(self) -> dict[uuid.UUID, uuid.UUID | None]:
        rows = self.session.execute(
            select(Account.id, Account.parent_id).where(Account.tenant_id == self.tenant_id)
        )
        return {row.id: row.parent_id for row in rows}

    def count_of_types(self, types: tuple[str, ...]) -> int:
        return self._count(self._select(Account).where(Account.type.in_(types)))
