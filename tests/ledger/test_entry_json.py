"""An entry's JSON rendered from plain values (`api_transactions.entry_json`, the list
page's `_page_json`) is byte for byte the JSON of the declared models (`TransactionRead`,
`TransactionPage`), for any values the tables can hold."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from fiscus.core.currency import CURRENCIES
from fiscus.ledger import list_cursor
from fiscus.ledger.api_transactions import ListPaging, _page_json, entry_json, transaction_read
from fiscus.ledger.page_rows import EntryRows, PostingRow, TransactionRow
from fiscus.ledger.repository_transactions import Window
from fiscus.ledger.schemas_transactions import TransactionPage

stored = st.characters(codec="utf-8")  # no database holds a lone surrogate
texts = st.text(stored, max_size=30)
stamps = st.datetimes(timezones=st.just(UTC))
tags = st.lists(
    st.text(
        st.characters(codec="utf-8", blacklist_characters=","),
        min_size=1,
        max_size=8,
    )
)
rates = st.decimals(min_value=Decimal("0.000001"), max_value=Decimal("999999"), places=6)

legs = st.builds(
    PostingRow,
    id=st.uuids(),
    account_id=st.uuids(),
    amount=st.integers(min_value=-(2**63), max_value=2**63 - 1),
    currency=st.sampled_from(sorted(CURRENCIES)),
    rate=st.none() | rates,
    memo=st.none() | texts,
)
heads = st.builds(
    TransactionRow,
    id=st.uuids(),
    occurred_on=st.dates(),
    description=texts,
    payee=st.none() | texts,
    notes=st.none() | texts,
    tags=tags.map(lambda names: f",{','.join(names)}," if names else ""),
    status=st.sampled_from(["pending", "cleared", "reconciled"]),
    kind=st.sampled_from(["income", "expense", "transfer", "journal"]),
    deleted_at=st.none() | stamps,
    created_at=stamps,
    updated_at=stamps,
)
entries = st.tuples(heads, st.lists(legs, max_size=4))
newest_keys = st.tuples(st.dates(), stamps, st.uuids())  # the sort "-date"'s keys


@given(entries)
def test_an_entry_renders_as_its_model(entry: EntryRows) -> None:
    assert entry_json(*entry) == transaction_read(*entry).model_dump_json().encode()


@given(
    st.lists(entries, max_size=4),
    st.booleans(),
    st.none() | st.integers(min_value=0, max_value=10**6),
    st.integers(min_value=1, max_value=10**6),
    st.integers(min_value=1, max_value=200),
    st.none() | newest_keys,
    st.none() | newest_keys,
)
def test_a_page_renders_as_its_model(
    items: list[EntryRows],
    more: bool,
    total: int | None,
    page: int,
    limit: int,
    after: tuple[Any, ...] | None,
    next_after: tuple[Any, ...] | None,
) -> None:
    paging = ListPaging(page if after is None else 1, limit, "-date", after)
    model = TransactionPage(
        items=[transaction_read(*entry) for entry in items],
        page=page if after is None else None,
        limit=limit,
        total=total,
        total_pages=None if total is None else (total + limit - 1) // limit,
        has_more=more,
        next_cursor=None if next_after is None else list_cursor.encode("-date", next_after),
    )
    window = Window(items, more, total, next_after)
    assert _page_json(window, paging) == model.model_dump_json().encode()


def test_a_known_entry_renders_as_expected() -> None:
    stamp = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    head = TransactionRow(
        uuid.UUID(int=1), stamp.date(), 'Caf\u00e9 "x"', None, "a\nb", ",food,", "cleared",
        "expense", None, stamp, stamp.replace(microsecond=120000),
    )  # fmt: skip
    legs = [
        PostingRow(uuid.UUID(int=2), uuid.UUID(int=3), 1234, "AUD", None, None),
        PostingRow(uuid.UUID(int=4), uuid.UUID(int=5), -1234, "AUD", Decimal("1.500000"), "m"),
    ]
    rendered = entry_json(head, legs).decode()
    assert '"description":"Caf\u00e9 \\"x\\""' in rendered
    assert '"notes":"a\\nb"' in rendered
    assert '"tags":["food"]' in rendered
    assert (
        '"created_at":"2025-01-02T03:04:05Z","updated_at":"2025-01-02T03:04:05.120000Z"' in rendered
    )
    assert '"amount":"-12.34","currency":"AUD","rate":"1.5","memo":"m"' in rendered
    assert '"simple":{"type":"expense","amount":"12.34"' in rendered
