"""Queries of the chart of accounts. Tenant-scoped; never commits."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, Uuid, bindparam, func, literal, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by

from fiscus.db.pipelined import Read
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


def listed_rows_read(
    tenant_id: uuid.UUID,
    types: tuple[str, ...] | None,
    include_archived: bool,
    include_hidden: bool,
) -> Read:
    """The accounts `listed` returns, as one read of column rows to send with others
    (`db/pipelined.py`): no ORM objects to hydrate."""
    statement = _listed_rows_statement(types, include_archived, include_hidden)
    return Read(statement, {"tenant_id": tenant_id})


def listed_rows_of(rows: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
    """The rows of `listed_rows_read` keyed by column."""
    return [dict(zip(_ACCOUNT_KEYS, row, strict=True)) for row in rows]


_ACCOUNT_KEYS = tuple(_ACCOUNTS.keys())


def accounts_version_read(tenant_id: uuid.UUID) -> Read:
    """PostgreSQL: one value that changes whenever any of the tenant's accounts does, a
    digest of every row's id and `xmin` (the transaction that wrote its version), for a
    body rendered from them to be served again while it is current (`web/rendered.py`)."""
    return Read(_ACCOUNTS_VERSION, {"tenant_id": tenant_id})


_ACCOUNTS_VERSION = select(
    func.coalesce(
        func.md5(
            func.string_agg(
                func.concat(_ACCOUNTS.id, ":", literal_column("account.xmin")),
                aggregate_order_by(literal(","), _ACCOUNTS.id),
            )
        ),
        "",
    )
).where(_ACCOUNTS.tenant_id == bindparam("tenant_id", type_=Uuid()))


@functools.lru_cache(maxsize=128)
def _listed_rows_statement(
    types: tuple[str, ...] | None, include_archived: bool, include_hidden: bool
) -> Select[Any]:
    # One statement per filter (a few dozen at most: the types are the five account
    # types), built once so that its SQL and its cache key are too. The types are
    # parameters of their own, not an expanding IN, so the SQL is final when compiled.
    query = select(*_ACCOUNTS).where(_ACCOUNTS.tenant_id == bindparam("tenant_id", type_=Uuid()))
    if types:
        query = query.where(_ACCOUNTS.type.in_([literal(t) for t in types]))
    return _listing(query, None, include_archived, include_hidden)
