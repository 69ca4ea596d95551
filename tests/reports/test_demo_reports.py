"""Every report over the demo household's year of books: it balances and reconciles."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from fiscus.demo.service import create_demo

TODAY = date(2026, 11, 22)


def test_reports_of_the_demo_books(client: TestClient, app: FastAPI, session_factory: Any) -> None:
    with session_factory() as session:
        create_demo(
            session,
            app.state.settings,
            email="reports-demo@example.com",
            password="demo password 123",
            years=1,
            seed=3,
            today=TODAY,
        )
        session.commit()
    login = client.post(
        "/api/v1/auth/login",
        json={"email": "reports-demo@example.com", "password": "demo password 123"},
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}

    def report(name: str, **params: str) -> Any:
        response = client.get(f"/api/v1/reports/{name}", params=params, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()

    trial = report("trial-balance", as_of=TODAY.isoformat())
    assert trial["total_debits"] == trial["total_credits"]
    assert len(trial["rows"]) > 10
    sheet = report("balance-sheet", as_of=TODAY.isoformat(), compare="previous_period")
    assert sheet["assets"]["total"]["amount"] == sheet["liabilities_and_equity"]["amount"]
    period = {"from": "2026-01-01", "to": TODAY.isoformat()}
    statement = report("income-statement", **period, compare="previous_year")
    assert Decimal(statement["income"]["total"]["amount"]) > 0
    assert Decimal(statement["expenses"]["total"]["amount"]) > 0
    flow = report("cash-flow", **period)
    moved = sum(
        sign * Decimal(flow[key]["total"])
        for key, sign in (
            ("inflows", 1),
            ("outflows", -1),
            ("transfers_in", 1),
            ("transfers_out", -1),
        )
    )
    assert moved == Decimal(flow["closing"]) - Decimal(flow["opening"])
    assert flow["inflows"]["lines"]
    assert flow["outflows"]["lines"]
    spending = report("spending-by-category", **period)
    assert spending["total"] == statement["expenses"]["total"]["amount"]
    worth = report("net-worth", to=TODAY.isoformat())
    assert len(worth["points"]) == 12
    budget = report("budget-vs-actual", **period)
    assert len(budget["rows"]) == 3  # the demo's three spending limits
    for name in ("trial-balance", "income-statement", "cash-flow"):
        for fmt in ("csv", "xlsx", "pdf"):
            response = client.get(
                f"/api/v1/reports/{name}", params={**period, "format": fmt}, headers=headers
            )
            assert response.status_code == 200, (name, fmt)
