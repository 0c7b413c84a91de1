"""The evaluation's interval arithmetic."""

from __future__ import annotations

from collections import Counter

from bench.eval.cases import Truth
from bench.eval.metrics import compare, intervals, summary, wilson
from bench.eval.report import markdown


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


def test_a_repair_reported_where_none_was_made_is_counted() -> None:
    truth = Truth(["correct", "self_corrected", "correct", "correct"])
    words = [
        {"index": 0, "status": "correct"},
        {"index": 1, "status": "self_corrected"},  # made and reported
        {"index": None, "status": "inserted"},
        {"index": 2, "status": "self_corrected"},  # an insertion read as a repair
        {"index": 3, "status": "correct"},
    ]
    counts = compare(truth, {"words": words, "scores": {"accuracy": 100.0}, "hesitations": []})
    assert (counts["repairs_reported"], counts["repairs_unfounded"]) == (2, 1)
    assert summary(counts)["repairs_unfounded"] == "1/2"
    assert "self-corrections reported where none was made: 1 of 2" in markdown(
        {**_empty_report(), "overall": summary(counts)}
    )


def _empty_report() -> dict[str, object]:
    return {"by_condition": {}, "by_kind": {}, "real_clean_reads": {"count": 0, "min_accuracy": None,
            "below_95": 0}, "engine_rtf_cpu": None, "audio_seconds": 0, "wall_seconds": 0,
            "intervals": {}}  # fmt: skip
