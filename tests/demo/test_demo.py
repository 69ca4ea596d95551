"""`fiscus demo`: a repeatable story whose books land exactly, on both databases."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from fiscus import cli
from fiscus.config import get_settings
from fiscus.demo.scenario import ACCOUNTS, Entry, entries
from fiscus.demo.service import create_demo
from tests.support.databases import MigratedDatabase

START, END = date(2024, 11, 23), date(2026, 11, 22)


def test_the_story_is_repeatable_and_every_split_balances() -> None:
    story = entries(START, END, seed=7)
    assert story == entries(START, END, seed=7)
    assert story != entries(START, END, seed=8)
    assert all(START <= e.on <= END for e in story)
    assert [e.on for e in story] == sorted(e.on for e in story)
    kinds = Counter(e.kind for e in story)
    assert kinds["expense"] > 500
    assert kinds["income"] > 50
    assert kinds["transfer"] >= 48
    assert kinds["journal"] == 24
    for entry in story:
        if entry.kind == "journal":
            assert sum(cents for _, cents in entry.legs) == 0
        else:
            assert entry.cents > 0


def _expected_balances(story: list[Entry]) -> dict[str, int]:
    """Each account's closing balance in its natural sign, replayed from the story."""
    sign = {key: 1 if spec[1] == "asset" else -1 for key, spec in ACCOUNTS.items()}
    balance = {key: spec[3] for key, spec in ACCOUNTS.items()}
    for e in story:
        if e.kind == "journal":
            for key, cents in e.legs:
                if key in ACCOUNTS:
                    balance[key] += sign[key] * cents
            continue
        direction = 1 if e.kind == "income" else -1
        balance[e.account] += sign[e.account] * direction * e.cents
        if e.kind == "transfer":
            balance[e.counter] += sign[e.counter] * e.cents
    return balance


def test_demo_books_match_the_story_over_the_api(
    client: TestClient, app: FastAPI, session_factory: Any
) -> None:
    with session_factory() as session:
        made = create_demo(
            session,
            app.state.settings,
            email="demo@example.com",
            password="demo password 123",
            years=2,
            seed=42,
            today=END,
        )
        session.commit()
    story = entries(made.start, END, seed=42)
    assert made.transactions == len(story) + 1  # and the opening balances
    login = client.post(
        "/api/v1/auth/login", json={"email": "demo@example.com", "password": "demo password 123"}
    )
    assert login.status_code == 200, login.text
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    accounts = client.get("/api/v1/accounts", headers=headers).json()
    by_name = {a["name"]: a["id"] for a in accounts}
    for key, cents in _expected_balances(story).items():
        got = client.get(
            f"/api/v1/accounts/{by_name[ACCOUNTS[key][0]]}/balance",
            params={"date": END.isoformat()},
            headers=headers,
        ).json()
        assert got["balance"] == f"{cents / 100:.2f}", key
    listed = client.get("/api/v1/transactions", headers=headers, params={"limit": 1}).json()
    assert listed["total"] == made.transactions
    pending = client.get(
        "/api/v1/transactions",
        headers=headers,
        params={"status": "pending", "limit": 1, "count": "exact"},
    ).json()
    assert 0 < pending["total"] < 20  # only the last few days have not cleared
    _assert_goals_and_reconciliation(client, headers)


def _assert_goals_and_reconciliation(client: TestClient, headers: dict[str, str]) -> None:
    goals = client.get("/api/v1/goals", headers=headers).json()
    assert sorted(g["kind"] for g in goals["items"]) == [
        "debt_payoff",
        "savings_target",
        *["spending_limit"] * 3,
    ]
    alerts = client.get("/api/v1/notifications", headers=headers, params={"limit": 200}).json()
    assert {n["kind"] for n in alerts["items"]} >= {"goal.warning", "goal.exceeded"}
    reconciled = client.get(
        "/api/v1/transactions",
        headers=headers,
        params={"status": "reconciled", "limit": 1, "count": "exact"},
    ).json()
    assert reconciled["total"] > 100  # the everyday account up to last month's statement
    validation = client.get("/api/v1/balances/validate", headers=headers).json()
    assert validation["checked"] == 1
    assert (validation["mismatched"], validation["items"]) == (0, [])


def test_the_demo_command_creates_the_tenant_and_refuses_a_taken_email(
    committed: MigratedDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["demo", "--email", "cli-demo@example.com", "--years", "1"]
    with monkeypatch.context() as patch:
        patch.setenv("FISCUS_DATABASE_URL", committed.app_url)
        get_settings.cache_clear()
        try:
            first = CliRunner().invoke(cli.app, args)
            second = CliRunner().invoke(cli.app, [*args, "--password", "another password 1"])
        finally:
            get_settings.cache_clear()
    assert first.exit_code == 0, first.output
    assert "transactions from" in first.output
    assert "sign in as cli-demo@example.com with password " in first.output
    assert second.exit_code == 1
    assert "email" in second.output
