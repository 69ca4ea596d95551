"""The collector's view of a server process's start-up heap.

A worker holds ~290,000 objects once the app is built (modules, routes, models,
compiled statements). CPython's full collection visits every one of them, and under load
it runs every few seconds: requests in flight keep their objects alive across young
collections, so they reach the oldest generation and count towards its next full pass.
On the 10M-posting bench that was 15-20 passes of 185-260 ms per worker in 100 s, each
stalling every request the worker held (docs/performance.md, "Full collections").
Freezing the start-up heap takes those objects out of every later pass.
"""

from __future__ import annotations

import gc

_frozen = False


def freeze_startup_heap() -> None:
    """Collect what start-up left as garbage, then move every live object to the
    permanent generation, which no collection visits. Once per process: objects frozen are
    never freed, so a process that builds many apps (the tests) freezes only the first
    one's heap."""
    global _frozen
    if _frozen:
        return
    gc.collect()
    gc.freeze()
    _frozen = True
