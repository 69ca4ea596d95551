"""Helpers of the practice-feature tests: clients, uploads with a client, a viewer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from tests.support.builders import Account, add_member, register, switch

FIXTURES = Path(__file__).parents[1] / "fixtures" / "diagnostics"
TB_URL = "/api/v1/diagnostics/trial-balance"
COMPANY_TB = "company_tb_debit_credit.csv"
# Every account name of the company fixture: none may be stored anywhere.
COMPANY_NAMES = (
    "Cash at Bank - Operating",
    "Petty Cash",
    "Trade Debtors",
    "Allowance for Doubtful Debts",
    "Inventory - Timber",
    "Suspense Account",
    "Loan - Director (Related Party)",
    "Sales - Joinery",
    "Cost of Sales - Materials",
    "Sundry Expenses",
)
UNNAMED = b"A;B;C\n1000;Cash;500,00\n2000;Loan;-500,00\n"
UNNAMED_MAPPING = {"header_line": 1, "number": "A", "name": "B", "net": 2}


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def upload(
    client: TestClient, who: Account, name: str, data: bytes, **fields: Any
) -> httpx.Response:
    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in fields.items()}
    return client.post(TB_URL, files={"file": (name, data)}, data=form, headers=who.headers)


def new_client(
    client: TestClient, who: Account, name: str = "Harbour Joinery", **fields: Any
) -> str:
    response = client.post("/api/v1/clients", json={"name": name, **fields}, headers=who.headers)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def member_of(client: TestClient, owner: Account, role: str, name: str = "Vera") -> Account:
    """A user with `role` in the owner's tenant, switched into it."""
    member = register(client, name)
    add_member(client, owner, owner.tenant_id, member, role)
    switch(client, member, owner.tenant_id)
    return member


def history(client: TestClient, who: Account, **params: Any) -> dict[str, Any]:
    response = client.get("/api/v1/activity/history", params=params, headers=who.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def field_of(response: httpx.Response) -> str:
    """The field the (first) problem names."""
    return str(response.json()["errors"][0]["field"])
