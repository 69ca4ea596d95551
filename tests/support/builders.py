"""Small typed builders: accounts made through the real API."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


@dataclass
class Account:
    email: str
    password: str
    user_id: uuid.UUID
    tenant_id: uuid.UUID
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}

    def adopt(self, tokens: dict[str, Any]) -> None:
        self.access_token = tokens["access_token"]
        self.refresh_token = tokens["refresh_token"]
        self.tenant_id = uuid.UUID(tokens["tenant"]["id"])


def register(client: TestClient, name: str = "User", email: str | None = None) -> Account:
    email = email or f"user{next(_counter)}-{uuid.uuid4().hex[:6]}@example.com"
    response = client.post(
        "/api/v1/auth/register", json={"email": email, "password": PASSWORD, "name": name}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return Account(
        email=email,
        password=PASSWORD,
        user_id=uuid.UUID(body["user"]["id"]),
        tenant_id=uuid.UUID(body["tenant"]["id"]),
        access_token=body["access_token"],
        refresh_token=body["refresh_token"],
    )


def create_tenant(client: TestClient, owner: Account, name: str = "Acme Pty Ltd") -> uuid.UUID:
    response = client.post(
        "/api/v1/tenants", json={"name": name, "kind": "business"}, headers=owner.headers
    )
    assert response.status_code == 201, response.text
    return uuid.UUID(response.json()["id"])


def add_member(
    client: TestClient, owner: Account, tenant_id: uuid.UUID, member: Account, role: str
) -> None:
    response = client.post(
        f"/api/v1/tenants/{tenant_id}/members",
        json={"email": member.email, "role": role},
        headers=owner.headers,
    )
    assert response.status_code == 201, response.text


def switch(client: TestClient, account: Account, tenant_id: uuid.UUID) -> None:
    response = client.post(
        "/api/v1/auth/switch-tenant", json={"tenant_id": str(tenant_id)}, headers=account.headers
    )
    assert response.status_code == 200, response.text
    account.adopt(response.json())
