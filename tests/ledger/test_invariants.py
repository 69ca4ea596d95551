"""Property tests of the ledger's invariants (hypothesis)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, text

from fiscus.core.money import Money
from fiscus.ledger.postings import Unbalanced, check_balanced
from tests.support.builders import register

cents = st.integers(min_value=-(10**12), max_value=10**12).filter(lambda c: c != 0)
currencies = st.sampled_from(["AUD", "USD", "JPY"])


@given(st.lists(st.tuples(cents, currencies), min_size=1, max_size=12))
def test_check_balanced_accepts_exactly_the_entries_that_sum_to_zero(
    legs: list[tuple[int, str]],
) -> None:
    amounts = [Money.from_minor(c, cur) for c, cur in legs]
    totals: dict[str, int] = {}
    for c, cur in legs:
        totals[cur] = totals.get(cur, 0) + c
    if any(totals.values()):
        with pytest.raises(Unbalanced):
            check_balanced(amounts)
    closing = [Money.from_minor(-t, cur) for cur, t in totals.items() if t]
    check_balanced(amounts + closing)  # closing every currency always balances


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.lists(cents.map(lambda c: c % 10**9 or 1), min_size=1, max_size=5),
        min_size=1,
        max_size=4,
    )
)
def test_every_posted_entry_balances_and_the_trial_balance_is_zero(
    client: TestClient, connection: Connection, entries: list[list[int]]
) -> None:
    owner = register(client)
    accounts = [
        client.post(
            "/api/v1/accounts", json={"name": f"A{i}", "type": t}, headers=owner.headers
        ).json()["id"]
        for i, t in enumerate(["asset", "liability", "expense", "income", "equity"])
    ]
    posted = 0
    for legs in entries:
        postings: list[dict[str, Any]] = [
            {"account_id": accounts[i % 5], "amount": str(Decimal(c).scaleb(-2))}
            for i, c in enumerate(legs)
        ]
        postings.append({"account_id": accounts[4], "amount": str(Decimal(-sum(legs)).scaleb(-2))})
        postings = [p for p in postings if Decimal(p["amount"]) != 0]
        if len(postings) < 2:
            continue
        response = client.post(
            "/api/v1/transactions",
            json={"date": "2025-07-01", "description": "generated", "postings": postings},
            headers=owner.headers,
        )
        assert response.status_code == 201, response.text
        posted += len(postings)
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(owner.tenant_id)}
        )
    tenant = owner.tenant_id.hex if connection.dialect.name == "sqlite" else owner.tenant_id
    per_transaction = connection.execute(
        text(
            "SELECT transaction_id, sum(amount) FROM posting WHERE tenant_id = :t "
            "GROUP BY transaction_id, currency HAVING sum(amount) <> 0"
        ),
        {"t": tenant},
    ).all()
    assert per_transaction == []
    count, trial = connection.execute(
        text("SELECT count(*), coalesce(sum(amount), 0) FROM posting WHERE tenant_id = :t"),
        {"t": tenant},
    ).one()
    assert (count, trial) == (posted, 0)
