"""``make load`` names the targets a run missed, with their figures, and only those."""

from bench.load.run import missed_targets


def test_a_run_that_meets_every_target_misses_none():
    assert missed_targets(failures=0, p95=180.0, growth=3.5) == []


def test_only_the_missed_latency_is_named_with_its_figure():
    assert missed_targets(failures=0, p95=700.0, growth=0.3) == ["p95 <= 200 ms (700 ms)"]


def test_errors_and_memory_growth_are_named_when_missed():
    assert missed_targets(failures=12, p95=150.0, growth=25.0) == [
        "zero errors (12 errors)",
        "memory flat within 20 % (+25.0 %)",
    ]
