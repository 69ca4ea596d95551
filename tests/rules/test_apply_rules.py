"""`apply_rules` as the import flow calls it: inside the caller's unit of work, on the
ids it booked, payees cleaned up first, then the enabled rules in order."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from fiscus.core.context import TenantContext
from fiscus.db.session import bind_scope
from fiscus.rules import service
from fiscus.rules.matching import is_raw_payee
from tests.rules.helpers import Books
from tests.support.builders import register


@pytest.fixture
def books(client: TestClient) -> Books:
    return Books(client, register(client, "Alice"))


def _run(factory: sessionmaker[Session], books: Books, ids: list[str]) -> service.RulesOutcome:
    owner = books.owner
    ctx = TenantContext(tenant_id=owner.tenant_id, user_id=owner.user_id, role="owner")
    with factory() as session:
        bind_scope(session, tenant_id=owner.tenant_id, user_id=owner.user_id)
        outcome = service.apply_rules(session, ctx, transaction_ids=[uuid.UUID(i) for i in ids])
        session.commit()
    return outcome


def test_imported_lines_get_clean_payees_then_the_rules(
    books: Books, session_factory: sessionmaker[Session]
) -> None:
    woolies = books.entry("EFTPOS WOOLWORTHS 1234 SYDNEY NSW AU 01/07", "-42.10")
    netflix = books.entry("PAYPAL *NETFLIX.COM", "-16.99", payee="PAYPAL *NETFLIX.COM")
    kept = books.entry("CARD 1234 THE LOCAL", "-5.00", payee="my corner shop")
    salary = books.entry("SALARY ACME PTY LTD", "3000.00")
    untouched = books.entry("EFTPOS COLES 0456 MOSMAN NSW", "-9.00")  # not in the batch
    books.rule(
        name="groceries",
        conditions={"payee": {"op": "contains", "value": "woolworths"}, "sign": "out"},
        actions={"set_category_id": books.groceries},
    )
    books.rule(
        name="salary",
        conditions={"payee": {"op": "regex", "value": "acme$"}, "category": "uncategorised"},
        actions={"set_category_id": books.salary, "add_tags": ["pay"]},
    )
    books.rule(
        name="disabled",
        enabled=False,
        conditions={},
        actions={"add_tags": ["never"]},
    )
    outcome = _run(session_factory, books, [woolies, netflix, kept, salary])
    assert outcome.changed == 3  # the payee typed by hand is not raw: left alone
    assert outcome.matched == 2
    assert outcome.categorised == 2
    assert outcome.renamed == 3
    assert books.txn(woolies)["payee"] == "Woolworths"
    assert books.txn(woolies)["simple"]["category_id"] == books.groceries
    assert books.txn(netflix)["payee"] == "Netflix"
    assert books.txn(netflix)["simple"]["category_id"] == books.uncat_expense
    assert books.txn(kept)["payee"] == "my corner shop"
    assert books.txn(salary)["payee"] == "Salary Acme"
    assert books.txn(salary)["simple"]["category_id"] == books.salary
    assert books.txn(salary)["tags"] == ["pay"]
    assert books.txn(untouched)["payee"] is None
    assert books.balance(books.groceries) == "42.10"
    assert books.balance(books.salary) == "3000.00"
    assert books.balance(books.uncat_expense) == "30.99"
    assert books.balance(books.uncat_income) == "0.00"
    verify = books.client.get("/api/v1/audit/verify", headers=books.owner.headers).json()
    assert verify["valid"] is True


def test_running_twice_changes_nothing_more(
    books: Books, session_factory: sessionmaker[Session]
) -> None:
    ids = [books.entry(f"POS {n} WOOLWORTHS METRO", "-3.00") for n in range(5)]
    books.rule(
        name="metro",
        conditions={"payee": {"op": "contains", "value": "woolworths"}},
        actions={"set_category_id": books.groceries, "add_tags": ["metro"]},
    )
    assert _run(session_factory, books, ids).changed == 5
    assert _run(session_factory, books, ids).changed == 0
    assert books.balance(books.groceries) == "15.00"


def test_unknown_and_foreign_ids_are_ignored(
    books: Books, client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    bob = Books(client, register(client, "Bob"))
    bobs = bob.entry("EFTPOS WOOLWORTHS", "-1.00")
    outcome = _run(session_factory, books, [bobs, str(uuid.uuid4())])
    assert outcome.changed == 0
    assert bob.txn(bobs)["payee"] is None


@pytest.mark.parametrize(
    ("payee", "raw"),
    [(None, True), ("", True), ("  ", True), ("WOOLWORTHS 1234", True), ("Woolworths", False),
     ("my shop", False), ("1234", False)],
)  # fmt: skip
def test_which_payees_are_raw(payee: str | None, raw: bool) -> None:
    assert is_raw_payee(payee) is raw
