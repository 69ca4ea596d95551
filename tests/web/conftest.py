"""Fixtures of the web-shell tests: a fresh SQLite database and app per test module.

The page tests drive the app over HTTP with cookies, the way a browser does, so they
use a real migrated database file rather than the shared rolled-back connection of the
API tests: a module's tests share it, and each test registers its own user.
"""

from __future__ import annotations

import os

# Before anything imports fiscus: the password hasher reads the (cached) global settings.
os.environ.setdefault("FISCUS_ENV", "test")
os.environ.setdefault("FISCUS_ARGON2_TIME_COST", "1")
os.environ.setdefault("FISCUS_ARGON2_MEMORY_KIB", "1024")
os.environ.setdefault("FISCUS_SECRET_KEY", "test-secret-key-" + "x" * 40)

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fiscus.auth import throttle
from fiscus.main import create_app
from tests.web.helpers import Account, new_account, register, web_settings


@pytest.fixture(scope="module")
def web_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    app = create_app(web_settings(tmp_path_factory.mktemp("web")))
    yield app
    app.state.engine.dispose()


@pytest.fixture
def page_client(web_app: FastAPI) -> Iterator[TestClient]:
    """A cookie-keeping client that does not follow redirects (tests look at them)."""
    throttle.forget_all()  # failed logins of earlier tests must not throttle this one
    with TestClient(web_app, follow_redirects=False, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def account() -> Account:
    return new_account()


@pytest.fixture
def signed_in(page_client: TestClient, account: Account) -> TestClient:
    """A browser signed in as a freshly registered user (in their personal tenant)."""
    register(page_client, account)
    return page_client
