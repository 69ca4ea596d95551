"""What the model learns from, exactly, and from whom: edits elsewhere in the ledger
feed back, its own applies do not, and one tenant's books never reach another's model."""

from __future__ import annotations

import random

import pytest
from fastapi.testclient import TestClient

from tests.insights.helpers import Books
from tests.support.builders import register


@pytest.fixture
def books(client: TestClient) -> Books:
    books = Books(client, register(client, "Alice"))
    books.teach()
    return books


def _patch(books: Books, txn: str, **body: object) -> None:
    response = books.client.patch(
        f"/api/v1/transactions/{txn}", json=body, headers=books.owner.headers
    )
    assert response.status_code == 200, response.text


def test_editing_a_category_by_hand_moves_what_was_learned(books: Books) -> None:
    txns = [books.entry(f"TOOLSHED {n} MASCOT", books.groceries) for n in range(3)]
    sample = books.imported("TOOLSHED 9 MASCOT")
    assert books.suggestion(sample)["suggestion"]["category_id"] == books.groceries
    for txn in txns:
        _patch(books, txn, category_id=books.home)
    assert books.model()["examples"] == 10  # moved, not added
    assert books.suggestion(sample)["suggestion"]["category_id"] == books.home


def test_moving_an_automatic_apply_by_hand_is_a_correction(books: Books) -> None:
    books.set_threshold(0.5)
    txn = books.imported("EFTPOS WOOLWORTHS 4 BONDI")
    assert books.categorise(txn)["applied"] == 1
    assert books.model()["examples"] == 7
    _patch(books, txn, category_id=books.home)  # on the transactions page, say
    assert books.model()["examples"] == 8
    assert books.queue("auto")["total"] == 0
    assert books.suggestion(txn)["status"] == "corrected"


def test_deleting_an_entry_unlearns_it_and_restoring_learns_it_again(books: Books) -> None:
    txn = books.entry("TOOLSHED 1", books.home)
    assert books.model()["examples"] == 8
    deleted = books.client.delete(f"/api/v1/transactions/{txn}", headers=books.owner.headers)
    assert deleted.status_code == 204, deleted.text
    assert books.model()["examples"] == 7
    restored = books.client.post(f"/api/v1/transactions/{txn}/restore", headers=books.owner.headers)
    assert restored.status_code == 200, restored.text
    assert books.model()["examples"] == 8


def test_moving_an_entry_back_to_uncategorised_unlearns_it(books: Books) -> None:
    txn = books.entry("TOOLSHED 1", books.home)
    _patch(books, txn, category_id=books.uncat_expense)
    assert books.model()["examples"] == 7


def test_a_category_merge_carries_its_examples(books: Books) -> None:
    response = books.client.post(
        "/api/v1/categories/merge",
        json={"source_id": books.fuel, "target_id": books.home},
        headers=books.owner.headers,
    )
    assert response.status_code == 200, response.text
    status = books.model()
    assert (status["examples"], status["categories"]) == (7, 2)
    sample = books.imported("VISA BP EXPRESS 40 ALEXANDRIA", "70.00")
    assert books.suggestion(sample)["suggestion"]["category_id"] == books.home


def test_alices_training_never_reaches_bobs_suggestions(client: TestClient, books: Books) -> None:
    bob = Books(client, register(client, "Bob"))
    bobs = bob.imported("EFTPOS WOOLWORTHS 1234 SYDNEY")
    assert bob.suggestion(bobs)["suggestion"] is None  # Bob's model knows nothing
    assert bob.model()["examples"] == 0
    bob.entry("EFTPOS WOOLWORTHS 1 SYDNEY", bob.fuel)  # Bob files Woolworths under fuel
    read = bob.suggestion(bobs)
    assert read["suggestion"]["category_id"] == bob.fuel
    alices = {books.groceries, books.home, books.fuel}
    assert not alices & {c["category_id"] for c in [read["suggestion"], *read["alternatives"]]}
    assert bob.categorise(bobs)["considered"] == 1
    # and Bob's training changed nothing of Alice's
    assert books.model()["examples"] == 7
    alice_sample = books.imported("EFTPOS WOOLWORTHS 1 SYDNEY")
    assert books.suggestion(alice_sample)["suggestion"]["category_id"] == books.groceries


def test_categorise_ignores_another_tenants_entries(client: TestClient, books: Books) -> None:
    alices = books.imported("EFTPOS WOOLWORTHS 3")
    bob = Books(client, register(client, "Bob"))
    assert bob.categorise(alices) == {"considered": 0, "applied": 0, "queued": 0}
    assert books.category_of(alices) == books.uncat_expense


@pytest.mark.parametrize("seed", [1, 2])
def test_incremental_learning_is_exact(books: Books, seed: int) -> None:
    """Whatever mix of creates, edits, deletes and review decisions happened, the model
    equals one retrained from scratch on the same books."""
    rng = random.Random(seed)
    words = ["TOOLSHED", "PETBARN", "WOOLWORTHS", "SHELL", "KMART", "ALDI"]
    categories = [books.groceries, books.home, books.fuel]
    books.set_threshold(0.6)
    live: list[str] = []
    for step in range(14):
        action = rng.choice(("create", "create", "edit", "delete", "import"))
        text = f"{rng.choice(words)} {rng.randint(1, 99)} {rng.choice(['SYDNEY', 'TEMPE'])}"
        if action == "create" or not live:
            live.append(books.entry(text, rng.choice(categories), f"{rng.randint(5, 90)}.00"))
        elif action == "edit":
            _patch(books, rng.choice(live), category_id=rng.choice(categories), description=text)
        elif action == "delete":
            books.client.delete(f"/api/v1/transactions/{live.pop()}", headers=books.owner.headers)
        else:
            txn = books.imported(text)
            books.categorise(txn)
            if step % 2:
                decision = rng.choice(("confirm", "correct"))
                body = {"category_id": rng.choice(categories)} if decision == "correct" else {}
                books.review(txn, action=decision, **body)
    incremental = books.model()
    probe = books.imported("TOOLSHED 5 SYDNEY")
    suggested = books.suggestion(probe)
    job = books.client.post("/api/v1/insights/train", headers=books.owner.headers)
    assert job.status_code == 202
    retrained = books.model()
    keys = ("examples", "categories", "features")
    assert [incremental[k] for k in keys] == [retrained[k] for k in keys]
    assert books.suggestion(probe) == suggested
