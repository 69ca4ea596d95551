"""The life of a return over HTTP: ready, lodged (immutable), amended (diff),
retention of lodged returns, provenance of figures, audit and permissions."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.support.builders import Account, add_member, register, switch
from tests.tax.returns_helpers import (
    bad_fields,
    call,
    create,
    full_return_data,
    lodge,
    lodge_request,
)


@pytest.fixture
def alice(client: TestClient) -> Account:
    return register(client, "Alice")


def test_a_lodged_return_is_immutable(client: TestClient, alice: Account) -> None:
    made = create(client, alice, full_return_data())
    rid = made["id"]
    assert made["status"] == "draft"
    not_ready = lodge_request(client, alice, rid, reference="R1")
    assert (not_ready.status_code, not_ready.json()["code"]) == (409, "tax_return_status")
    ready = call(client, alice, "POST", f"/{rid}/status", {"status": "ready"}).json()
    assert ready["status"] == "ready"
    assert ready["assessment"]["refund_or_owed"] == "-995.68"
    unconfirmed = lodge_request(client, alice, rid, confirm=False, reference="R1")
    assert bad_fields(unconfirmed) == {"confirm"}
    future = lodge_request(client, alice, rid, reference="R1", on="2099-01-01")
    assert bad_fields(future) == {"lodged_on"}
    lodged = lodge_request(client, alice, rid).json()
    assert lodged["status"] == "lodged"
    assert lodged["lodgement"]["reference"] == "ATO-123456789"
    assert lodged["lodgement"]["retention_ends"] == "2032-09-15"
    for method, body in (("PUT", {}), ("PATCH", {"deductions": {"d1_car": "1.00"}})):
        refused = call(client, alice, method, f"/{rid}", body)
        assert (refused.status_code, refused.json()["code"]) == (409, "tax_return_lodged")
        assert "lodged on 2025-09-15" in refused.json()["detail"]
        assert f"/api/v1/tax/returns/{rid}/amend" in refused.json()["detail"]
    back = call(client, alice, "POST", f"/{rid}/status", {"status": "draft"})
    assert back.status_code == 409
    again = call(client, alice, "POST", f"/{rid}/calculate")
    assert again.json()["refund_or_owed"] == "-995.68"  # the lodged assessment stands
    after = call(client, alice, "GET", f"/{rid}").json()
    assert after["data"] == made["data"]


def test_an_edit_of_a_ready_return_puts_it_back_to_draft(
    client: TestClient, alice: Account
) -> None:
    rid = create(client, alice, full_return_data())["id"]
    call(client, alice, "POST", f"/{rid}/status", {"status": "ready"})
    edited = call(client, alice, "PATCH", f"/{rid}", {"deductions": {"d3_clothing": "150"}}).json()
    assert (edited["status"], edited["assessment"]) == ("draft", None)
    assert edited["data"]["deductions"]["d3_clothing"]["amount"] == "150.00"
    assert edited["data"]["deductions"]["d1_car"]["amount"] == "1200.00"  # merged, kept


def test_amendment_is_a_new_version_with_a_diff(client: TestClient, alice: Account) -> None:
    original = create(client, alice, full_return_data())
    rid = original["id"]
    early = call(client, alice, "POST", f"/{rid}/amend")
    assert (early.status_code, early.json()["code"]) == (409, "tax_return_status")
    lodge(client, alice, rid)
    amended = call(client, alice, "POST", f"/{rid}/amend")
    assert amended.status_code == 201, amended.text
    new = amended.json()
    assert (new["version"], new["status"], new["previous_id"]) == (2, "draft", rid)
    assert new["data"] == original["data"]
    assert call(client, alice, "GET", f"/{rid}").json()["next_id"] == new["id"]
    twice = call(client, alice, "POST", f"/{rid}/amend")
    assert twice.status_code == 409
    # A forgotten D4 course of 1,000.00: taxable income falls by 1,000 to 85,649, so
    # tax falls 30 % x 1,000 = 300.00 and the levy 2 % x 1,000 = 20.00: 320.00 more back.
    patched = call(
        client, alice, "PATCH", f"/{new['id']}", {"deductions": {"d4_self_education": "1000"}}
    )
    assert patched.status_code == 200, patched.text
    diff = call(client, alice, "GET", f"/{new['id']}/diff")
    assert diff.status_code == 200, diff.text
    body = diff.json()
    assert (body["against_id"], body["against_version"], body["version"]) == (rid, 1, 2)
    assert body["changes"] == [
        {
            "path": "deductions.d4_self_education",
            "code": "D4",
            "label": "Work-related self-education expenses",
            "before": "0.00",
            "after": "1000.00",
        }
    ]
    assert body["refund_or_owed"] == {"before": "-995.68", "after": "-675.68", "change": "320.00"}
    first = call(client, alice, "GET", f"/{rid}/diff")
    assert (first.status_code, first.json()["code"]) == (409, "tax_return_not_amended")
    versions = call(client, alice, "GET", "?person=Alice Example").json()["items"]
    assert [v["version"] for v in versions] == [2, 1]


def test_lodged_returns_are_retained(
    client: TestClient, alice: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = create(client, alice, name="Draft Person")
    assert call(client, alice, "DELETE", f"/{draft['id']}").status_code == 204
    assert call(client, alice, "GET", f"/{draft['id']}").status_code == 404
    old = create(client, alice, name="Old Return", year="2019-20")
    lodge(client, alice, old["id"], on="2020-10-31")
    refused = call(client, alice, "DELETE", f"/{old['id']}")
    assert (refused.status_code, refused.json()["code"]) == (409, "tax_return_retained")
    assert "2027-10-31" in refused.json()["detail"]
    assert call(client, alice, "GET", f"/{old['id']}").status_code == 200
    monkeypatch.setattr(client.app.state.settings, "tax_retention_years", 5)  # type: ignore[attr-defined]
    read = call(client, alice, "GET", f"/{old['id']}").json()
    assert read["lodgement"]["retention_ends"] == "2025-10-31"
    assert call(client, alice, "DELETE", f"/{old['id']}").status_code == 204


def test_prefill_provenance_is_kept_only_while_true(client: TestClient, alice: Account) -> None:
    """A client cannot claim a figure came from the books: only prefill sets that."""
    claimed = {"amount": "50.00", "source": "prefill", "transaction_ids": [str(alice.user_id)]}
    made = create(client, alice, {"deductions": {"d9_gifts": claimed}})
    assert made["data"]["deductions"]["d9_gifts"] == {
        "amount": "50.00",
        "source": "user",
        "transaction_ids": [],
    }


def test_changes_are_audited(client: TestClient, alice: Account) -> None:
    rid = create(client, alice, full_return_data())["id"]
    call(client, alice, "PATCH", f"/{rid}", {"dependants": 1})
    lodge(client, alice, rid)
    call(client, alice, "POST", f"/{rid}/amend")
    logs = client.get("/api/v1/audit/logs", params={"limit": 200}, headers=alice.headers).json()
    actions = [e["action"] for e in logs["items"] if e["resource_type"] == "tax_return"]
    for action in ("create", "update", "calculate", "status", "lodge", "amend"):
        assert f"tax.return.{action}" in actions


def test_a_viewer_reads_but_cannot_change(client: TestClient, alice: Account) -> None:
    rid = create(client, alice)["id"]
    viewer = register(client, "Vic")
    add_member(client, alice, alice.tenant_id, viewer, "viewer")
    switch(client, viewer, alice.tenant_id)
    assert call(client, viewer, "GET", f"/{rid}").status_code == 200
    assert call(client, viewer, "GET", f"/{rid}/summary.pdf").status_code == 200
    for method, path, body in (
        ("PATCH", f"/{rid}", {"dependants": 2}),
        ("POST", f"/{rid}/calculate", None),
        ("DELETE", f"/{rid}", None),
        ("POST", "", {"person": {"name": "V"}, "year": "2024-25"}),
    ):
        assert call(client, viewer, method, path, body).status_code == 403
