"""Builders of the insights tests: a small set of books with Uncategorised categories,
entries made through the API, and the insights routes."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.support.builders import Account


class Books:
    """A bank account, a few categories, and the two Uncategorised categories (marked by
    the codes the ledger gives them on a bank import)."""

    def __init__(self, client: TestClient, owner: Account) -> None:
        self.client, self.owner = client, owner
        self.bank = self.account("Everyday", "asset")
        self.groceries = self.account("Groceries", "expense")
        self.home = self.account("Home & garden", "expense")
        self.fuel = self.account("Fuel", "expense")
        self.salary = self.account("Salary", "income")
        self.uncat_expense = self.account("Uncategorised expense", "expense", code="UNCAT-EXP")
        self.uncat_income = self.account("Uncategorised income", "income", code="UNCAT-INC")
        self._day = 0

    def account(self, name: str, type_: str, **fields: Any) -> str:
        response = self.client.post(
            "/api/v1/accounts",
            json={"name": name, "type": type_, **fields},
            headers=self.owner.headers,
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def entry(
        self, description: str, category: str, amount: str = "42.00", type_: str = "expense"
    ) -> str:
        self._day = self._day % 27 + 1
        response = self.client.post(
            "/api/v1/transactions",
            json={
                "date": f"2026-03-{self._day:02}",
                "description": description,
                "amount": amount,
                "type": type_,
                "account_id": self.bank,
                "category_id": category,
            },
            headers=self.owner.headers,
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def imported(self, description: str, amount: str = "42.00") -> str:
        """An entry as a bank import books it: on Uncategorised expense."""
        return self.entry(description, self.uncat_expense, amount)

    def teach(self) -> None:
        """Hand-categorised history: supermarkets are groceries, hardware is home."""
        for store in ("WOOLWORTHS 1234 SYDNEY", "WOOLWORTHS METRO 88 NEWTOWN", "COLES 0455"):
            self.entry(f"EFTPOS {store}", self.groceries, "85.20")
        for store in ("BUNNINGS WAREHOUSE 301", "BUNNINGS 7781 TEMPE"):
            self.entry(f"EFTPOS {store}", self.home, "64.00")
        for store in ("BP EXPRESS 22 ALEXANDRIA", "AMPOL 551 MASCOT"):
            self.entry(f"VISA {store}", self.fuel, "70.00")

    def category_of(self, transaction_id: str) -> str:
        response = self.client.get(
            f"/api/v1/transactions/{transaction_id}", headers=self.owner.headers
        )
        assert response.status_code == 200, response.text
        return str(response.json()["simple"]["category_id"])

    # --- insights routes ------------------------------------------------------------
    def categorise(self, *ids: str) -> dict[str, Any]:
        body = {"transaction_ids": list(ids)} if ids else {}
        response = self.client.post(
            "/api/v1/insights/categorise", json=body, headers=self.owner.headers
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    def suggestion(self, transaction_id: str) -> dict[str, Any]:
        response = self.client.get(
            f"/api/v1/insights/suggestions/{transaction_id}", headers=self.owner.headers
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    def review(self, transaction_id: str, **body: Any) -> Any:
        return self.client.post(
            f"/api/v1/insights/review/{transaction_id}", json=body, headers=self.owner.headers
        )

    def queue(self, status: str = "queued") -> dict[str, Any]:
        response = self.client.get(
            "/api/v1/insights/review", params={"status": status}, headers=self.owner.headers
        )
        assert response.status_code == 200, response.text
        return dict(response.json())

    def model(self) -> dict[str, Any]:
        response = self.client.get("/api/v1/insights/model", headers=self.owner.headers)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def set_threshold(self, threshold: float, auto_apply: bool = True) -> None:
        response = self.client.patch(
            "/api/v1/insights/model",
            json={"auto_threshold": threshold, "auto_apply": auto_apply},
            headers=self.owner.headers,
        )
        assert response.status_code == 200, response.text
