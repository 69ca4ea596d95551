"""The `fiscus` command as an operator runs it: a subprocess with FISCUS_* settings."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import Table, update

from fiscus.audit.models import AuditEvent
from fiscus.db.session import make_engine

FISCUS = str(Path(sys.executable).with_name("fiscus"))
PASSWORD = "correct horse battery staple"
CREATED = re.compile(r"created user (?P<user>[0-9a-f-]{36}) with tenant (?P<tenant>[0-9a-f-]{36})")


@dataclass(frozen=True)
class Installation:
    var_dir: Path
    database_url: str

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "FISCUS_ENV": "test",
            "FISCUS_VAR_DIR": str(self.var_dir),
            "FISCUS_DATABASE_URL": self.database_url,
        }
        env.pop("FISCUS_REDIS_URL", None)
        return subprocess.run(
            [FISCUS, *args], env=env, capture_output=True, text=True, timeout=300, check=False
        )

    def create_user(self, email: str, password: str = PASSWORD) -> uuid.UUID:
        """Create a user; return the id of their personal tenant."""
        result = self.run("create-user", "--email", email, "--name", "Ops", "--password", password)
        assert result.returncode == 0, result.stderr
        match = CREATED.search(result.stdout)
        assert match, result.stdout
        return uuid.UUID(match["tenant"])


def installation_at(directory: Path) -> Installation:
    return Installation(directory / "var", f"sqlite:///{directory / 'data' / 'fiscus.db'}")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installation:
    """A fresh installation whose database `fiscus migrate` created."""
    site = installation_at(tmp_path_factory.mktemp("site"))
    result = site.run("migrate")
    assert result.returncode == 0, result.stderr
    return site


def test_migrate_creates_the_schema_in_a_fresh_sqlite_file(tmp_path: Path) -> None:
    site = installation_at(tmp_path)
    database = tmp_path / "data" / "fiscus.db"
    assert not database.exists()

    first, again = site.run("migrate"), site.run("migrate")

    assert (first.returncode, again.returncode) == (0, 0), first.stderr + again.stderr
    assert "database is up to date" in first.stdout
    with sqlite3.connect(database) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        tables = {name for (name,) in rows}
        version = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    assert {"app_user", "tenant", "membership", "audit_event", "audit_chain_head", "job"} <= tables
    assert len(version) == 1


def test_create_user_prints_ids_and_never_the_password(installed: Installation) -> None:
    result = installed.run(
        "create-user", "--email", "Ops@Example.com", "--name", "Ops", "--password", PASSWORD
    )

    assert result.returncode == 0, result.stderr
    assert CREATED.search(result.stdout)
    assert PASSWORD not in result.stdout + result.stderr
    with sqlite3.connect(installed.database_url.removeprefix("sqlite:///")) as conn:
        [(password_hash,)] = conn.execute(
            "SELECT password_hash FROM app_user WHERE email = 'ops@example.com'"
        ).fetchall()
    assert password_hash.startswith("$argon2id$")


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("taken@example.com", PASSWORD, "error: email: An account with this e-mail address"),
        ("weak@example.com", "password123", "error: password: is one of the most common"),
        ("short@example.com", "short", "error: password: must be at least"),
    ],
)
def test_create_user_reports_bad_input_and_exits_1(
    installed: Installation, email: str, password: str, message: str
) -> None:
    if email.startswith("taken"):
        installed.create_user(email)

    result = installed.run("create-user", "--email", email, "--name", "X", "--password", password)

    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_audit_verify_exits_0_when_valid_and_1_after_tampering(installed: Installation) -> None:
    tenant_id = installed.create_user("auditor@example.com")

    valid = installed.run("audit", "verify", "--tenant", str(tenant_id))
    assert valid.returncode == 0, valid.stderr
    assert valid.stdout.strip() == "valid=true events_checked=3 first_broken_seq=None"

    events = cast(Table, AuditEvent.__table__)
    engine = make_engine(installed.database_url)
    with engine.begin() as conn:
        conn.execute(
            update(events)
            .where(events.c.tenant_id == tenant_id, events.c.seq == 2)
            .values(action="member.remove")
        )
    engine.dispose()

    broken = installed.run("audit", "verify", "--tenant", str(tenant_id))
    assert broken.returncode == 1, broken.stderr
    assert broken.stdout.startswith("valid=false events_checked=1 first_broken_seq=2 reason=")


def test_audit_verify_rejects_a_malformed_tenant_id(installed: Installation) -> None:
    result = installed.run("audit", "verify", "--tenant", "acme")

    assert result.returncode == 2
    assert "--tenant" in result.stderr
    assert "not a UUID" in result.stderr
    assert result.stdout == ""


def test_audit_verify_refuses_an_unknown_tenant(installed: Installation) -> None:
    unknown = uuid.uuid4()

    result = installed.run("audit", "verify", "--tenant", str(unknown))

    assert result.returncode == 2
    assert f"error: no tenant with id {unknown}" in result.stderr
    assert "valid=" not in result.stdout  # never a clean bill of health for nothing


def test_worker_needs_a_broker(installed: Installation) -> None:
    result = installed.run("worker")

    assert result.returncode == 2
    assert "FISCUS_REDIS_URL is not set" in result.stderr
