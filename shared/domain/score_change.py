"""What a new scoring changed: one attempt's old and new results at a time, summed.

A ``ScoreChange`` takes pairs of stored results (the ``result`` JSON of two
score rows, or a stored row and a fresh score) and keeps only totals, a
histogram, the largest changes and the word transitions, so a run over
hundreds of thousands of attempts is reported in constant memory.

Bands: the result contract has no verdict of its own, so a change "across a
threshold" is a move between these accuracy bands (docs/rescoring.md).
Words are aligned by reference position (``index``); extra words, which have
none, by their place after the reference word before them (the first extra
after word 4 is slot 4.0, the second 4.1), so an extra word the new scoring
folds into a self-correction shows as ``inserted → absent``. When the new
scoring reads the text into other words (a list's "1." no longer a word), the
two results' words are matched by their expected words first, so the words
after a dropped one are compared with themselves, not with their neighbours
(QA: every word after a list number showed as changed), and a dropped word
shows as ``omitted → absent``.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import Indel

BANDS = (("secure", 95.0), ("nearly", 80.0), ("learning", 0.0))  # (name, lowest accuracy %)
# Histogram of the accuracy change in points: (label, upper bound, upper bound included).
BUCKETS = (
    ("<= -10", -10.0, True),
    ("-10 to -5", -5.0, True),
    ("-5 to -2", -2.0, True),
    ("-2 to 0", 0.0, False),
    ("0", 0.0, True),
    ("0 to 2", 2.0, False),
    ("2 to 5", 5.0, False),
    ("5 to 10", 10.0, False),
    (">= 10", float("inf"), True),
)
ABSENT = "absent"  # a word slot the other result does not have
LARGEST = 10
MOVED_LISTED = 50
Slot = tuple[int, int]  # (reference index, -1) for a reference word; (index before, ordinal) for an extra


def band(accuracy: float) -> str:
    return next(name for name, lowest in BANDS if accuracy >= lowest)


def bucket(change: float) -> str:
    for label, upper, included in BUCKETS:
        if change < upper or (included and change == upper):
            return label
    return BUCKETS[-1][0]


def word_slots(words: Sequence[Mapping[str, Any]]) -> dict[Slot, str]:
    """Each word's status by its place in the reference text."""
    slots: dict[Slot, str] = {}
    before, ordinal = -1, 0
    for word in words:
        index = word.get("index")
        if index is None:
            slots[(before, ordinal)] = str(word["status"])
            ordinal += 1
        else:
            slots[(int(index), -1)] = str(word["status"])
            before, ordinal = int(index), 0
    return slots


def word_transitions(
    old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]
) -> Counter[tuple[str, str]]:
    """(old status, new status) → words, for the words whose status changed."""
    before, after = word_slots(_renumbered(old, new)), word_slots(new)
    moves: Counter[tuple[str, str]] = Counter()
    for slot in before.keys() | after.keys():
        pair = (before.get(slot, ABSENT), after.get(slot, ABSENT))
        if pair[0] != pair[1]:
            moves[pair] += 1
    return moves


def _renumbered(
    old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]
) -> Sequence[Mapping[str, Any]]:
    """``old``'s words with the reference indexes of the same words in ``new``; a word
    ``new`` does not have gets an index of its own below -1. ``old`` when both results
    read the text into the same words (nearly always)."""
    was, now = _expected(old), _expected(new)
    if was == now:
        return old
    moved: dict[int, int] = {}
    for block in Indel.opcodes(was, now):
        if block.tag == "equal":
            for offset in range(block.src_end - block.src_start):
                moved[block.src_start + offset] = block.dest_start + offset
    renumbered = []
    for word in old:
        index = word.get("index")
        if index is not None:
            word = {**word, "index": moved.get(int(index), -2 - int(index))}
        renumbered.append(word)
    return renumbered


def _expected(words: Sequence[Mapping[str, Any]]) -> list[str]:
    """The reference words as written, by index: what the text was read into."""
    return [str(word.get("expected")) for word in words if word.get("index") is not None]


@dataclass
class ScoreChange:
    """The running report; ``add`` each attempt's pair, then ``to_dict``."""

    attempts: int = 0
    total_change: float = 0.0
    histogram: Counter[str] = field(default_factory=Counter)
    band_moves: Counter[tuple[str, str]] = field(default_factory=Counter)
    moved: list[dict[str, Any]] = field(default_factory=list)
    transitions: Counter[tuple[str, str]] = field(default_factory=Counter)
    _largest: list[tuple[float, str, float, float]] = field(default_factory=list)

    def add(self, attempt_id: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
        before, after = float(old["scores"]["accuracy"]), float(new["scores"]["accuracy"])
        change = round(after - before, 6)
        self.attempts += 1
        self.total_change += change
        self.histogram[bucket(change)] += 1
        self.transitions.update(word_transitions(old.get("words", ()), new.get("words", ())))
        self._note_band(attempt_id, before, after)
        entry = (abs(change), attempt_id, before, after)
        if len(self._largest) < LARGEST:
            heapq.heappush(self._largest, entry)
        elif entry > self._largest[0]:
            heapq.heapreplace(self._largest, entry)

    def add_all(self, pairs: Iterable[tuple[str, Mapping[str, Any], Mapping[str, Any]]]) -> ScoreChange:
        for attempt_id, old, new in pairs:
            self.add(attempt_id, old, new)
        return self

    def to_dict(self) -> dict[str, Any]:
        mean = round(self.total_change / self.attempts, 3) if self.attempts else 0.0
        return {
            "attempts": self.attempts,
            "mean_accuracy_change": mean,
            "histogram": [{"bucket": label, "count": self.histogram[label]} for label, _, _ in BUCKETS],
            "bands": [{"name": name, "min_accuracy": lowest} for name, lowest in BANDS],
            "band_moves": _pairs(self.band_moves),
            "moved": self.moved,
            "largest_changes": [_change(*entry) for entry in sorted(self._largest, reverse=True)],
            "word_transitions": _pairs(self.transitions),
        }

    def _note_band(self, attempt_id: str, before: float, after: float) -> None:
        was, now = band(before), band(after)
        if was == now:
            return
        self.band_moves[(was, now)] += 1
        if len(self.moved) < MOVED_LISTED:
            self.moved.append({"attempt_id": attempt_id, "from": was, "to": now,
                               "old_accuracy": before, "new_accuracy": after})  # fmt: skip


def _pairs(counts: Counter[tuple[str, str]]) -> list[dict[str, Any]]:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [{"from": was, "to": now, "count": n} for (was, now), n in ordered]


def _change(size: float, attempt_id: str, before: float, after: float) -> dict[str, Any]:
    return {
        "attempt_id": attempt_id,
        "old_accuracy": before,
        "new_accuracy": after,
        "change": round(after - before, 3),
        "page": f"/attempts/{attempt_id}",
        "api": f"/api/v1/attempts/{attempt_id}",
    }
