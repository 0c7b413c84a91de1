"""A slip that swallowed the short word before the word it stood for.

"lift up mine eyes unto the *mountains* hills": the learner said "the",
reached for "hills" with a synonym and repaired it, but the recogniser
heard "unto mountains hills". The short function word has little sound of
its own, and the alignment pairs the slip with it: "the" substituted by
"mountains", "hills" correct, so the repair reads as a content word said
for "the". A teacher hears a slip repaired at once: "mountains" was an
attempt at "hills", not at "the". So where a content word is heard in the
place of a function word, right before a correct word it could stand for
(the repair rule's own test, ``repairs.stands_for``) and not for the
function word, the slip is folded into the next word as `self_corrected`,
and the function word, which nothing was heard for, is `omitted`. Accuracy
is unchanged (one wrong word either way); the repair is shown as it was made.
Since scoring 2026.12.4.
"""

from __future__ import annotations

from collections.abc import Sequence

from shared.domain.alignment import Link
from shared.domain.function_words import FUNCTION_WORDS, REPAIR_MATES
from shared.domain.relations import WordRelations
from shared.domain.repairs import stands_for
from shared.domain.result import WordStatus

_SUB, _OK = WordStatus.SUBSTITUTED, WordStatus.CORRECT


def merge_swallowed_slips(
    links: list[Link], keys: Sequence[str], ref_keys: Sequence[str], related: WordRelations
) -> None:
    """[content word y for function word r][r+1 said right], y standing for
    r+1: r omitted, r+1 self-corrected with y (in place)."""
    k = 0
    while k + 1 < len(links):
        sub, item = links[k], links[k + 1]
        if _swallowed(sub, item, keys, ref_keys, related):
            assert sub.ref is not None
            links[k : k + 2] = [
                Link(WordStatus.OMITTED, sub.ref, ()),
                Link(WordStatus.SELF_CORRECTED, item.ref, (*sub.spoken, *item.spoken)),
            ]
        k += 1


def _swallowed(
    sub: Link, item: Link, keys: Sequence[str], ref_keys: Sequence[str], related: WordRelations
) -> bool:
    if sub.status != _SUB or item.status != _OK or sub.ref is None or item.ref != sub.ref + 1:
        return False
    if len(sub.spoken) != 1 or len(item.spoken) != 1:
        return False
    slip, word, swallowed = keys[sub.spoken[0]], ref_keys[item.ref], ref_keys[sub.ref]
    if swallowed not in FUNCTION_WORDS or slip in FUNCTION_WORDS or slip in REPAIR_MATES:
        return False  # only a content word heard where a short word was said
    return stands_for(slip, word, related) and not stands_for(slip, swallowed, related)
