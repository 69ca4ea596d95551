"""Shared fixtures: every API test runs against SQLite and PostgreSQL.

Each test runs inside one outer transaction on one connection, which is rolled back at
the end (the app's sessions join it through SAVEPOINTs), so tests never see each other's
data. On PostgreSQL that connection belongs to the non-owner application role, so row-
level security is active in every test, exactly as in production.

Set FISCUS_REQUIRE_SERVICES=1 (CI does) to turn a missing PostgreSQL, Redis or Chromium
into a failure instead of a skip.
"""

from __future__ import annotations

import os

os.environ.setdefault("FISCUS_ENV", "test")
os.environ.setdefault("FISCUS_ARGON2_TIME_COST", "1")
os.environ.setdefault("FISCUS_ARGON2_MEMORY_KIB", "1024")
os.environ.setdefault("FISCUS_LOG_JSON", "false")
os.environ.setdefault("FISCUS_LOG_LEVEL", "WARNING")
os.environ.setdefault("FISCUS_SECRET_KEY", "test-secret-key-" + "x" * 40)

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import settings
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from fiscus.auth import throttle
from fiscus.config import Settings
from fiscus.db.session import make_engine
from fiscus.jobs import runner
from fiscus.main import create_app
from tests.support.databases import MigratedDatabase, create_database, drop_database
from tests.support.services import require_service

BACKENDS = ["sqlite", "postgres"]

# No per-example deadline: the suite asserts behaviour, never time, and a loaded CI
# machine would otherwise fail a property test for being slow.
settings.register_profile("fiscus", deadline=None)
settings.load_profile("fiscus")


@pytest.fixture(scope="session", params=BACKENDS)
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MigratedDatabase]:
    """A migrated database of each backend, shared by the whole session."""
    backend = request.param
    if backend == "postgres":
        require_service("postgres")
    db = create_database(backend, tmp_path_factory.mktemp("db"))
    yield db
    drop_database(db)


@pytest.fixture(scope="module", params=BACKENDS)
def committed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MigratedDatabase]:
    """A migrated database of each backend whose data is really committed (one per module):
    for real runners (threads, Celery workers, subprocesses) and tampering as the owner."""
    if request.param == "postgres":
        require_service("postgres")
    db = create_database(request.param, tmp_path_factory.mktemp("committed"))
    yield db
    drop_database(db)


@pytest.fixture(scope="session")
def app_engine(database: MigratedDatabase) -> Iterator[Engine]:
    engine = make_engine(database.app_url)
    yield engine
    engine.dispose()


def make_settings(database: MigratedDatabase, var_dir: Path) -> Settings:
    return Settings(database_url=database.app_url, var_dir=var_dir, env="test")


@pytest.fixture(scope="session")
def app(database: MigratedDatabase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    application = create_app(make_settings(database, tmp_path_factory.mktemp("var")))
    yield application
    application.state.engine.dispose()


@pytest.fixture
def connection(app_engine: Engine) -> Iterator[Connection]:
    conn = app_engine.connect()
    outer = conn.begin()
    yield conn
    outer.rollback()
    conn.close()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def client(app: FastAPI, session_factory: sessionmaker[Session]) -> Iterator[TestClient]:
    """The real app over HTTP; jobs run inline right after the request commits."""
    app.state.session_factory = session_factory
    throttle.forget_all()  # login-failure counters of earlier tests must not leak in
    with TestClient(app, raise_server_exceptions=False) as test_client:
        # The lifespan installed a thread pool; on one shared connection, run inline instead.
        runner.set_dispatcher(
            lambda tenant_id, job_id: runner.run_job(session_factory, tenant_id, job_id)
        )
        yield test_client
    runner.set_dispatcher(None)


@pytest.fixture(autouse=True)
def _record_suites(
    request: pytest.FixtureRequest, record_property: Callable[[str, object], None]
) -> None:
    """Tag each test in the JUnit report with the services it exercised (see .ci/run)."""
    suites = {
        m.name for m in request.node.iter_markers() if m.name in ("postgres", "redis", "browser")
    }
    callspec = getattr(request.node, "callspec", None)
    if callspec is not None and "postgres" in (
        callspec.params.get("database"),
        callspec.params.get("committed"),
    ):
        suites.add("postgres")
    if suites:
        record_property("suites", ",".join(sorted(suites)))
