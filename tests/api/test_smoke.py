from fastapi.testclient import TestClient

from tests.support.builders import register


def test_register_then_me(client: TestClient) -> None:
    alice = register(client, "Alice")
    response = client.get("/api/v1/auth/me", headers=alice.headers)
    assert response.status_code == 200
    assert response.json()["user"]["email"] == alice.email
    assert response.json()["role"] == "owner"
