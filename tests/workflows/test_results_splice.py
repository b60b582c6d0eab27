"""results import keeps the plan's other sections byte for byte, but never at the cost of a wrong plan."""

from __future__ import annotations

from mixplan.workflows.results_import import _round_trip, _splice


def test_a_splice_that_would_not_read_back_as_the_dump_gives_way_to_the_dump() -> None:
    original = "a: 1  # kept\nresults:\n- {x: 1}\n"
    # The dump changed a section besides results: taking only its results would lose that change.
    dumped = "a: 2  # kept\nresults:\n- {x: 1}\n- {x: 2}\n"
    assert _splice(original, dumped, _round_trip()) == dumped


def test_a_splice_that_reads_back_as_the_dump_keeps_the_other_sections_as_written() -> None:
    original = "a: {b: 1,\n    c: 2}  # wrapped by hand\nresults:\n- {x: 1}\n"
    dumped = "a: {b: 1, c: 2}  # wrapped by hand\nresults:\n- {x: 1}\n- {x: 2}\n"
    assert (
        _splice(original, dumped, _round_trip())
        == "a: {b: 1,\n    c: 2}  # wrapped by hand\nresults:\n- {x: 1}\n- {x: 2}\n"
    )
