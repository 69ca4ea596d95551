"""Builders of the rules tests: a small chart with the uncategorised categories an import
books against, and entries made through the API."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.support.builders import Account


class Books:
    """A bank account, a savings account, Groceries, Coffee, Salary, and the two
    uncategorised categories (marked by their codes, as the imports flow creates them)."""

    def __init__(self, client: TestClient, owner: Account) -> None:
        self.client, self.owner = client, owner
        self.bank = self.account("Everyday", "asset")
        self.savings = self.account("Savings", "asset")
        self.groceries = self.account("Groceries", "expense")
        self.coffee = self.account("Coffee", "expense")
        self.salary = self.account("Salary", "income")
        self.uncat_expense = self.account("Uncategorised expense", "expense", code="UNCAT-EXP")
        self.uncat_income = self.account("Uncategorised income", "income", code="UNCAT-INC")

    def account(self, name: str, type_: str, **fields: Any) -> str:
        response = self.client.post(
            "/api/v1/accounts",
            json={"name": name, "type": type_, **fields},
            headers=self.owner.headers,
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def entry(
        self,
        description: str,
        amount: str,
        *,
        payee: str | None = None,
        day: str = "2025-07-01",
        category: str | None = None,
    ) -> str:
        """An entry as an import books it: + money in (income), - money out (expense)."""
        income = not amount.startswith("-")
        body = {
            "date": day,
            "description": description,
            "payee": payee,
            "amount": amount.lstrip("-"),
            "type": "income" if income else "expense",
            "account_id": self.bank,
            "category_id": category or (self.uncat_income if income else self.uncat_expense),
        }
        response = self.client.post("/api/v1/transactions", json=body, headers=self.owner.headers)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def rule(self, **body: Any) -> dict[str, Any]:
        response = self.client.post("/api/v1/rules", json=body, headers=self.owner.headers)
        assert response.status_code == 201, response.text
        return dict(response.json())

    def txn(self, transaction_id: str) -> dict[str, Any]:
        response = self.client.get(
            f"/api/v1/transactions/{transaction_id}", headers=self.owner.headers
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    def balance(self, account_id: str) -> str:
        response = self.client.get(
            f"/api/v1/accounts/{account_id}/balance", headers=self.owner.headers
        )
        assert response.status_code == 200, response.text
        return str(response.json()["balance"])
