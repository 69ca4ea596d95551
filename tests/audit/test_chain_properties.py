"""Properties of the hash-chain primitives, over generated events (hypothesis)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from fiscus.audit.chain import GENESIS_HASH, REDACTED, canonical_json, link_hash, redact
from fiscus.audit.service import HASHED_FIELDS

text = st.text(max_size=30)
fields = st.fixed_dictionaries(
    {
        "tenant_id": st.uuids().map(str),
        "seq": st.integers(min_value=1, max_value=10**9),
        "occurred_at": st.datetimes().map(lambda d: d.isoformat()),
        "actor_user_id": st.none() | st.uuids().map(str),
        "action": text,
        "resource_type": text,
        "resource_id": st.none() | text,
        "before": st.none() | text,
        "after": st.none() | text,
        "ip": st.none() | text,
        "user_agent": st.none() | text,
        "request_id": st.none() | text,
    }
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=20,
)


@given(fields)
def test_hashed_fields_are_the_generated_ones(event: dict[str, Any]) -> None:
    assert set(HASHED_FIELDS) == set(event)


@given(fields, st.sampled_from(HASHED_FIELDS), text)
def test_changing_any_field_changes_the_hash(
    event: dict[str, Any], field: str, replacement: str
) -> None:
    changed = {**event, field: replacement}
    if str(changed[field]) == str(event[field]):
        return
    assert link_hash(changed, GENESIS_HASH) != link_hash(event, GENESIS_HASH)


@given(fields, st.text(alphabet="0123456789abcdef", min_size=64, max_size=64))
def test_the_hash_depends_on_the_previous_link(event: dict[str, Any], prev: str) -> None:
    if prev != GENESIS_HASH:
        assert link_hash(event, prev) != link_hash(event, GENESIS_HASH)


@given(json_values)
def test_redaction_leaves_no_secret_valued_key(value: Any) -> None:
    redacted = redact({"password": value, "nested": [{"refresh_token": value}], "keep": value})
    assert redacted["password"] == REDACTED
    assert redacted["nested"][0]["refresh_token"] == REDACTED
    assert redact(redacted) == redacted  # idempotent


@given(st.dictionaries(text, json_values, max_size=6))
def test_canonical_json_is_order_independent_and_round_trips(value: dict[str, Any]) -> None:
    reordered = dict(reversed(list(value.items())))
    assert canonical_json(value) == canonical_json(reordered)
    assert json.loads(canonical_json(value)) == value
