"""The base of every tenant-scoped repository.

A repository is built with the tenant it may see; every query it issues starts from
`self._select(Model)`, which already filters by `tenant_id`. A row of another tenant is
therefore indistinguishable from a row that does not exist.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from fiscus.core.errors import NotFound

T = TypeVar("T")


class TenantRepository:
    def __init__(self, session: Session, tenant_id: uuid.UUID) -> None:
        self.session = session
        self.tenant_id = tenant_id

    def _select(self, model: type[T]) -> Select[T]:
        column: Any = model.tenant_id  # type: ignore[attr-defined]
        return select(model).where(column == self.tenant_id)

    def _get(self, model: type[T], row_id: uuid.UUID, error: type[NotFound] = NotFound) -> T:
        column: Any = model.id  # type: ignore[attr-defined]
        row = self.session.scalars(self._select(model).where(column == row_id)).first()
        if row is None:
            raise error()
        return row

    def _count(self, query: Select[Any]) -> int:
        total = self.session.scalar(
            select(func.count()).select_from(query.order_by(None).subquery())
        )
        return int(total or 0)

    def add(self, row: T) -> T:
        if getattr(row, "tenant_id", None) != self.tenant_id:
            raise ValueError("row does not belong to this repository's tenant")
        self.session.add(row)
        return row
