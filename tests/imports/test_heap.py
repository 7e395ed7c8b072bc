"""``imports.heap``: the objects held before a large import are left out of the garbage
collector's walks during it, and put back at its end, whatever happens."""

import gc

import pytest

from danvan.imports.heap import heap_frozen


def test_what_was_held_is_frozen_during_the_block_and_back_after_it():
    before = gc.get_freeze_count()
    held = [object() for _ in range(10)]
    with heap_frozen():
        assert gc.get_freeze_count() >= before + len(held)
    assert gc.get_freeze_count() == 0


def test_nested_blocks_keep_the_freeze_until_the_outer_one_ends():
    with heap_frozen():
        frozen = gc.get_freeze_count()
        with heap_frozen():
            pass
        assert gc.get_freeze_count() == frozen
    assert gc.get_freeze_count() == 0


def test_an_error_inside_still_puts_everything_back():
    with pytest.raises(RuntimeError), heap_frozen():
        raise RuntimeError("the import failed")
    assert gc.get_freeze_count() == 0


def test_garbage_made_during_the_block_is_collected():
    with heap_frozen():
        cycle = []
        cycle.append(cycle)
        del cycle
        assert gc.collect() >= 1
