"""Self-corrections: a slip the learner repaired is not an error.

Five shapes of repair are recognised, after repetitions are marked:

- slip, right word: "the wrong, right" -> the right word `self_corrected`
  (also across a restart: "by the, of, by the people");
- slip heard in the place of the word before: the alignment may pair the
  slip with the previous reference word and leave that word's own sound as
  an extra word ("sake, yea, market ... though": extra "yea" heard as "day",
  "market" substituted for "yea"); when the slip is followed by a pause and
  the right word, the pairs are swapped back;
- slip, the right word cut short, a pause, the right word again ("that
  brought that ... that"): the second copy is the repair, not a repetition;
- slip heard as the word itself: "can [pocket] ... can" heard "can ... can".
  The engine marks a copy that does not sound like the word before it
  (``SpokenWord.unlike_previous``); after a pause it is the repair;
- slip heard around a short word: "and a *ladder* … time" heard "and allowed
  a … time". The function word right before the pause is the slip's tail
  (or the slip swallowed it), not a word said after the slip: a pause after
  a function word inside a phrase is where a learner stops to repair the
  next word. The next word is the repaired one.

A pause counts when the gap between the words' times is long enough or when
voice-activity detection found a silence between them: engines often stretch
a word over the silence after it, so word times alone miss the pause.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from shared.domain.alignment import Link
from shared.domain.function_words import FUNCTION_WORDS
from shared.domain.relations import WordRelations, unrelated
from shared.domain.result import WordStatus
from shared.domain.stand_ins import stands_for
from shared.domain.transcript import SpokenWord

SELF_CORRECTION_PAUSE = 0.3  # seconds between wrong and right word that signal a repair
VAD_PAUSE = 0.25  # shortest voice-activity silence taken as a repair pause
# A break between a word and an unlike copy of it that shows a repair (since
# 2026.12.4): shorter than a pause, since the copy's sound already says it was
# not a repetition; real repeats said at pace run on with no gap ("to to", 0 s).
UNLIKE_COPY_BREAK = 0.2
_MAX_WRONG_WORDS = 2  # longer extras before a word are insertions, not a repair
_EXTRA = (WordStatus.INSERTED, WordStatus.REPEATED)
_INS, _SUB, _OK = WordStatus.INSERTED, WordStatus.SUBSTITUTED, WordStatus.CORRECT
_FIXED = WordStatus.SELF_CORRECTED


class Stops:
    """Stops: the voice-activity pauses and the detector's silences, for "was
    there a pause between these words", and the reference words after which
    a pause is natural (punctuation)."""

    def __init__(
        self,
        stops: Sequence[tuple[float, float]] = (),
        phrase_ends: frozenset[int] = frozenset(),
        related: WordRelations = unrelated,
    ) -> None:
        self._mids = sorted((s + e) / 2 for s, e in stops if e - s >= VAD_PAUSE)
        self.phrase_ends = phrase_ends
        self.related = related  # the meaning half of "could the slip stand for the word"

    def between(self, first: SpokenWord, second: SpokenWord) -> bool:
        """A pause from the first word's middle to the second's, or a gap in word times."""
        if second.start - first.end >= SELF_CORRECTION_PAUSE:
            return True
        if not self._mids:
            return False
        low, high = (first.start + first.end) / 2, (second.start + second.end) / 2
        k = bisect.bisect_right(self._mids, low)
        return k < len(self._mids) and self._mids[k] < high


def merge_self_corrections(
    judged: Sequence[Link],
    keys: Sequence[str],
    spoken: Sequence[SpokenWord],
    ref_keys: Sequence[str],
    stops: Stops,
) -> list[Link]:
    """Fold "wrong right" into one `self_corrected` reference word."""
    out: list[Link] = []
    for item in judged:
        merged = None
        if out and item.status == _OK:  # a compound may be heard as two words
            before = out[-1].status
            if before in _EXTRA:
                merged = _try_merge(out, item, keys, spoken, ref_keys, stops)
            elif before == _SUB:
                merged = _try_swap(out, item, spoken, stops)
            elif before == _FIXED or (before == _OK and len(out) > 1 and out[-2].status == _INS):
                merged = _try_tail(out, item, spoken, ref_keys, stops)
        elif item.status == WordStatus.REPEATED and out and out[-1].status == _OK:
            merged = _try_restart(out, item, keys, spoken, stops)
        out.append(item if merged is None else merged)
    return out


def _try_merge(
    out: list[Link],
    item: Link,
    keys: Sequence[str],
    spoken: Sequence[SpokenWord],
    ref_keys: Sequence[str],
    stops: Stops,
) -> Link | None:
    """If ``out`` ends with a slip before ``item``, remove it and return the merge."""
    k = len(out)
    while k and out[k - 1].status == WordStatus.REPEATED:
        k -= 1  # a restart between the slip and the right word
    wrong_end = k
    while k and out[k - 1].status == _INS and wrong_end - k < _MAX_WRONG_WORDS:
        k -= 1
    if k == wrong_end or (k and out[k - 1].status == _INS):
        return None
    wrong = [out[m].spoken[0] for m in range(k, wrong_end)]
    assert item.ref is not None
    restarted = wrong_end < len(out)
    expected, right = ref_keys[item.ref], item.spoken[0]
    # The engine may hear a long slip as a content word and a short one ("admit
    # *implements* impediments" heard "admit employment is impediments"): a content
    # word before the last extra may be the slip too (not a function word: "want
    # the walk he" is no slip of "he").
    slips = [w for w in wrong[:-1] if keys[w] not in FUNCTION_WORDS] + [wrong[-1]]
    if not (restarted or any(stands_for(keys[w], expected, stops.related) for w in slips)):
        if not stops.between(spoken[wrong[-1]], spoken[right]):
            return None
    del out[k:wrong_end]
    return Link(WordStatus.SELF_CORRECTED, item.ref, (*wrong, *item.spoken))


def _try_swap(out: list[Link], item: Link, spoken: Sequence[SpokenWord], stops: Stops) -> Link | None:
    """[extra x][y for word r][right word r+1], a pause before the right word:
    x was word r (misheard) and y a slip before r+1."""
    sub = out[-1]
    if len(out) < 2 or out[-2].status != _INS or len(sub.spoken) != 1:
        return None
    if len(out) > 2 and out[-3].status in _EXTRA:
        return None  # a longer run of extra words is not one slip
    slip, right = sub.spoken[0], item.spoken[0]
    if not stops.between(spoken[slip], spoken[right]):
        return None
    out[-2:] = [Link(_SUB, sub.ref, out[-2].spoken)]
    return Link(WordStatus.SELF_CORRECTED, item.ref, (slip, *item.spoken))


def _try_restart(
    out: list[Link], item: Link, keys: Sequence[str], spoken: Sequence[SpokenWord], stops: Stops
) -> Link | None:
    """[slip][word r][pause][word r again]: the slip and a false start, then the word."""
    said, again = out[-1].spoken, item.spoken[0]
    if len(said) != 1 or keys[said[0]] != keys[again] or len(out) < 2 or out[-2].status != _INS:
        return None
    if (len(out) > 2 and out[-3].status == _INS) or not stops.between(spoken[said[0]], spoken[again]):
        return None
    slip = out[-2].spoken
    ref = out[-1].ref
    del out[-2:]
    return Link(WordStatus.SELF_CORRECTED, ref, (*slip, said[0], again))


def _try_tail(
    out: list[Link], item: Link, spoken: Sequence[SpokenWord], ref_keys: Sequence[str], stops: Stops
) -> Link | None:
    """[slip][function word r][pause inside a phrase][word r+1]: r+1 was repaired.

    The slip is the extra words before r, or the slip already folded into r
    (as a repair of r) when there was no pause between them.
    """
    last = out[-1]
    if last.ref is None or item.ref != last.ref + 1 or last.ref in stops.phrase_ends:
        return None
    if ref_keys[last.ref] not in FUNCTION_WORDS or len(last.spoken) > _MAX_WRONG_WORDS + 1:
        return None
    word = last.spoken[-1]
    if last.status == _FIXED:
        slip, cut = list(last.spoken[:-1]), len(out) - 1
    elif len(last.spoken) != 1:
        return None
    else:
        cut = len(out) - 1
        while cut and out[cut - 1].status == _INS and len(out) - 1 - cut < _MAX_WRONG_WORDS:
            cut -= 1
        if cut == len(out) - 1 or (cut and out[cut - 1].status == _INS):
            return None
        slip = [out[m].spoken[0] for m in range(cut, len(out) - 1)]
    if not slip or stops.between(spoken[slip[-1]], spoken[word]):
        return None  # a pause before r: r itself was the repair
    if not stops.between(spoken[word], spoken[item.spoken[0]]):
        return None
    out[cut:] = [Link(_OK, last.ref, (word,))]
    return Link(_FIXED, item.ref, (*slip, *item.spoken))


def merge_unlike_copies(links: list[Link], spoken: Sequence[SpokenWord], stops: Stops) -> None:
    """[word r][pause][word r again, not sounding like the first]: the first was
    a slip heard as the word (the piece predicted it), the second its repair.

    A learner repeating a word says it alike; the engine measured that
    (``SpokenWord.unlike_previous``). Runs over the whole alignment, since the
    word before the copy lies outside the copy's window.
    """
    k = 1
    while k < len(links):
        copy, first = links[k], links[k - 1]
        if (
            copy.status == WordStatus.REPEATED
            and first.status == _OK
            and len(copy.spoken) == 1
            and len(first.spoken) == 1
            # the mark compares a word with the one said just before it
            and copy.spoken[0] == first.spoken[0] + 1
            and spoken[copy.spoken[0]].unlike_previous
            and _broken(spoken[first.spoken[0]], spoken[copy.spoken[0]], stops)
        ):
            links[k - 1 : k + 1] = [Link(_FIXED, first.ref, (first.spoken[0], copy.spoken[0]))]
        k += 1


def _broken(first: SpokenWord, copy: SpokenWord, stops: Stops) -> bool:
    """A pause, or a short break, between a word and its unlike copy."""
    return copy.start - first.end >= UNLIKE_COPY_BREAK or stops.between(first, copy)
