"""Queries of bank imports, their lines and presets. Tenant-scoped; never commits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from fiscus.db.repository import TenantRepository
from fiscus.imports.models import BankImport, ImportLine, ImportPreset


@dataclass(frozen=True, slots=True)
class LineRow:
    line_no: int
    bank_ref: str | None
    fingerprint: str
    transaction_id: uuid.UUID | None
    status: str


_LINE_COLUMNS = (
    "tenant_id",
    "import_id",
    "line_no",
    "account_id",
    "bank_ref",
    "fingerprint",
    "transaction_id",
    "status",
)


# COPY cannot write a table under row-level security: into a staging table, then one
# INSERT ... SELECT (checked by the policies like any insert).
_COLUMNS = ", ".join(_LINE_COLUMNS)
_STAGE_STATEMENTS = (
    "CREATE TEMPORARY TABLE import_line_stage (LIKE import_line INCLUDING DEFAULTS) ON COMMIT DROP",
    f"COPY import_line_stage ({_COLUMNS}) FROM STDIN",
    f"INSERT INTO import_line ({_COLUMNS}) SELECT {_COLUMNS} FROM import_line_stage",  # noqa: S608 (constant column names)
    "DROP TABLE import_line_stage",
)


class LineWriter:
    """Stores an import's lines in two steps: `stage` (SQLite: the insert itself;
    PostgreSQL: `COPY` into a staging table, on the session's connection) and `finish`
    (PostgreSQL: the staged lines' `INSERT ... SELECT`). `finish` sends its statements
    on the driver connection, not through the session, so the commit can run it in a
    thread while this one decides (psycopg runs one statement at a time on a
    connection, all in the unit's transaction); its errors are SQLAlchemy's, as the
    session's would be."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._staged = False

    def stage(self, rows: Sequence[dict[str, object]]) -> None:
        if not rows:
            return
        if self._connection.dialect.name != "postgresql":
            self._connection.execute(insert(ImportLine), list(rows))
            return
        create, copy_in, _, _ = _STAGE_STATEMENTS
        self._connection.execute(text(create))
        raw = self._connection.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(copy_in) as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row(tuple(row[c] for c in _LINE_COLUMNS))
        self._staged = True

    def finish(self) -> None:
        if not self._staged:
            return
        raw: Any = self._connection.connection.driver_connection
        dbapi_error = self._connection.dialect.loaded_dbapi.Error
        _, _, insert_all, drop = _STAGE_STATEMENTS
        statement = insert_all
        try:
            with raw.cursor() as cursor:
                cursor.execute(insert_all)
                statement = drop
                cursor.execute(drop)
        except dbapi_error as exc:  # as the session would raise it (IntegrityError, ...)
            raise DBAPIError.instance(statement, None, exc, dbapi_error) from exc
        self._staged = False


class ImportRepository(TenantRepository):
    def get(self, import_id: uuid.UUID) -> BankImport | None:
        query = self._select(BankImport).where(BankImport.id == import_id)
        return self.session.scalars(query).first()

    def get_for_update(self, import_id: uuid.UUID) -> BankImport | None:
        """The import, its row locked until the end of the unit (PostgreSQL): two commits
        or an undo racing a commit of one import run one after the other."""
        query = self._select(BankImport).where(BankImport.id == import_id).with_for_update()
        return self.session.scalars(query).first()

    def page(
        self, *, account_id: uuid.UUID | None, offset: int, limit: int
    ) -> tuple[list[BankImport], int]:
        query = self._select(BankImport)
        if account_id is not None:
            query = query.where(BankImport.account_id == account_id)
        total = self._count(query)
        rows = self.session.scalars(
            query.order_by(BankImport.created_at.desc(), BankImport.id).offset(offset).limit(limit)
        )
        return list(rows), total

    def set_status(self, import_id: uuid.UUID, *, if_status: str, **values: object) -> bool:
        """Move the import on only from `if_status` (one conditional UPDATE)."""
        result = self.session.execute(
            update(BankImport)
            .where(
                BankImport.tenant_id == self.tenant_id,
                BankImport.id == import_id,
                BankImport.status == if_status,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def forget_files_before(self, cutoff: datetime) -> None:
        self.session.execute(
            update(BankImport)
            .where(
                BankImport.tenant_id == self.tenant_id,
                BankImport.content.is_not(None),
                BankImport.status.in_(("draft", "failed")),
                BankImport.created_at < cutoff,
            )
            .values(content=None, parsed=None)
            .execution_options(synchronize_session=False)
        )

    def booked_keys(self, account_id: uuid.UUID) -> tuple[set[str], set[str]]:
        """Bank refs and line fingerprints of lines already booked into the account (their
        import not undone): what makes a line of a new file an exact duplicate."""
        query = select(ImportLine.bank_ref, ImportLine.fingerprint).where(
            ImportLine.tenant_id == self.tenant_id,
            ImportLine.account_id == account_id,
            ImportLine.status == "created",
        )
        refs: set[str] = set()
        prints: set[str] = set()
        for bank_ref, fingerprint in self.session.execute(query):
            if bank_ref:
                refs.add(bank_ref)
            prints.add(fingerprint)
        return refs, prints

    def add_lines(self, rows: Sequence[dict[str, object]]) -> None:
        """Store the import's lines: `COPY` on PostgreSQL, executemany elsewhere."""
        writer = self.line_writer()
        writer.stage(rows)
        writer.finish()

    def line_writer(self) -> LineWriter:
        return LineWriter(self.session.connection())

    def created_transactions(self, import_id: uuid.UUID) -> list[uuid.UUID]:
        query = select(ImportLine.transaction_id).where(
            ImportLine.tenant_id == self.tenant_id,
            ImportLine.import_id == import_id,
            ImportLine.status == "created",
        )
        return [t for t in self.session.scalars(query) if t is not None]

    def mark_undone(self, import_id: uuid.UUID) -> None:
        self.session.execute(
            update(ImportLine)
            .where(
                ImportLine.tenant_id == self.tenant_id,
                ImportLine.import_id == import_id,
                ImportLine.status == "created",
            )
            .values(status="undone")
            .execution_options(synchronize_session=False)
        )


class PresetRepository(TenantRepository):
    def by_scope(self, scope_key: str) -> ImportPreset | None:
        query = self._select(ImportPreset).where(ImportPreset.scope_key == scope_key)
        return self.session.scalars(query).first()

    def get(self, preset_id: uuid.UUID) -> ImportPreset | None:
        query = self._select(ImportPreset).where(ImportPreset.id == preset_id)
        return self.session.scalars(query).first()

    def listed(self, account_id: uuid.UUID | None) -> list[ImportPreset]:
        query = self._select(ImportPreset)
        if account_id is not None:
            query = query.where(
                (ImportPreset.account_id == account_id) | ImportPreset.account_id.is_(None)
            )
        return list(self.session.scalars(query.order_by(ImportPreset.updated_at.desc())))
