"""The change report from pairs of stored results, built by hand."""

from __future__ import annotations

from typing import Any

from shared.domain.score_change import ScoreChange, band, bucket, word_slots, word_transitions


def word(status: str, index: int | None) -> dict[str, Any]:
    return {"expected": None, "spoken": None, "status": status, "index": index}


def result(accuracy: float, *words: dict[str, Any]) -> dict[str, Any]:
    return {"scores": {"accuracy": accuracy}, "words": list(words)}


def test_extra_words_take_the_slot_after_the_reference_word_before_them() -> None:
    words = [word("inserted", None), word("correct", 0), word("inserted", None), word("repeated", None),
             word("omitted", 1)]  # fmt: skip
    assert word_slots(words) == {(-1, 0): "inserted", (0, -1): "correct", (0, 0): "inserted",
                                 (0, 1): "repeated", (1, -1): "omitted"}  # fmt: skip


def test_a_slip_folded_into_a_self_correction() -> None:
    old = [word("correct", 0), word("inserted", None), word("substituted", 1), word("correct", 2)]
    new = [word("correct", 0), word("self_corrected", 1), word("correct", 2)]
    assert word_transitions(old, new) == {("inserted", "absent"): 1, ("substituted", "self_corrected"): 1}
    assert word_transitions(new, new) == {}


def test_bands_and_buckets_at_their_edges() -> None:
    assert [band(a) for a in (100, 95, 94.9, 80, 79.9, 0)] == ["secure", "secure", "nearly", "nearly",
                                                               "learning", "learning"]  # fmt: skip
    cases = {-12: "<= -10", -10: "<= -10", -7: "-10 to -5", -5: "-10 to -5", -2: "-5 to -2", -0.1: "-2 to 0",
             0: "0", 0.1: "0 to 2", 2: "2 to 5", 5: "5 to 10", 10: ">= 10", 40: ">= 10"}  # fmt: skip
    assert {change: bucket(change) for change in cases} == cases


def test_the_report_over_several_attempts() -> None:
    same = [word("correct", 0), word("correct", 1)]
    pairs = [
        (
            "a",
            result(50, word("correct", 0), word("substituted", 1)),
            result(100, *same),
        ),  # +50, learning→secure
        ("b", result(90, *same), result(90, *same)),  # unchanged
        ("c", result(96, *same), result(93, word("correct", 0), word("omitted", 1))),  # -3, secure→nearly
    ]
    report = ScoreChange().add_all(pairs).to_dict()
    assert report["attempts"] == 3
    assert report["mean_accuracy_change"] == round(47 / 3, 3)
    histogram = {b["bucket"]: b["count"] for b in report["histogram"]}
    assert histogram == {"<= -10": 0, "-10 to -5": 0, "-5 to -2": 1, "-2 to 0": 0, "0": 1, "0 to 2": 0,
                         "2 to 5": 0, "5 to 10": 0, ">= 10": 1}  # fmt: skip
    assert report["band_moves"] == [
        {"from": "learning", "to": "secure", "count": 1},
        {"from": "secure", "to": "nearly", "count": 1},
    ]
    assert [m["attempt_id"] for m in report["moved"]] == ["a", "c"]
    largest = report["largest_changes"]
    assert [(c["attempt_id"], c["change"]) for c in largest] == [("a", 50), ("c", -3), ("b", 0)]
    assert largest[0]["page"] == "/attempts/a" and largest[0]["api"] == "/api/v1/attempts/a"
    assert report["word_transitions"] == [
        {"from": "correct", "to": "omitted", "count": 1},
        {"from": "substituted", "to": "correct", "count": 1},
    ]


def test_only_the_ten_largest_changes_are_kept() -> None:
    change = ScoreChange()
    for n in range(30):
        change.add(f"a{n:02d}", result(50), result(50 + n))
    largest = change.to_dict()["largest_changes"]
    assert [c["attempt_id"] for c in largest] == [f"a{n:02d}" for n in range(29, 19, -1)]


def test_an_empty_report() -> None:
    report = ScoreChange().to_dict()
    assert report["attempts"] == 0 and report["mean_accuracy_change"] == 0.0
    assert report["largest_changes"] == [] and report["word_transitions"] == []


def test_words_are_matched_by_what_was_expected_when_the_text_reads_into_other_words() -> None:
    """Scoring 2026.12.10 stopped reading a list's "1." and "2." as words: matched by
    position, every word after them showed as changed (QA)."""

    def said(expected: str, status: str, index: int) -> dict[str, Any]:
        return {"expected": expected, "spoken": None, "status": status, "index": index}

    old = [said("1", "omitted", 0), said("Love", "correct", 1), said("is", "correct", 2),
           said("2", "omitted", 3), said("Love", "correct", 4), said("kind", "substituted", 5)]  # fmt: skip
    new = [said("Love", "correct", 0), said("is", "correct", 1), said("Love", "correct", 2),
           said("kind", "substituted", 3)]  # fmt: skip
    assert word_transitions(old, new) == {("omitted", "absent"): 2}
