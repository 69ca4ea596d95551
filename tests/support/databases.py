"""Create and drop throw-away migrated databases for tests (SQLite file or PostgreSQL)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from fiscus.db.migrate import upgrade
from fiscus.db.session import make_engine
from tests.support.services import PG_ADMIN_URL

APP_ROLE = "fiscus_app"


@dataclass(frozen=True)
class MigratedDatabase:
    backend: str
    app_url: str  # what the app connects with (the non-owner role on PostgreSQL)
    admin_url: str  # the table owner (a superuser in tests): migrations and tampering
    name: str = ""


def _server_url(database: str) -> str:
    base, _, _ = PG_ADMIN_URL.rpartition("/")
    return f"{base}/{database}"


def create_database(backend: str, directory: Path, revision: str = "head") -> MigratedDatabase:
    if backend == "sqlite":
        url = f"sqlite:///{directory / 'fiscus.db'}"
        upgrade(url, revision=revision)
        return MigratedDatabase("sqlite", url, url)
    name = f"fiscus_test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    admin_url = _server_url(name)
    upgrade(admin_url, APP_ROLE, revision)
    host_part = admin_url.split("@", 1)[1]
    app_url = f"postgresql+psycopg://{APP_ROLE}@{host_part}"
    return MigratedDatabase("postgres", app_url, admin_url, name)


def drop_database(db: MigratedDatabase) -> None:
    if db.backend != "postgres":
        return
    admin = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)'))
    admin.dispose()
