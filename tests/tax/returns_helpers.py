"""Builders of the tax return tests: a full 2024-25 return and short HTTP helpers."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient

from tests.support.builders import Account

BASE = "/api/v1/tax/returns"


def full_return_data() -> dict[str, Any]:
    """Salary from two payers, interest, dividends, two share sales, four deductions, a
    T9 offset and a full year of hospital cover (worked by hand in test_returns.py)."""
    return {
        "income": {
            "salary_wages": [
                {
                    "payer_name": "Acme Pty Ltd",
                    "payer_abn": "51 824 753 556",
                    "gross": "78500.00",
                    "tax_withheld": "16200.00",
                },
                {"payer_name": "Weekend Cafe", "gross": "6000", "tax_withheld": "900"},
            ],
            "interest": {"gross": "450.37", "tfn_withheld": "20.00"},
            "dividends": {"unfranked": "100.00", "franked": "700.00", "franking_credits": "300.00"},
            "capital_gains": {
                "entries": [
                    {
                        "description": "BHP shares",
                        "acquired_on": "2020-03-01",
                        "disposed_on": "2024-09-10",
                        "cost_base": "5000.00",
                        "proceeds": "9000.00",
                    },
                    {
                        "description": "CBA shares",
                        "acquired_on": "2024-01-05",
                        "disposed_on": "2024-11-20",
                        "cost_base": "1000.00",
                        "proceeds": "1500.00",
                    },
                ]
            },
        },
        "deductions": {
            "d1_car": "1200.00",
            "d5_other_work": "350.50",
            "d9_gifts": "100.00",
            "d10_tax_affairs": "250.00",
        },
        "offsets": {"t9_other": "100.00"},
        "private_health": {"hospital_cover_months": 12},
    }


def create(
    client: TestClient,
    who: Account,
    data: dict[str, Any] | None = None,
    *,
    name: str = "Alice Example",
    year: str = "2024-25",
) -> dict[str, Any]:
    response = client.post(
        BASE,
        json={"person": {"name": name}, "year": year, "data": data or {}},
        headers=who.headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def call(
    client: TestClient, who: Account, method: str, path: str, body: Any = None
) -> httpx.Response:
    return client.request(method, f"{BASE}{path}", json=body, headers=who.headers)


def lodge_request(
    client: TestClient,
    who: Account,
    return_id: str,
    *,
    confirm: bool = True,
    reference: str = "ATO-123456789",
    on: str = "2025-09-15",
) -> httpx.Response:
    """The lodge call itself, answered or refused (the return must already be ready)."""
    body = {"confirm": confirm, "reference": reference, "lodged_on": on}
    return call(client, who, "POST", f"/{return_id}/lodge", body)


def lodge(client: TestClient, who: Account, return_id: str, on: str = "2025-09-15") -> None:
    ready = call(client, who, "POST", f"/{return_id}/status", {"status": "ready"})
    assert ready.status_code == 200, ready.text
    lodged = lodge_request(client, who, return_id, on=on)
    assert lodged.status_code == 200, lodged.text


def bad_fields(response: httpx.Response) -> set[str]:
    assert response.status_code == 422, response.text
    return {e["field"] for e in response.json()["errors"]}
