"""Helpers of the web-shell tests: settings for a fresh database, and acting like a browser."""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from fiscus.config import Settings
from fiscus.db.migrate import upgrade

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def web_settings(var_dir: Path) -> Settings:
    """Settings of an app over a freshly migrated SQLite file in `var_dir`."""
    url = f"sqlite:///{var_dir / 'fiscus.db'}"
    upgrade(url)
    return Settings(
        database_url=url,
        var_dir=var_dir,
        env="test",
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        secret_key="x" * 40,
        log_json=False,
        log_level="WARNING",
    )


def csrf_of(client: TestClient, path: str = "/login") -> str:
    """The CSRF token of a page, as a browser would read it from the hidden field."""
    page = client.get(path)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, f"no csrf_token field on {path}"
    assert client.cookies.get("fiscus_csrf") == match.group(1)
    return match.group(1)


@dataclass(frozen=True)
class Account:
    name: str
    email: str
    password: str = PASSWORD


def new_account() -> Account:
    n = next(_counter)
    return Account(name=f"Test User {n}", email=f"user{n}-{os.getpid()}@example.com")


def register(client: TestClient, account: Account) -> None:
    token = csrf_of(client, "/register")
    response = client.post(
        "/register",
        data={
            "name": account.name,
            "email": account.email,
            "password": account.password,
            "csrf_token": token,
        },
    )
    assert response.status_code == 303, response.text


def set_cookie(client: TestClient, name: str, value: str) -> None:
    """Replace a cookie the app set (TestClient stores them for `testserver.local`)."""
    client.cookies.delete(name)
    client.cookies.set(name, value, domain="testserver.local", path="/")
