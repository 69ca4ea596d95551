"""An import's rules run once per distinct decision key (`service_import.run_distinct`)
and every line gets exactly the plan `matching.run` gives it when run line by line."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fiscus.ledger.entry_rows import EntryRow
from fiscus.rules.matching import AccountInfo, Plan, compile_rule, run
from fiscus.rules.schemas import Actions, Conditions
from fiscus.rules.service_import import reads_of, run_distinct

BANK, SAVINGS, FOOD, FUEL, PAY = (uuid.uuid4() for _ in range(5))
UNCAT_OUT, UNCAT_IN, OLD = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
ACCOUNTS = {
    BANK: AccountInfo(BANK, "Bank", "asset", "AUD", False),
    SAVINGS: AccountInfo(SAVINGS, "Savings", "asset", "AUD", False),
    FOOD: AccountInfo(FOOD, "Food", "expense", "AUD", False),
    FUEL: AccountInfo(FUEL, "Fuel", "expense", "AUD", False),
    PAY: AccountInfo(PAY, "Pay", "income", "AUD", False),
    OLD: AccountInfo(OLD, "Old", "expense", "AUD", True),
    UNCAT_OUT: AccountInfo(UNCAT_OUT, "Uncategorised expense", "expense", "AUD", False),
    UNCAT_IN: AccountInfo(UNCAT_IN, "Uncategorised income", "income", "AUD", False),
}
TEXTS = [
    "EFTPOS WOOLWORTHS {n} SYDNEY AU",
    "EFTPOS WOOLWORTHS METRO {n} RYDE",
    "VISA PURCHASE 7-ELEVEN {n} GLEBE",
    "SHELL COLES EXPRESS {n}",
    "SALARY ACME PTY LTD",
    "TRANSFER TO SAVINGS {n}",
    "SQ *GLORIA JEANS {n}",
]
WORDS = ["woolworths", "metro", "7-eleven", "shell", "acme", "savings", "1234", "gloria"]

texts = st.builds(
    lambda t, n: t.format(n=n), st.sampled_from(TEXTS), st.sampled_from(["1234", "0457", "9", ""])
)
payees = st.one_of(st.none(), st.just(""), texts, st.sampled_from(["My shop", "Acme"]))


@st.composite
def rows(draw: Any) -> EntryRow:
    money_in = draw(st.booleans())
    amount = draw(st.sampled_from([100, 999, 1000, 4210, 50_000]))
    return EntryRow(
        id=uuid.uuid4(),
        occurred_on=date(2025, 7, draw(st.integers(1, 5))),
        description=draw(texts),
        payee=draw(payees),
        tags=draw(st.sampled_from([(), ("food",)])),
        kind="income" if money_in else "expense",
        status=draw(st.sampled_from(["cleared", "reconciled"])),
        currency="AUD",
        amount=amount,
        signed=amount if money_in else -amount,
        account_id=BANK,
        category_id=UNCAT_IN if money_in else draw(st.sampled_from([UNCAT_OUT, FUEL])),
        counter_id=None,
    )


@st.composite
def rules(draw: Any) -> tuple[Conditions, Actions, bool]:
    conditions: dict[str, Any] = {}
    for field in ("payee", "description"):
        if draw(st.booleans()):
            op = draw(st.sampled_from(["contains", "regex"]))
            word = draw(st.sampled_from(WORDS))
            conditions[field] = {"op": op, "value": f"^{word}" if op == "regex" else word}
    if draw(st.booleans()):
        conditions["amount_min"] = draw(st.sampled_from(["1", "9.99", "42.10"]))
    if draw(st.booleans()):
        conditions["date_to"] = "2025-07-03"
    if draw(st.booleans()):
        conditions["sign"] = draw(st.sampled_from(["in", "out"]))
    if draw(st.booleans()):
        conditions["category"] = draw(st.sampled_from(["uncategorised", str(FUEL)]))
    actions: dict[str, Any] = {}
    choice = draw(st.sampled_from(["category", "transfer", "none"]))
    if choice == "category":
        actions["set_category_id"] = str(draw(st.sampled_from([FOOD, FUEL, PAY, OLD])))
    elif choice == "transfer":
        actions["transfer_account_id"] = str(draw(st.sampled_from([SAVINGS, BANK])))
    if draw(st.booleans()):
        actions["rename_payee"] = draw(st.sampled_from(["Acme", "WOOLWORTHS", "Shell"]))
    if draw(st.booleans()) or not actions:
        actions["add_tags"] = [draw(st.sampled_from(["food", "car", "Pay"]))]
    return (
        Conditions.model_validate(conditions),
        Actions.model_validate(actions),
        draw(st.booleans()),
    )


def _plan(plan: Plan) -> tuple[Any, ...]:
    return (plan.row, plan.before, plan.after, plan.rules, plan.skipped, plan.changed)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rows(), max_size=40), st.lists(rules(), max_size=5))
def test_each_distinct_key_once_gives_every_line_its_own_plan(
    lines: list[EntryRow], saved: list[tuple[Conditions, Actions, bool]]
) -> None:
    compiled = [
        compile_rule(
            uuid.uuid4(),
            f"rule {i}",
            stop,
            conditions,
            actions,
            amount_currency="AUD",
            uncategorised={UNCAT_OUT, UNCAT_IN},
        )
        for i, (conditions, actions, stop) in enumerate(saved)
    ]
    reads = reads_of([c for c, _, _ in saved])
    distinct = run_distinct(lines, compiled, reads, ACCOUNTS)
    per_line = run(lines, compiled, ACCOUNTS, clean_payees=True)
    assert [_plan(p) for p in distinct] == [_plan(p) for p in per_line]


def test_lines_that_differ_only_in_their_numbers_share_one_run() -> None:
    (conditions, actions) = (
        Conditions.model_validate({"payee": {"op": "contains", "value": "woolworths"}}),
        Actions.model_validate({"set_category_id": str(FOOD)}),
    )
    compiled = [
        compile_rule(
            None,
            "woolies",
            False,
            conditions,
            actions,
            amount_currency="AUD",
            uncategorised={UNCAT_OUT},
        )
    ]
    lines = [
        EntryRow(
            id=uuid.uuid4(),
            occurred_on=date(2025, 7, day),
            description=f"EFTPOS WOOLWORTHS {n}",
            payee=None,
            tags=(),
            kind="expense",
            status="cleared",
            currency="AUD",
            amount=amount,
            signed=-amount,
            account_id=BANK,
            category_id=UNCAT_OUT,
            counter_id=None,
        )
        for day, n, amount in ((1, 1234, 500), (2, 9981, 725), (3, 457, 1820))
    ]
    plans = run_distinct(lines, compiled, reads_of([conditions]), ACCOUNTS)
    assert [p.row for p in plans] == lines
    assert len({id(p.after) for p in plans}) == 1  # one run, shared
    assert plans[0].after.payee == "Woolworths"
    assert plans[0].after.category_id == FOOD
