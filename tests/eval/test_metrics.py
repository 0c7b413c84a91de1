"""The evaluation's interval arithmetic."""

from __future__ import annotations

from collections import Counter

from bench.eval.metrics import intervals, wilson


def test_wilson_interval_matches_a_hand_worked_value() -> None:
    # 10 of 12, worked by hand: centre 0.7525, half-width 0.2005 -> 55.2-95.3 %.
    assert wilson(10, 12) == (55.2, 95.3)
    assert wilson(0, 18)[0] == 0.0 and 0 < wilson(0, 18)[1] < 20
    assert wilson(18, 18)[1] == 100.0 and wilson(18, 18)[0] > 80


def test_interval_narrows_as_events_grow() -> None:
    small, large = wilson(10, 12), wilson(40, 48)
    assert large[1] - large[0] < small[1] - small[0]


def test_intervals_leave_out_rates_with_nothing_to_count() -> None:
    counts = Counter({"detected": 9, "miscues": 10, "right_words": 100, "false_alarms": 2})
    spread = intervals(counts)
    assert set(spread) == {"detection", "false alarms"}
    low, high = spread["false alarms"]
    assert low < 2.0 < high
