"""A served app freezes its start-up heap once per process (fiscus/core/heap.py)."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from fiscus.core.heap import freeze_startup_heap


def test_a_started_app_has_moved_its_start_up_heap_out_of_the_collectors_passes(
    client: TestClient,
) -> None:
    assert client.get("/health").status_code == 200
    assert gc.get_freeze_count() > 100_000  # modules, routes, models: the whole app


def test_the_heap_is_frozen_once_so_later_objects_stay_collectable(client: TestClient) -> None:
    frozen = gc.get_freeze_count()
    later = [[n] for n in range(10_000)]  # tracked objects made after start-up
    freeze_startup_heap()
    # No second freeze: the count cannot grow (it may shrink: a frozen object whose last
    # reference goes is still freed, and leaves the permanent generation)
    assert gc.get_freeze_count() <= frozen
    assert any(obj is later for obj in gc.get_objects())  # the permanent generation is not listed
