"""The account list rendered from plain values (`service.accounts_json_from`) is byte for
byte the JSON of the declared model (`list[AccountRead]`), for any values the account
table can hold."""

from __future__ import annotations

import typing
from datetime import UTC
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from fiscus.core.currency import CURRENCIES
from fiscus.ledger import service
from fiscus.ledger.models import Account
from fiscus.ledger.repository import listed_rows_of
from fiscus.ledger.schemas import AccountRead, AccountType, Subtype

stored = st.characters(codec="utf-8")  # no database holds a lone surrogate
texts = st.text(stored, max_size=20)
stamps = st.datetimes(timezones=st.just(UTC))

accounts = st.fixed_dictionaries(
    {
        "id": st.uuids(),
        "name": texts,
        "type": st.sampled_from(typing.get_args(AccountType)),
        "subtype": st.sampled_from(typing.get_args(Subtype)),
        "parent_id": st.none() | st.uuids(),
        "code": st.none() | texts,
        "currency": st.sampled_from(sorted(CURRENCIES)),
        "institution": st.none() | texts,
        "last_four": st.none() | st.from_regex(r"\A[0-9]{4}\Z"),
        "credit_limit": st.none() | st.integers(min_value=0, max_value=2**63 - 1),
        "opened_on": st.none() | st.dates(),
        "is_hidden": st.booleans(),
        "is_archived": st.booleans(),
        "display_order": st.integers(min_value=-(2**31), max_value=2**31 - 1),
        "colour": st.none() | texts,
        "icon": st.none() | texts,
        "tax_label": st.none() | texts,
        "created_at": stamps,
        "updated_at": stamps,
    }
)
MODELS = TypeAdapter(list[AccountRead])


def as_rows(items: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """The rows `account_list_read` would return: its columns in its order (the
    tenant's id among them), whatever order the fields were generated in."""
    keys = Account.__table__.c.keys()
    return [tuple(item.get(key) for key in keys) for item in items]


@given(st.lists(accounts, max_size=5))
def test_the_account_list_renders_as_its_model(items: list[dict[str, Any]]) -> None:
    rows = as_rows(items)
    models = [AccountRead.model_validate(service.account_fields(r)) for r in listed_rows_of(rows)]
    assert service.accounts_json_from(rows) == MODELS.dump_json(models)
