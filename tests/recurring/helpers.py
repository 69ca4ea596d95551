"""Builders of the recurring tests: a small chart and transactions made through the API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from fiscus.recurring.cadence import add_months
from tests.support.builders import Account


class Books:
    """A tenant with a checking account, a credit card (limit 500.00), an opening-balance
    equity account, Salary income and Subscriptions/Rent/Groceries expense categories."""

    def __init__(self, client: TestClient, owner: Account) -> None:
        self.client, self.owner = client, owner
        self.bank = self.account("Everyday", "asset", subtype="checking")
        self.card = self.account("Visa", "liability", subtype="credit_card", credit_limit="500.00")
        self.opening = self.account("Opening balances", "equity")
        self.salary = self.account("Salary", "income")
        self.subscriptions = self.account("Subscriptions", "expense")
        self.rent = self.account("Rent", "expense")
        self.groceries = self.account("Groceries", "expense")

    def account(self, name: str, type_: str, **fields: Any) -> str:
        response = self.client.post(
            "/api/v1/accounts",
            json={"name": name, "type": type_, **fields},
            headers=self.owner.headers,
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def today(self) -> date:
        """The tenant's today, as the forecast reports it."""
        response = self.client.get("/api/v1/balances/forecast", headers=self.owner.headers)
        assert response.status_code == 200, response.text
        return date.fromisoformat(response.json()["start"])

    def post(self, body: dict[str, Any]) -> str:
        response = self.client.post("/api/v1/transactions", json=body, headers=self.owner.headers)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def spend(
        self, day: date, amount: str, category: str, payee: str, account: str | None = None
    ) -> str:
        return self.post(
            {
                "date": day.isoformat(),
                "description": payee,
                "payee": payee,
                "amount": amount,
                "type": "expense",
                "account_id": account or self.bank,
                "category_id": category,
            }
        )

    def opening_balance(self, day: date, amount: str, account: str | None = None) -> str:
        return self.post(
            {
                "date": day.isoformat(),
                "description": "Opening balance",
                "postings": [
                    {"account_id": account or self.bank, "amount": amount},
                    {"account_id": self.opening, "amount": str(-Decimal(amount))},
                ],
            }
        )

    def monthly(
        self, first: date, count: int, amount: str, payee: str = "NETFLIX.COM 0423"
    ) -> list[str]:
        """`count` monthly payments from `first` on (same day of month, clamped)."""
        return [
            self.spend(add_months(first, i, first.day), amount, self.subscriptions, payee)
            for i in range(count)
        ]

    def detect(self) -> dict[str, Any]:
        response = self.client.post("/api/v1/recurring/detect", headers=self.owner.headers)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    def series(self, **params: Any) -> list[dict[str, Any]]:
        response = self.client.get("/api/v1/recurring", params=params, headers=self.owner.headers)
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items
