"""A migration test's scaffolding: a scratch database, an app served on it, a step of
the migration history, and logging in again afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from fastapi.testclient import TestClient

from fiscus.config import Settings
from fiscus.db.migrate import alembic_config
from fiscus.main import create_app
from tests.support.databases import APP_ROLE, MigratedDatabase, create_database, drop_database
from tests.support.services import require_service


@contextmanager
def scratch_database(backend: str, tmp_path: Path) -> Iterator[tuple[MigratedDatabase, Settings]]:
    """A new database of `backend` at head (PostgreSQL required when asked for) and the
    settings of an app on it; dropped afterwards."""
    if backend == "postgres":
        require_service("postgres")
    db = create_database(backend, tmp_path)
    try:
        yield db, Settings(database_url=db.app_url, var_dir=tmp_path / "var", env="test")
    finally:
        drop_database(db)


@contextmanager
def served(settings: Settings) -> Iterator[TestClient]:
    """A client of a new app on `settings`, its engine disposed afterwards (a migration
    can then change the schema under no open connection)."""
    app = create_app(settings)
    try:
        with TestClient(app) as client:
            yield client
    finally:
        app.state.engine.dispose()


def downgrade(db: MigratedDatabase, revision: str) -> None:
    command.downgrade(alembic_config(db.admin_url, APP_ROLE), revision)


def upgrade(db: MigratedDatabase) -> None:
    command.upgrade(alembic_config(db.admin_url, APP_ROLE), "head")


def login_token(client: TestClient, email: str, password: str) -> str:
    """The access token of a new login (tokens do not outlive the app that issued them)."""
    login = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert login.status_code == 200, login.text
    return str(login.json()["access_token"])
