"""Queries of the diagnostics domain's practice tables. Tenant-scoped; never commits."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select

from fiscus.db.repository import TenantRepository
from fiscus.diagnostics.models import DiagnosticsAnalysis, DiagnosticsClient, DiagnosticsSetting

SEVERITY_COLUMNS = {
    "critical": DiagnosticsAnalysis.anomalies_critical,
    "high": DiagnosticsAnalysis.anomalies_high,
    "medium": DiagnosticsAnalysis.anomalies_medium,
    "low": DiagnosticsAnalysis.anomalies_low,
    "info": DiagnosticsAnalysis.anomalies_info,
}


class ClientRepository(TenantRepository):
    def get(self, client_id: uuid.UUID) -> DiagnosticsClient | None:
        query = self._select(DiagnosticsClient).where(DiagnosticsClient.id == client_id)
        return self.session.scalars(query).first()

    def by_name_key(self, name_key: str) -> DiagnosticsClient | None:
        query = self._select(DiagnosticsClient).where(DiagnosticsClient.name_key == name_key)
        return self.session.scalars(query).first()

    def listed(
        self, *, search: str | None, offset: int, limit: int
    ) -> tuple[list[DiagnosticsClient], int]:
        query = self._select(DiagnosticsClient)
        if search:
            query = query.where(DiagnosticsClient.name_key.contains(search, autoescape=True))
        total = self._count(query)
        rows = self.session.scalars(
            query.order_by(DiagnosticsClient.name_key, DiagnosticsClient.id)
            .offset(offset)
            .limit(limit)
        )
        return list(rows), total

    def count(self) -> int:
        return self._count(self._select(DiagnosticsClient))

    def delete(self, client: DiagnosticsClient) -> None:
        # Its history goes with it: ON DELETE CASCADE (SQLite connections enforce
        # foreign keys too, db/session.py).
        self.session.delete(client)
        self.session.flush()


class HistoryRepository(TenantRepository):
    def listed(
        self, *, client_id: uuid.UUID | None, offset: int, limit: int
    ) -> tuple[list[DiagnosticsAnalysis], int]:
        query = self._select(DiagnosticsAnalysis)
        if client_id is not None:
            query = query.where(DiagnosticsAnalysis.client_id == client_id)
        total = self._count(query)
        rows = self.session.scalars(
            query.order_by(DiagnosticsAnalysis.analysed_at.desc(), DiagnosticsAnalysis.id)
            .offset(offset)
            .limit(limit)
        )
        return list(rows), total

    def of_client(self, client_id: uuid.UUID, *, limit: int) -> list[DiagnosticsAnalysis]:
        """The client's latest `limit` analyses, oldest first (a trend's order)."""
        query = (
            self._select(DiagnosticsAnalysis)
            .where(DiagnosticsAnalysis.client_id == client_id)
            .order_by(DiagnosticsAnalysis.analysed_at.desc(), DiagnosticsAnalysis.id)
            .limit(limit)
        )
        return list(reversed(list(self.session.scalars(query))))

    def activity_of(
        self, client_ids: list[uuid.UUID]
    ) -> dict[uuid.UUID, tuple[int, datetime | None]]:
        """client id -> (analyses, latest analysis time), for the given clients."""
        if not client_ids:
            return {}
        rows = self.session.execute(
            select(
                DiagnosticsAnalysis.client_id,
                func.count(DiagnosticsAnalysis.id),
                func.max(DiagnosticsAnalysis.analysed_at),
            )
            .where(
                DiagnosticsAnalysis.tenant_id == self.tenant_id,
                DiagnosticsAnalysis.client_id.in_(client_ids),
            )
            .group_by(DiagnosticsAnalysis.client_id)
        )
        return {row[0]: (int(row[1]), _aware(row[2])) for row in rows if row[0] is not None}

    def clear(self, *, client_id: uuid.UUID | None) -> int:
        statement = delete(DiagnosticsAnalysis).where(
            DiagnosticsAnalysis.tenant_id == self.tenant_id
        )
        if client_id is not None:
            statement = statement.where(DiagnosticsAnalysis.client_id == client_id)
        result: Any = self.session.execute(statement)
        return int(result.rowcount or 0)

    def stats(self, *, since: datetime | None) -> dict[str, int]:
        """Analyses and findings by severity (all time, or from `since` on)."""
        columns = [func.count(DiagnosticsAnalysis.id)] + [
            func.coalesce(func.sum(column), 0) for column in SEVERITY_COLUMNS.values()
        ]
        query = select(*columns).where(DiagnosticsAnalysis.tenant_id == self.tenant_id)
        if since is not None:
            query = query.where(DiagnosticsAnalysis.analysed_at >= since)
        row = self.session.execute(query).one()
        counts = {"analyses": int(row[0])}
        counts.update({name: int(row[i + 1]) for i, name in enumerate(SEVERITY_COLUMNS)})
        return counts

    def clients_analysed(self, *, since: datetime | None) -> int:
        query = select(func.count(func.distinct(DiagnosticsAnalysis.client_id))).where(
            DiagnosticsAnalysis.tenant_id == self.tenant_id
        )
        if since is not None:
            query = query.where(DiagnosticsAnalysis.analysed_at >= since)
        return int(self.session.scalar(query) or 0)


def _aware(value: object) -> datetime | None:
    """max() over a UTCDateTime column bypasses the type on SQLite: naive text or a
    naive datetime comes back, which is UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class SettingRepository(TenantRepository):
    def get(self) -> DiagnosticsSetting | None:
        return self.session.scalars(self._select(DiagnosticsSetting)).first()

    def get_or_create(self) -> DiagnosticsSetting:
        found = self.get()
        if found is None:
            found = self.add(DiagnosticsSetting(tenant_id=self.tenant_id))
            self.session.flush()
        return found
