"""Real ids for the path parameters of a fuzz run: an account, a category, an entry and
the rest, made through the API in the caller's tenant, so that generated requests reach
the routes' logic rather than a 404. Shared by the suite's fuzz test (a test client) and
`scripts/fuzz_api.py` (an HTTP client of a live server)."""

from __future__ import annotations

from typing import Any


def known_ids(client: Any, headers: dict[str, str], tenant_id: str, user_id: str) -> dict[str, str]:
    """Path parameter name -> the id of a thing of the caller's tenant (`client`: a test
    client or an `httpx.Client` with the server's base URL)."""

    def made(path: str, **request: Any) -> str:
        response = client.post(path, headers=headers, **request)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    account = made("/api/v1/accounts", json={"name": "Everyday", "type": "asset"})
    category = made("/api/v1/categories", json={"name": "Groceries", "type": "expense"})
    entry = {
        "date": "2025-07-01",
        "description": "Woolworths",
        "amount": "12.50",
        "type": "expense",
        "account_id": account,
        "category_id": category,
    }
    rule = {
        "name": "Groceries",
        "conditions": {"description": {"op": "contains", "value": "woolworths"}},
        "actions": {"set_category_id": category},
    }
    goal = {"kind": "spending_limit", "name": "Food", "account_id": category, "amount": "50"}
    rate = {"currency": "USD", "effective_on": "2025-07-01", "rate": "1.55"}
    tax_return = {"person": {"name": "Fuzz Example", "user_id": user_id}, "year": "2024-25"}
    bank_file = b"Date,Description,Amount\n01/07/2025,Coffee,-4.50\n"
    return {
        "tenant_id": tenant_id,
        "account_id": account,
        "category_id": category,
        "transaction_id": made("/api/v1/transactions", json=entry),
        "goal_id": made("/api/v1/goals", json=goal),
        "rule_id": made("/api/v1/rules", json=rule),
        "anchor_id": made(
            f"/api/v1/accounts/{account}/anchors", json={"date": "2025-07-01", "balance": "1.00"}
        ),
        "rate_id": made("/api/v1/exchange-rates", json=rate),
        "return_id": made("/api/v1/tax/returns", json=tax_return),
        "import_id": made(
            "/api/v1/imports", files={"file": ("bank.csv", bank_file)}, data={"account_id": account}
        ),
    }
