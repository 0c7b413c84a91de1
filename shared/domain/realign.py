"""Re-align one small region of disagreement, knowing about alternative readings.

Between two exact matches the global alignment only knows whole-word keys.
Here one reference word may match a run of spoken words ("1863" ~ "one
thousand eight hundred and sixty three") and a run of reference words one
spoken word ("eighteen sixty-three" ~ "1863", "any more" ~ "anymore").

Costs: a matched word -1, a substitution, omission or insertion +2. Edits
dominate, and among alignments with equally few edits the one with more
matched words wins (so "X A" against "A B" keeps A correct rather than two
substitutions). Among alignments still tied, the one pairing words that are
spelled more alike wins: a substitution costs up to ``_UNLIKENESS`` more the
less alike its words are, so "bond can is silver" against "born and a" pairs
bond/born and can/and and leaves "silver" extra, not "bond". The weight is
too small to outweigh one edit or one match (a region has at most
``_MAX_PAIRS`` substitutions). Exact ties left after that put extra words as
late as they can go. The table is filled in plain Python, so
callers only send small regions (see ``alignment``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from rapidfuzz.distance import Indel

from shared.domain.numbers import Forms
from shared.domain.result import WordStatus

MATCH, SUB, DEL, INS = (
    WordStatus.CORRECT,
    WordStatus.SUBSTITUTED,
    WordStatus.OMITTED,
    WordStatus.INSERTED,
)
MAX_SPAN = 12  # spoken words one reference word may expand to (long numbers)
_MAX_SPAN_READINGS = 16  # cap on combined readings of a span
# Integer costs, so that equal alignments tie exactly (see the tie rule in realign).
_UNIT = 1000
_MATCH_COST, _EDIT_COST = -_UNIT, 2 * _UNIT
_MAX_PAIRS = 20  # substitutions a region can hold: callers send at most 400 cells
_UNLIKENESS = 45  # per substitution; 20 of them together stay under one unit
_DIAG_MATCH, _DIAG_SUB, _UP, _LEFT = (1, 1, MATCH), (1, 1, SUB), (1, 0, DEL), (0, 1, INS)

Step = tuple[WordStatus, int | None, tuple[int, ...]]  # (status, ref, spoken), region-relative


class Side(NamedTuple):
    """Readings of one side of a region."""

    words: list[frozenset[str]]  # readings of each word, run together
    spans: list[dict[str, int]]  # at end position e: reading of words[e-k:e] -> k


def readings(forms: Forms) -> frozenset[str]:
    return frozenset("".join(f) for f in forms)


def side(words: Sequence[Forms]) -> Side:
    """Readings of each word and of every run of 2..MAX_SPAN words ending at each position."""
    each = [readings(forms) for forms in words]
    spans: list[dict[str, int]] = [{} for _ in range(len(words) + 1)]
    for start in range(len(words)):
        joined: list[str] = sorted(each[start])
        for end in range(start + 2, min(len(words), start + MAX_SPAN) + 1):
            following = each[end - 1]
            if len(following) == 1 and len(joined) == 1:
                joined = [joined[0] + next(iter(following))]
            else:
                joined = sorted(a + b for a in joined for b in following)[:_MAX_SPAN_READINGS]
            for reading in joined:
                spans[end].setdefault(reading, end - start)
    return Side(each, spans)


def realign(ref: Side, spk: Side) -> list[Step]:
    """Minimum-cost alignment of a region; steps in order."""
    rows, cols = len(ref.words), len(spk.words)
    cost = [[0] * (cols + 1) for _ in range(rows + 1)]
    back: list[list[tuple[int, int, WordStatus]]] = [[_LEFT] * (cols + 1) for _ in range(rows + 1)]
    for j in range(1, cols + 1):
        cost[0][j] = j * _EDIT_COST
    for i in range(1, rows + 1):
        above, here, moves = cost[i - 1], cost[i], back[i]
        here[0], moves[0] = i * _EDIT_COST, _UP
        ref_readings, ref_spans = ref.words[i - 1], ref.spans[i]
        for j in range(1, cols + 1):
            if ref_readings.isdisjoint(spk.words[j - 1]):
                best, move = above[j - 1] + _substitution_cost(ref_readings, spk.words[j - 1]), _DIAG_SUB
            else:
                best, move = above[j - 1] + _MATCH_COST, _DIAG_MATCH
            if spk.spans[j] or ref_spans:
                best, move = _span_moves(
                    cost, i, j, ref_readings, spk.spans[j], ref_spans, spk.words[j - 1], best, move
                )
            if above[j] + _EDIT_COST < best:
                best, move = above[j] + _EDIT_COST, _UP
            # "<=": of alignments that tie, the one with the extra word latest,
            # just before the next matched word, where a slip before its repair stands.
            if here[j - 1] + _EDIT_COST <= best:
                best, move = here[j - 1] + _EDIT_COST, _LEFT
            here[j], moves[j] = best, move
    return _trace(back, rows, cols)


def _substitution_cost(ref_readings: frozenset[str], spk_readings: frozenset[str]) -> int:
    """One edit, plus a tie-breaker that grows as the words are spelled less alike."""
    likeness = max(Indel.normalized_similarity(r, s) for r in ref_readings for s in spk_readings)
    return _EDIT_COST + round(_UNLIKENESS * (1.0 - likeness))


def _span_moves(
    cost: list[list[int]],
    i: int,
    j: int,
    ref_readings: frozenset[str],
    spk_spans: dict[str, int],
    ref_spans: dict[str, int],
    spk_readings: frozenset[str],
    best: int,
    move: tuple[int, int, WordStatus],
) -> tuple[int, tuple[int, int, WordStatus]]:
    """Better moves, if any, that match one word against a run on the other side."""
    for reading in ref_readings:  # one reference word, several spoken
        k = spk_spans.get(reading)
        if k and cost[i - 1][j - k] + _MATCH_COST < best:
            best, move = cost[i - 1][j - k] + _MATCH_COST, (1, k, MATCH)
    for reading in spk_readings:  # several reference words, one spoken
        k = ref_spans.get(reading)
        if k and cost[i - k][j - 1] + k * _MATCH_COST < best:
            best, move = cost[i - k][j - 1] + k * _MATCH_COST, (k, 1, MATCH)
    return best, move


def _trace(back: list[list[tuple[int, int, WordStatus]]], i: int, j: int) -> list[Step]:
    steps: list[Step] = []
    while i or j:
        di, dj, status = back[i][j]
        if status == INS:
            steps.append((INS, None, (j - 1,)))
        elif status == DEL:
            steps.append((DEL, i - 1, ()))
        elif di > 1:  # several reference words share one spoken word
            steps.extend((MATCH, i - 1 - k, (j - 1,)) for k in range(di))
        else:
            steps.append((status, i - 1, tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    steps.reverse()
    return steps
