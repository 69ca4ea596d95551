"""`POST /api/v1/transactions` answers every request as the route FastAPI used to parse.

The route reads its body and header itself (`web/deps_write.write_json`, one thread-pool
hop). To pin that nothing a client sees changed, the previous route — `Writer` and
`DbSession` dependencies, the body declared as `dict[str, Any]`, the form validated in
the route — is mounted next to it (outside the OpenAPI document) and both get the same
requests: malformed JSON with and without a token, other content types, non-object
bodies, a bad Idempotency-Key, bad fields of either form, a viewer, a domain error, and
a valid entry of each form. Status, problem body and created entry must be the same.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from fastapi import Body, Response, status
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from fiscus.ledger import transactions as service
from fiscus.ledger.api_transactions import IdempotencyKey, Writer, _parse, transaction_read
from fiscus.ledger.schemas_transactions import JournalTransactionCreate, SimpleTransactionCreate
from fiscus.web.deps import DbSession
from tests.support.builders import Account, add_member, create_tenant, register, switch

NEW = "/api/v1/transactions"
OLD = "/api/v1/reference-create-transaction"


def _reference(
    ctx: Writer,
    session: DbSession,
    body: Annotated[dict[str, Any], Body(description="simple form, or journal form with postings")],
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """The route as it was before `write_json` (commit 0f6c9c1)."""
    if "postings" in body:
        entry = service.create_journal(
            session, ctx, _parse(JournalTransactionCreate, body), key=idempotency_key
        )
    else:
        entry = service.create_simple(
            session, ctx, _parse(SimpleTransactionCreate, body), key=idempotency_key
        )
    content = transaction_read(*entry).model_dump_json()
    return Response(content, status.HTTP_201_CREATED, media_type="application/json")


@pytest.fixture
def both(client: TestClient) -> Iterator[TestClient]:
    routes = client.app.router.routes  # type: ignore[attr-defined]
    route = APIRoute(OLD, _reference, methods=["POST"], include_in_schema=False)
    routes.insert(0, route)
    yield client
    routes.remove(route)


class Chart:
    def __init__(self, client: TestClient, owner: Account) -> None:
        self.owner = owner
        ids = {}
        for name, type_ in (("Bank", "asset"), ("Food", "expense"), ("Pay", "income")):
            response = client.post(
                "/api/v1/accounts", json={"name": name, "type": type_}, headers=owner.headers
            )
            assert response.status_code == 201, response.text
            ids[name] = response.json()["id"]
        self.bank, self.food, self.pay = ids["Bank"], ids["Food"], ids["Pay"]

    def simple(self, **change: Any) -> dict[str, Any]:
        body = {
            "date": "2025-07-03",
            "description": "Shop",
            "amount": "5.00",
            "type": "expense",
            "account_id": self.bank,
            "category_id": self.food,
        }
        return {**body, **change}

    def journal(self, **change: Any) -> dict[str, Any]:
        body = {
            "date": "2025-07-04",
            "description": "Split",
            "postings": [
                {"account_id": self.food, "amount": "7.50"},
                {"account_id": self.bank, "amount": "-7.50", "memo": "card"},
            ],
        }
        return {**body, **change}


_keys = itertools.count(1)


def _same_answer(
    client: TestClient, content: bytes, headers: dict[str, str]
) -> tuple[int, dict[str, Any]]:
    answers = []
    for path in (OLD, NEW):
        response = client.post(path, content=content, headers=headers)
        body = response.json()
        for volatile in ("instance", "request_id", "id", "created_at", "updated_at"):
            body.pop(volatile, None)
        for posting in body.get("postings", []):
            posting.pop("id")
        answers.append((response.status_code, response.headers["content-type"], body))
    assert answers[0] == answers[1], (content, headers)
    return answers[1][0], answers[1][2]


def _json(value: Any) -> bytes:
    return json.dumps(value).encode()


def test_every_kind_of_request_gets_the_answer_it_got_before(both: TestClient) -> None:
    owner = register(both)
    chart = Chart(both, owner)
    auth = {**owner.headers, "Content-Type": "application/json"}
    no_auth = {"Content-Type": "application/json"}
    cases: list[tuple[bytes, dict[str, str], int]] = [
        (b'{"date": ', no_auth, 422),  # not JSON: 422 before authentication
        (b'{"date": ', auth, 422),
        (b"\xff\xfe{", auth, 400),  # not readable as text
        (_json(chart.simple()), no_auth, 401),
        (_json(chart.simple()), {**no_auth, "Authorization": "Bearer nope"}, 401),
        (b"", auth, 422),  # no body
        (b"[1, 2]", auth, 422),
        (b'"text"', auth, 422),
        (b"null", auth, 422),
        (b"{}", auth, 422),
        (_json(chart.simple()), {**owner.headers, "Content-Type": "text/plain"}, 422),
        (_json(chart.simple()), owner.headers, 422),  # no content type
        (_json(chart.simple(amount="-5")), auth, 422),
        (_json(chart.simple(amount=5)), auth, 422),
        (_json(chart.simple(date="2025-02-30", description="")), auth, 422),
        (_json(chart.simple(type="refund", extra=1)), auth, 422),
        (_json(chart.simple(account_id=chart.food)), auth, 422),  # a domain error
        (_json(chart.simple(description="postings")), auth, 201),  # the word, not the key
        (_json(chart.simple(tags=["ok", "no/slash"])), auth, 422),
        (_json(chart.journal(postings=[{"account_id": chart.bank, "amount": "1"}])), auth, 422),
        (_json(chart.journal(postings=[{"account_id": "x", "amount": "1"}] * 2)), auth, 422),
        (_json(chart.journal(postings="none")), auth, 422),
        (_json(chart.journal(postings=None)), auth, 422),
        (_json(chart.journal(type="expense")), auth, 422),
        (b'{"\\u0070ostings": []}', auth, 422),  # an escaped key is still the key
        (_json(chart.simple()), {**auth, "Idempotency-Key": "has space"}, 422),
        (_json(chart.simple()), {**auth, "Idempotency-Key": "k" * 101}, 422),
        (b"[1]", {**auth, "Idempotency-Key": "k" * 101}, 422),  # header and body errors
        (_json(chart.simple(amount="x")), {**auth, "Idempotency-Key": "k" * 101}, 422),
        (_json(chart.simple()), {**owner.headers, "Content-Type": "application/vnd.x+json"}, 201),
        (
            _json(chart.simple()),
            {**owner.headers, "Content-Type": "application/json; charset=utf-8"},
            201,
        ),
        (_json(chart.simple(tags=["B", "a", "a "], payee=" Coles ", status="cleared")), auth, 201),
        (_json(chart.journal()), auth, 201),
        (_json(chart.simple(type="income", category_id=chart.pay)), auth, 201),
    ]
    for content, headers, expected in cases:
        status_code, body = _same_answer(both, content, headers)
        assert status_code == expected, (content, headers, body)
        if status_code == 422 and content[:1] == b"{" and "Idempotency" not in str(headers):
            assert body.get("errors"), body  # every 422 names its fields
    # the same Idempotency-Key returns the entry it created, on either route
    key = {**auth, "Idempotency-Key": f"key-{next(_keys)}"}
    first = both.post(NEW, content=_json(chart.simple(amount="9.99")), headers=key).json()
    again = both.post(NEW, content=_json(chart.simple(amount="1.00")), headers=key).json()
    older = both.post(OLD, content=_json(chart.simple(amount="1.00")), headers=key).json()
    assert first["id"] == again["id"] == older["id"]
    assert again["simple"]["amount"] == "9.99"


def test_a_viewer_is_refused_before_the_body_is_read(both: TestClient) -> None:
    owner, viewer = register(both), register(both)
    tenant = create_tenant(both, owner)
    switch(both, owner, tenant)
    chart = Chart(both, owner)
    add_member(both, owner, tenant, viewer, "viewer")
    switch(both, viewer, tenant)
    headers = {**viewer.headers, "Content-Type": "application/json"}
    for content in (_json(chart.simple()), b"[1]", _json(chart.simple(amount="x"))):
        assert _same_answer(both, content, headers)[0] == 403
    assert _same_answer(both, b"{not json", headers)[0] == 422
    listed = both.get("/api/v1/transactions", headers=owner.headers).json()
    assert listed["items"] == []


def test_the_openapi_document_still_describes_the_body_and_the_header(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"][NEW]["post"]
    assert operation["operationId"] == "create_transaction_api_v1_transactions_post"
    body = operation["requestBody"]
    assert body["required"] is True
    assert body["content"]["application/json"]["schema"]["type"] == "object"
    assert [(p["name"], p["in"]) for p in operation["parameters"]] == [
        ("Idempotency-Key", "header")
    ]
    assert operation["parameters"][0]["schema"]["anyOf"][0]["maxLength"] == 100
    created = operation["responses"]["201"]["content"]["application/json"]["schema"]
    assert created == {"$ref": "#/components/schemas/TransactionRead"}
    assert "422" in operation["responses"]
