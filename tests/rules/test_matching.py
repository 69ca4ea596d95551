"""The engine alone: order, a later rule seeing an earlier rule's rename, stop-processing."""

from __future__ import annotations

import uuid
from datetime import date

from fiscus.ledger.entry_rows import EntryRow
from fiscus.rules.matching import AccountInfo, CompiledRule, compile_rule, run
from fiscus.rules.schemas import Actions, Conditions

BANK, FOOD, UNCAT = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
ACCOUNTS = {
    BANK: AccountInfo(BANK, "Bank", "asset", "AUD", False),
    FOOD: AccountInfo(FOOD, "Food", "expense", "AUD", False),
    UNCAT: AccountInfo(UNCAT, "Uncategorised expense", "expense", "AUD", False),
}


def _row(payee: str | None, description: str = "LINE") -> EntryRow:
    return EntryRow(
        id=uuid.uuid4(), occurred_on=date(2025, 7, 1), description=description, payee=payee,
        tags=(), kind="expense", status="cleared", currency="AUD", amount=1000, signed=-1000,
        account_id=BANK, category_id=UNCAT, counter_id=None,
    )  # fmt: skip


def _rule(name: str, payee: str | None, stop: bool = False, **actions: object) -> CompiledRule:
    conditions = Conditions.model_validate(
        {"payee": {"op": "contains", "value": payee}} if payee else {}
    )
    return compile_rule(
        None, name, stop, conditions, Actions.model_validate(actions),
        amount_currency="AUD", uncategorised={UNCAT},
    )  # fmt: skip


def test_a_later_rule_sees_the_payee_an_earlier_one_set() -> None:
    rules = [
        _rule("old name only", "xyz", add_tags=["old"]),
        _rule("rename", "xyz", rename_payee="Acme"),
        _rule("before rename (never again)", "xyz", add_tags=["after-old"]),
        _rule("new name", "acme", add_tags=["new"], set_category_id=str(FOOD)),
    ]
    (plan,) = run([_row("XYZ 123")], rules, ACCOUNTS, clean_payees=False)
    assert plan.rules == ["old name only", "rename", "new name"]
    assert plan.after.payee == "Acme"
    assert plan.after.tags == ("new", "old")
    assert plan.after.category_id == FOOD


def test_stop_processing_ends_the_run_and_rules_without_a_payee_condition_run_for_all() -> None:
    rules = [
        _rule("everyone", None, add_tags=["all"]),
        _rule("stop", "shop", True, add_tags=["shop"]),
        _rule("after stop", None, add_tags=["late"]),
    ]
    shop, other = run([_row("Shop"), _row("Cafe")], rules, ACCOUNTS, clean_payees=False)
    assert shop.after.tags == ("all", "shop")
    assert other.after.tags == ("all", "late")


def test_clean_payees_fills_an_empty_payee_from_the_description() -> None:
    rules = [_rule("woolies", "woolworths", set_category_id=str(FOOD))]
    rows = [_row(None, "EFTPOS WOOLWORTHS 1234 SYDNEY NSW"), _row("my own shop")]
    cleaned, kept = run(rows, rules, ACCOUNTS, clean_payees=True)
    assert cleaned.after.payee == "Woolworths"
    assert cleaned.after.category_id == FOOD
    assert kept.after.payee == "my own shop"
    assert not kept.changed
