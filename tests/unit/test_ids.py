"""Row ids are time-ordered UUIDs (version 7): later ids sort after earlier ones."""

from __future__ import annotations

import itertools
import time
import uuid

from fiscus.core.ids import new_id


def test_a_new_id_is_a_version_7_uuid_of_the_current_millisecond() -> None:
    before = time.time_ns() // 1_000_000
    made = new_id()
    after = time.time_ns() // 1_000_000
    assert (made.version, made.variant) == (7, uuid.RFC_4122)
    assert before <= int.from_bytes(made.bytes[:6], "big") <= after


def test_ids_made_later_sort_after_and_never_repeat() -> None:
    batches = []
    for _ in range(3):
        batches.append([new_id() for _ in range(200)])
        time.sleep(0.002)
    for earlier, later in itertools.pairwise(batches):
        assert max(i.bytes for i in earlier) < min(i.bytes for i in later)
    every = [i for batch in batches for i in batch]
    assert len(set(every)) == len(every)
