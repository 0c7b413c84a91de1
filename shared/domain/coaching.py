"""A short, specific coaching note built by rules from one result's miscues and hesitations.

Plain data in (the stored result's ``words`` and ``hesitations``), one or two
sentences out. The note names the exact words and the move between them that
went wrong, because "practise more" tells a learner nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shared.domain.review import recited_another_text

Word = Mapping[str, Any]
MAX_POINTS = 2
QUOTE_WORDS = 6  # a longer skipped run is quoted by its first words
NOT_THE_PIECE = (
    "Most of what we heard is not in this piece's text. Check that you chose the "
    "right piece, then record it again from its first words."
)


@dataclass(frozen=True)
class Point:
    """One thing to say, with a weight that orders the points by how much they cost:
    what went wrong (``slip``), then what to do (``advice``). ``again`` is the slip said
    of several at once (a pause without its length); the same ``again`` is one slip."""

    weight: float
    slip: str
    advice: str
    again: str = ""

    @property
    def sentence(self) -> str:
        return f"{self.slip}; {self.advice}."


# The note does not know how the text was shown (QA: a learner who recited with it hidden
# was told to "try it with the text hidden" next time).
PERFECT = "Word-perfect, with no long pause. If the text was on screen, next time try it hidden."


def coaching_note(words: Sequence[Word], hesitations: Sequence[Mapping[str, Any]]) -> str:
    reference = _reference_words(words)
    if recited_another_text(words):
        return NOT_THE_PIECE
    points = _skips(words, reference) + _swaps(words, reference) + _pauses(hesitations, reference)
    points += _additions(words)
    if not points:
        return PERFECT
    merged = sorted(_merged(points), key=lambda p: -p.weight)
    return " ".join(p.sentence for p in merged[:MAX_POINTS])


def _merged(points: Sequence[Point]) -> list[Point]:
    """One point for the same slip in the refrains of a poem, a song or a creed, said
    once with how often it happened (the note said the same sentence twice)."""
    same: dict[str, list[Point]] = {}
    for point in points:
        same.setdefault(point.again or point.slip, []).append(point)
    return [_times(group) for group in same.values()]


def _times(group: list[Point]) -> Point:
    if len(group) == 1:
        return group[0]
    first = group[0]
    if "twice" in first.advice:  # not "… twice; say that line aloud twice" (QA)
        often = f"in {len(group)} places"
    else:
        often = "twice" if len(group) == 2 else f"{len(group)} times"
    return Point(sum(p.weight for p in group), f"{first.again or first.slip} {often}", first.advice)


def _reference_words(words: Sequence[Word]) -> dict[int, str]:
    return {w["index"]: w["expected"] for w in words if w.get("index") is not None and w.get("expected")}


def _skips(words: Sequence[Word], reference: Mapping[int, str]) -> list[Point]:
    runs: list[list[int]] = []
    for word in words:
        if word["status"] != "omitted" or word.get("index") is None:
            continue
        if runs and runs[-1][-1] == word["index"] - 1:
            runs[-1].append(word["index"])
        else:
            runs.append([word["index"]])
    return [_skip_point(run, reference) for run in runs]


def _skip_point(run: list[int], reference: Mapping[int, str]) -> Point:
    phrase = " ".join(reference[i] for i in run[:QUOTE_WORDS]) + (" …" if len(run) > QUOTE_WORDS else "")
    before = reference.get(run[0] - 1)
    if before:
        advice = f"practise the move from “{before}” to “{reference[run[0]]}”"
    else:
        advice = f"practise how the piece opens, with “{reference[run[0]]}”"
    return Point(2.0 * len(run), f"You skipped “{phrase}”", advice)


def _swaps(words: Sequence[Word], reference: Mapping[int, str]) -> list[Point]:
    points = []
    for word in words:
        if word["status"] != "substituted":
            continue
        before = reference.get(word["index"] - 1) if word.get("index") is not None else None
        where = f" after “{before}”" if before else ""
        slip = f"You said “{word['spoken']}” for “{word['expected']}”{where}"
        points.append(Point(1.5, slip, "say that line aloud twice"))
    return points


def _additions(words: Sequence[Word]) -> list[Point]:
    """Runs of inserted words, each named with the piece word it came before. They
    cost no accuracy, but a learner who adds words has not got the text word-perfect."""
    points: list[Point] = []
    run: list[str] = []
    for word in [*words, None]:
        if word is not None and word["status"] == "inserted" and word.get("spoken"):
            run.append(word["spoken"])
            continue
        if run:
            phrase = " ".join(run[:QUOTE_WORDS]) + (" …" if len(run) > QUOTE_WORDS else "")
            where = f" before “{word['expected']}”" if word is not None and word.get("expected") else ""
            points.append(Point(1.0, f"You added “{phrase}”{where}", "the piece does not say it"))
            run = []
    return points


def _pauses(hesitations: Sequence[Mapping[str, Any]], reference: Mapping[int, str]) -> list[Point]:
    points = []
    for pause in hesitations:
        index = pause.get("before_word")
        if index is None or index not in reference:
            continue
        before = reference.get(index - 1)
        move = f"from “{before}” to “{reference[index]}”" if before else f"into “{reference[index]}”"
        word = reference[index]
        slip = f"You paused {pause['duration']:.1f} s before “{word}”"
        points.append(
            Point(float(pause["duration"]), slip, f"practise the move {move}", f"You paused before “{word}”")
        )
    return points
