"""Builders of the goals tests: a small chart of accounts and goals made through the API."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.support.builders import Account


class Budget:
    """A tenant with a bank account, a card, a savings account, a loan, and an expense
    tree Food > (Groceries, Eating out) plus Rent."""

    def __init__(self, client: TestClient, owner: Account) -> None:
        self.client, self.owner = client, owner
        self.bank = self.account("Everyday", "asset", subtype="checking")
        self.savings = self.account("Savings", "asset", subtype="savings")
        self.card = self.account("Visa", "liability", subtype="credit_card")
        self.loan = self.account("Car loan", "liability", subtype="loan")
        self.opening = self.account("Opening balances", "equity")
        self.salary = self.account("Salary", "income")
        self.food = self.account("Food", "expense")
        self.groceries = self.account("Groceries", "expense", parent_id=self.food)
        self.eating_out = self.account("Eating out", "expense", parent_id=self.food)
        self.rent = self.account("Rent", "expense")

    def account(self, name: str, type_: str, **fields: Any) -> str:
        response = self.client.post(
            "/api/v1/accounts",
            json={"name": name, "type": type_, **fields},
            headers=self.owner.headers,
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def spend(self, day: str, amount: str, category: str, account: str | None = None) -> str:
        return self.post(
            {
                "date": day,
                "description": "Spend",
                "amount": amount,
                "type": "expense",
                "account_id": account or self.bank,
                "category_id": category,
            }
        )

    def transfer(self, day: str, amount: str, source: str, destination: str) -> str:
        return self.post(
            {
                "date": day,
                "description": "Move",
                "amount": amount,
                "type": "transfer",
                "account_id": source,
                "transfer_account_id": destination,
            }
        )

    def journal(self, day: str, *legs: tuple[str, str]) -> str:
        return self.post(
            {
                "date": day,
                "description": "Journal",
                "postings": [{"account_id": a, "amount": m} for a, m in legs],
            }
        )

    def post(self, body: dict[str, Any]) -> str:
        response = self.client.post("/api/v1/transactions", json=body, headers=self.owner.headers)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def goal(self, **fields: Any) -> dict[str, Any]:
        response = self.create_goal(**fields)
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    def create_goal(self, **fields: Any) -> Any:
        body = {"kind": "spending_limit", "name": "Food budget", "account_id": self.food}
        body.update(fields)
        return self.client.post("/api/v1/goals", json=body, headers=self.owner.headers)

    def progress(self, goal_id: str, **params: Any) -> dict[str, Any]:
        response = self.client.get(
            f"/api/v1/goals/{goal_id}/progress", params=params, headers=self.owner.headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def notifications(self, **params: Any) -> list[dict[str, Any]]:
        response = self.client.get(
            "/api/v1/notifications", params=params, headers=self.owner.headers
        )
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items
