"""The insights routes over HTTP: categorise, suggestions, the review queue, the model."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from tests.insights.helpers import Books
from tests.support.builders import add_member, register, switch


@pytest.fixture
def books(client: TestClient) -> Books:
    books = Books(client, register(client, "Alice"))
    books.teach()
    return books


def test_hand_categorised_entries_are_the_examples(books: Books) -> None:
    status = books.model()
    assert (status["examples"], status["categories"]) == (7, 3)
    assert status["auto_apply"] is True
    assert 0 < status["auto_threshold"] <= 1


def test_a_suggestion_has_a_confidence_and_up_to_three_alternatives(books: Books) -> None:
    txn = books.imported("EFTPOS WOOLWORTHS 5678 BONDI JUNCTION")
    read = books.suggestion(txn)
    assert read["status"] is None  # never suggested: read on demand
    assert read["suggestion"]["category_id"] == books.groceries
    assert read["suggestion"]["category_name"] == "Groceries"
    alternatives = read["alternatives"]
    assert {a["category_id"] for a in alternatives} == {books.home, books.fuel}
    confidences = [read["suggestion"]["confidence"], *(a["confidence"] for a in alternatives)]
    assert confidences == sorted(confidences, reverse=True)
    assert 0 < sum(confidences) <= 1.0001
    # never an Uncategorised or income category for an expense
    assert books.uncat_expense not in {a["category_id"] for a in alternatives}


def test_confident_suggestions_are_applied_and_marked_auto(books: Books) -> None:
    books.set_threshold(0.5)
    sure = books.imported("EFTPOS WOOLWORTHS 9 NEWTOWN")
    unsure = books.imported("SQ *SOMETHING NEW 44")
    assert books.categorise(sure, unsure) == {"considered": 2, "applied": 1, "queued": 1}
    assert books.category_of(sure) == books.groceries
    assert books.category_of(unsure) == books.uncat_expense
    auto = books.queue("auto")["items"]
    assert [(i["transaction_id"], i["status"]) for i in auto] == [(sure, "auto")]
    queued = books.queue()["items"]
    assert [(i["transaction_id"], i["status"]) for i in queued] == [(unsure, "queued")]
    # the model's own applies are not examples until confirmed
    assert books.model()["examples"] == 7
    assert (books.model()["auto"], books.model()["queued"]) == (1, 1)


def test_categorise_leaves_categorised_entries_alone(books: Books) -> None:
    done = books.entry("EFTPOS WOOLWORTHS 77", books.home)
    assert books.categorise(done) == {"considered": 0, "applied": 0, "queued": 0}
    assert books.category_of(done) == books.home


def test_without_ids_categorise_takes_every_uncategorised_entry(books: Books) -> None:
    books.set_threshold(1.0)
    ids = [books.imported(f"EFTPOS BUNNINGS {n} TEMPE") for n in range(3)]
    assert books.categorise() == {"considered": 3, "applied": 0, "queued": 3}
    assert sorted(i["transaction_id"] for i in books.queue()["items"]) == sorted(ids)


def test_auto_apply_off_queues_everything(books: Books) -> None:
    books.set_threshold(0.0, auto_apply=False)
    txn = books.imported("EFTPOS WOOLWORTHS 1")
    assert books.categorise(txn)["queued"] == 1


def test_confirming_applies_the_suggestion_and_learns_it(books: Books) -> None:
    books.set_threshold(1.0)
    txn = books.imported("EFTPOS COLES 7777 SURRY HILLS")
    books.categorise(txn)
    response = books.review(txn, action="confirm")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "confirmed"
    assert books.category_of(txn) == books.groceries
    assert books.model()["examples"] == 8
    assert books.queue()["total"] == 0


def test_a_correction_is_learned_at_once(books: Books) -> None:
    books.set_threshold(1.0)
    first, second = (books.imported(f"PETBARN {n} ALEXANDRIA", "55.00") for n in (1, 2))
    books.categorise(first, second)
    assert books.suggestion(second)["suggestion"]["category_id"] != books.home
    response = books.review(first, action="correct", category_id=books.home)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "corrected"
    assert books.category_of(first) == books.home
    assert books.suggestion(second)["suggestion"]["category_id"] == books.home


def test_an_automatic_apply_can_be_confirmed_corrected_or_undone(books: Books) -> None:
    books.set_threshold(0.5)
    keep, move, undo = (books.imported(f"EFTPOS WOOLWORTHS {n}") for n in (1, 2, 3))
    assert books.categorise(keep, move, undo)["applied"] == 3
    assert books.review(keep, action="confirm").json()["status"] == "confirmed"
    assert books.category_of(keep) == books.groceries
    assert books.model()["examples"] == 8  # confirmed: now it teaches
    moved = books.review(move, action="correct", category_id=books.home)
    assert moved.json()["status"] == "corrected"
    assert books.category_of(move) == books.home
    assert books.model()["examples"] == 9
    undone = books.review(undo, action="undo")
    assert undone.status_code == 200, undone.text
    assert undone.json()["status"] == "queued"
    assert books.category_of(undo) == books.uncat_expense
    assert [i["transaction_id"] for i in books.queue()["items"]] == [undo]
    assert books.model()["examples"] == 9


def test_review_errors(books: Books) -> None:
    books.set_threshold(1.0)
    txn = books.imported("EFTPOS WOOLWORTHS 5")
    never = books.imported("EFTPOS WOOLWORTHS 6")  # never categorised: not in review
    books.categorise(txn)
    missing = books.review(str(uuid.uuid4()), action="confirm")
    assert (missing.status_code, missing.json()["code"]) == (404, "suggestion_not_found")
    assert books.review(never, action="confirm").json()["code"] == "suggestion_not_found"
    no_category = books.review(txn, action="correct")
    assert no_category.status_code == 422
    assert no_category.json()["errors"][0]["field"] == "category_id", no_category.json()
    wrong_kind = books.review(txn, action="correct", category_id=books.salary)
    assert wrong_kind.status_code == 422, wrong_kind.text
    undo_queued = books.review(txn, action="undo")
    assert undo_queued.status_code == 422
    bad = books.review(txn, action="explode")
    assert bad.status_code == 422
    assert books.review(txn, action="confirm").status_code == 200
    again = books.review(txn, action="confirm")
    assert (again.status_code, again.json()["code"]) == (409, "suggestion_reviewed")


def test_nothing_to_confirm_without_a_model(client: TestClient) -> None:
    books = Books(client, register(client, "Newcomer"))
    books.set_threshold(1.0)
    txn = books.imported("EFTPOS WOOLWORTHS 5")
    assert books.categorise(txn) == {"considered": 1, "applied": 0, "queued": 1}
    assert books.suggestion(txn)["suggestion"] is None
    response = books.review(txn, action="confirm")
    assert (response.status_code, response.json()["code"]) == (409, "nothing_to_confirm")
    fixed = books.review(txn, action="correct", category_id=books.groceries)
    assert fixed.status_code == 200, fixed.text
    assert books.model()["examples"] == 1


def test_suggestion_errors(books: Books) -> None:
    response = books.client.get(
        f"/api/v1/insights/suggestions/{uuid.uuid4()}", headers=books.owner.headers
    )
    assert (response.status_code, response.json()["code"]) == (404, "transaction_not_found")
    bad = books.client.get("/api/v1/insights/suggestions/nope", headers=books.owner.headers)
    assert bad.status_code == 422


def test_settings_are_validated_and_audited(books: Books) -> None:
    response = books.client.patch(
        "/api/v1/insights/model", json={"auto_threshold": 1.5}, headers=books.owner.headers
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "auto_threshold", response.json()
    books.set_threshold(0.85)
    assert books.model()["auto_threshold"] == 0.85
    logs = books.client.get(
        "/api/v1/audit/logs", params={"limit": 200}, headers=books.owner.headers
    ).json()["items"]
    assert any(e["action"] == "insights.settings" for e in logs)


def test_review_queue_is_paginated(books: Books) -> None:
    books.set_threshold(1.0)
    for n in range(3):
        books.imported(f"EFTPOS BUNNINGS {n}")
    books.categorise()
    response = books.client.get(
        "/api/v1/insights/review", params={"limit": 2, "page": 2}, headers=books.owner.headers
    )
    body = response.json()
    assert (len(body["items"]), body["total"], body["total_pages"], body["page"]) == (1, 3, 2, 2)
    bad = books.client.get(
        "/api/v1/insights/review", params={"status": "confirmed"}, headers=books.owner.headers
    )
    assert bad.status_code == 422


def test_a_viewer_reads_but_cannot_decide(client: TestClient, books: Books) -> None:
    viewer = register(client, "Vic")
    add_member(client, books.owner, books.owner.tenant_id, viewer, "viewer")
    switch(client, viewer, books.owner.tenant_id)
    books.set_threshold(1.0)
    txn = books.imported("EFTPOS WOOLWORTHS 3")
    books.categorise(txn)
    assert client.get("/api/v1/insights/review", headers=viewer.headers).status_code == 200
    decide = client.post(
        f"/api/v1/insights/review/{txn}", json={"action": "confirm"}, headers=viewer.headers
    )
    assert decide.status_code == 403
    assert client.post("/api/v1/insights/train", headers=viewer.headers).status_code == 403


def test_retrain_job_rebuilds_the_same_model(books: Books) -> None:
    books.set_threshold(0.5)
    txn = books.imported("EFTPOS BUNNINGS 12")
    books.categorise(txn)
    books.review(txn, action="correct", category_id=books.groceries)
    before = books.model()
    sample = books.imported("EFTPOS BUNNINGS 99 TEMPE")
    suggested = books.suggestion(sample)
    response = books.client.post("/api/v1/insights/train", headers=books.owner.headers)
    assert response.status_code == 202, response.text
    job = books.client.get(
        f"/api/v1/jobs/{response.json()['job_id']}", headers=books.owner.headers
    ).json()
    assert job["status"] == "succeeded", job
    assert job["result"] == {"examples": before["examples"]}
    after = books.model()
    assert after["last_trained_at"] is not None
    assert (after["examples"], after["categories"], after["features"]) == (
        before["examples"],
        before["categories"],
        before["features"],
    )
    assert books.suggestion(sample) == suggested
