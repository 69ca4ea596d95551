"""The collector pause shared by concurrent imports ends with the collector as it was."""

from __future__ import annotations

import gc

from fiscus.imports.gc_pause import gc_paused


def test_nested_and_overlapping_pauses_switch_the_collector_back_on_once() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():  # a second import meanwhile
            assert not gc.isenabled()
        assert not gc.isenabled()  # the first is still working
    assert gc.isenabled()


def test_a_failure_inside_still_switches_it_back_on() -> None:
    try:
        with gc_paused():
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
