"""`few_collections` (ADR 0910): the collector held back inside, put back as it was after."""

from __future__ import annotations

import gc
import weakref

import pytest

from sightline.core.collection import BULK_THRESHOLDS, few_collections


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_thresholds_raised_and_heap_frozen_inside_then_restored() -> None:
    before = gc.get_threshold()
    assert before != BULK_THRESHOLDS
    with few_collections():
        assert gc.get_threshold() == BULK_THRESHOLDS
        assert gc.get_freeze_count() > 0  # what existed before is no longer scanned
        with few_collections():  # an inner block changes nothing, inside or on leaving
            assert gc.get_threshold() == BULK_THRESHOLDS
        assert gc.get_threshold() == BULK_THRESHOLDS
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_restored_when_the_block_raises() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), few_collections():
        raise RuntimeError("the import failed")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_cyclic_garbage_made_inside_is_still_freed() -> None:
    with few_collections():
        a, b = _Node(), _Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
        gc.collect()
        assert gone() is None
