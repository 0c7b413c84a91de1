"""How well one attempt recalled each section, as a spaced-repetition rating.

Each section is rated from its own miscues and hesitations only, so a slip in
the second verse does not make the first one come round sooner. Ratings are
FSRS's four grades (1 again, 2 hard, 3 good, 4 easy) as plain ints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
MISSES = frozenset({"omitted", "substituted", "inserted"})
REPAIRS = frozenset({"self_corrected", "repeated"})
AGAIN_MISS_SHARE = 0.25  # more than a quarter of a section's words lost: not recalled
# Under a quarter of the piece's words right, and twice as many said wrong as right:
# another text was recited (QA: "Mary had a little lamb" to Psalm 23).
MATCHED_SHARE = 0.25


@dataclass(frozen=True)
class SectionReview:
    index: int
    text: str
    accuracy: float
    rating: int
    misses: int
    hesitations: int
    prompted: int = 0  # words reached only after a pause long enough to need a prompt
    added: int = 0  # words said that the section does not have (no loss of accuracy, but a slip)


def recited_another_text(words: Sequence[Mapping[str, Any]]) -> bool:
    """Whether a result's words say another text was recited, not this piece: its coaching
    note says so, and its sections are no review of the piece (QA: one recording of the
    wrong text pulled word-perfect sections into the weakest and made them due)."""
    size = len({w["index"] for w in words if w.get("index") is not None})
    right = sum(w["status"] in ("correct", "self_corrected") for w in words)
    wrong = sum(w["status"] in ("substituted", "inserted") for w in words)
    return size >= 4 and right < MATCHED_SHARE * size and wrong >= max(3, 2 * right)


def review_sections(result: Mapping[str, Any]) -> list[SectionReview]:
    """One review per section of a stored result (``ScoredAttempt.to_dict()``)."""
    owners = _section_of_word(result["sections"])
    misses, repairs, prompted, pauses, added = (dict.fromkeys(owners.values(), 0) for _ in range(5))
    for ref_index, word in _placed(result["words"]):
        section = owners.get(ref_index)
        if section is None:
            continue
        misses[section] += word["status"] in MISSES
        repairs[section] += word["status"] in REPAIRS
        prompted[section] += bool(word.get("prompted"))
        added[section] += word["status"] == "inserted"
    for pause in result.get("hesitations", []):
        section = owners.get(pause.get("before_word"))
        if section is not None:
            pauses[section] += 1
    return [
        SectionReview(
            s["index"],
            s["text"],
            s["accuracy"],
            _rate(
                misses[s["index"]], repairs[s["index"]], prompted[s["index"]], pauses[s["index"]], _size(s)
            ),
            misses[s["index"]],
            pauses[s["index"]],
            prompted[s["index"]],
            added[s["index"]],
        )
        for s in result["sections"]
    ]


def _rate(misses: int, repairs: int, prompted: int, pauses: int, size: int) -> int:
    if prompted or misses > AGAIN_MISS_SHARE * size:
        return AGAIN
    if misses or pauses >= 2:
        return HARD
    if pauses or repairs:
        return GOOD
    return EASY


def _size(section: Mapping[str, Any]) -> int:
    return max(1, section["last_word"] - section["first_word"] + 1)


def _section_of_word(sections: Sequence[Mapping[str, Any]]) -> dict[int, int]:
    return {i: s["index"] for s in sections for i in range(s["first_word"], s["last_word"] + 1)}


def _placed(words: Sequence[Mapping[str, Any]]) -> list[tuple[int, Mapping[str, Any]]]:
    """Each word with the reference position it belongs to; an extra word
    belongs to the reference word after it (where the learner was heading)."""
    placed: list[tuple[int, Mapping[str, Any]]] = []
    pending: list[Mapping[str, Any]] = []
    for word in words:
        if word.get("index") is None:
            pending.append(word)
            continue
        placed.extend((word["index"], extra) for extra in pending)
        pending = []
        placed.append((word["index"], word))
    last = placed[-1][0] if placed else -1
    placed.extend((last, extra) for extra in pending)
    return placed
