"""A stored suggestion whose category is deleted (merged away, or deleted with
reassignment) afterwards: the review never shows the deleted category, and an automatic
apply whose Uncategorised category is gone can no longer be undone.

Until migration 0021 the database set such references to NULL (`ON DELETE SET NULL`);
since then the suggestion keeps the id and the review reads a category that no longer
exists as none. These tests pin the behaviour both ways give."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.insights.helpers import Books
from tests.support.builders import register


@pytest.fixture
def books(client: TestClient) -> Books:
    books = Books(client, register(client, "Alice"))
    books.teach()
    return books


def _merge(books: Books, source: str, target: str) -> None:
    response = books.client.post(
        "/api/v1/categories/merge",
        json={"source_id": source, "target_id": target},
        headers=books.owner.headers,
    )
    assert response.status_code == 200, response.text


def _delete(books: Books, category: str, reassign_to: str) -> None:
    response = books.client.delete(
        f"/api/v1/categories/{category}",
        params={"reassign_to": reassign_to},
        headers=books.owner.headers,
    )
    assert response.status_code in (200, 204), response.text


def _shown(read: dict[str, Any]) -> set[str]:
    candidates = [read["suggestion"], *read["alternatives"]] if read["suggestion"] else []
    return {c["category_id"] for c in candidates}


def test_an_applied_category_merged_away_is_never_shown(books: Books) -> None:
    books.set_threshold(0.5)
    applied = books.imported("EFTPOS WOOLWORTHS 77 NEWTOWN", "85.20")
    assert books.categorise(applied)["applied"] == 1
    read = books.suggestion(applied)
    assert (read["status"], read["suggestion"]["category_id"]) == ("auto", books.groceries)

    _merge(books, books.groceries, books.home)

    read = books.suggestion(applied)
    assert read["status"] == "auto"
    assert read["current_category_id"] == books.home
    assert books.groceries not in _shown(read)
    assert read["suggestion"]["category_id"] == books.home  # the live model's answer
    listed = books.queue("auto")
    assert [i["transaction_id"] for i in listed["items"]] == [applied]
    assert books.groceries not in _shown(listed["items"][0])
    # confirming keeps where the entry is now, and teaches it
    before = books.model()["examples"]
    confirmed = books.review(applied, action="confirm")
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "confirmed"
    assert books.category_of(applied) == books.home
    assert books.model()["examples"] == before + 1


def test_a_queued_suggestion_of_a_deleted_category_is_never_shown(books: Books) -> None:
    books.set_threshold(1.0)
    queued = books.imported("EFTPOS WOOLWORTHS 78 NEWTOWN", "85.20")
    assert books.categorise(queued)["queued"] == 1
    assert books.suggestion(queued)["suggestion"]["category_id"] == books.groceries

    _delete(books, books.groceries, reassign_to=books.home)

    read = books.suggestion(queued)
    assert read["status"] == "queued"
    assert books.groceries not in _shown(read)
    listed = books.queue()
    assert queued in [i["transaction_id"] for i in listed["items"]]
    assert all(books.groceries not in _shown(i) for i in listed["items"])
    # confirming takes the live suggestion, never the deleted category
    confirmed = books.review(queued, action="confirm")
    assert confirmed.status_code == 200, confirmed.text
    assert books.category_of(queued) == books.home


def test_an_applied_category_moved_after_a_merge_is_a_correction(books: Books) -> None:
    books.set_threshold(0.5)
    applied = books.imported("EFTPOS WOOLWORTHS 79 NEWTOWN", "85.20")
    assert books.categorise(applied)["applied"] == 1
    _merge(books, books.groceries, books.home)
    corrected = books.review(applied, action="correct", category_id=books.fuel)
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["status"] == "corrected"
    assert books.category_of(applied) == books.fuel


def test_no_undo_once_the_uncategorised_category_is_gone(books: Books) -> None:
    books.set_threshold(0.5)
    applied, other = (books.imported(f"EFTPOS WOOLWORTHS {n} NEWTOWN", "85.20") for n in (80, 81))
    assert books.categorise(applied, other)["applied"] == 2
    spare = books.account("Uncategorised spare", "expense", code="UNCAT-SPARE")
    _merge(books, books.uncat_expense, spare)

    undone = books.review(applied, action="undo")
    assert undone.status_code == 422, undone.text
    assert undone.json()["errors"][0]["field"] == "action"
    assert books.category_of(applied) == books.groceries
    assert books.suggestion(applied)["status"] == "auto"


def test_undo_goes_back_to_the_uncategorised_category_while_it_exists(books: Books) -> None:
    books.set_threshold(0.5)
    applied = books.imported("EFTPOS WOOLWORTHS 82 NEWTOWN", "85.20")
    assert books.categorise(applied)["applied"] == 1
    _merge(books, books.fuel, books.home)  # another category merged: nothing changes here
    undone = books.review(applied, action="undo")
    assert undone.status_code == 200, undone.text
    assert books.category_of(applied) == books.uncat_expense
