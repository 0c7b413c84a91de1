"""Where a hesitation sound may have thrown the recogniser off the piece.

A filler ("um", "uh") is a vowel the recogniser can merge with the words
beside it: "born, um, and a time" comes out "born um to time", the "and a"
lost between the filler and the next word. A filler can also be heard as a
word: "to, uh, be born" came out "to to born", the second "to" a copy that
does not sound like the first (``copies``). Around every filler and
every such unlike copy, the words heard are compared with the piece; where
they differ right there and piece words are missing, the stretch is a
window to decode again, offering both what was heard and what the piece
says (``fillers``). A filler said between pauses can also be heard
as the short word it sounds like: "finish, uh, the work" came out "finish a
work". So a short function word with a pause beside it, standing where the
piece has another function word, gets the same look; only function words,
since a content word the learner really changed must never be offered
back as the piece's. Pure text: heard words and piece words in, windows
out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from shared.domain.fillers import FILLER_SOUNDS, spoken_places
from shared.domain.function_words import FUNCTION_WORDS

MAX_WINDOW_WORDS = 3  # longer differences are skips or real misreadings, not a merged filler


@dataclass(frozen=True, slots=True)
class FillerWindow:
    first: int  # heard index of the window's first word (fillers included)
    last: int  # heard index one past its last word
    expected: tuple[str, ...]  # what the piece says there


def filler_windows(
    heard: Sequence[str],
    piece: Sequence[str],
    unlike_copies: Sequence[int] = (),
    paused_function_words: Sequence[int] = (),
) -> list[FillerWindow]:
    """Stretches beside a heard filler, at a copy that does not sound like the
    word it copies, or at a short function word with a pause beside it (heard
    indices), where piece words were lost."""
    spoken = spoken_places(heard, piece)
    if len(spoken) == len(heard) and not unlike_copies and not paused_function_words:
        return []
    words = [heard[k] for k in spoken]
    blocks = [op for op in Levenshtein.opcodes(words, list(piece)) if op.tag != "equal"]
    windows: list[FillerWindow] = []
    place_of = {k: place for place, k in enumerate(spoken)}
    copies = [(place_of[k], (k, k + 1)) for k in unlike_copies if k in place_of]
    paused = {k for k in paused_function_words if k in place_of}
    found = _filler_runs(len(heard), spoken) + copies + [(place_of[k], (k, k + 1)) for k in sorted(paused)]
    for place, run in sorted(found, key=lambda item: item[1]):
        touching = [op for op in blocks if op.src_start <= place <= op.src_end]
        if not touching:
            continue
        src = (min(op.src_start for op in touching), max(op.src_end for op in touching))
        ref = (min(op.dest_start for op in touching), max(op.dest_end for op in touching))
        if ref[1] == ref[0] or max(src[1] - src[0], ref[1] - ref[0]) > MAX_WINDOW_WORDS:
            continue  # nothing of the piece lost (extra words cost no accuracy), or too much
        first, last = run
        if src[1] > src[0]:  # heard words that differ: cover them too
            first, last = min(first, spoken[src[0]]), max(last, spoken[src[1] - 1] + 1)
        window = FillerWindow(first, last, tuple(piece[ref[0] : ref[1]]))
        if run[0] in paused and not FUNCTION_WORDS.issuperset(window.expected):
            continue
        if not windows or window.first >= windows[-1].last:
            windows.append(window)
    return windows


def _filler_runs(size: int, spoken: Sequence[int]) -> list[tuple[int, tuple[int, int]]]:
    """Each run of fillers (the heard indices not in ``spoken``): how many other
    words come before it, and its span."""
    words = set(spoken)
    runs: list[tuple[int, tuple[int, int]]] = []
    before = 0
    for k in range(size):
        if k in words:
            before += 1
        elif runs and runs[-1][1][1] == k:
            runs[-1] = (runs[-1][0], (runs[-1][1][0], k + 1))
        else:
            runs.append((before, (k, k + 1)))
    return runs


def window_grammar(
    before: Sequence[str], heard: Sequence[str], expected: Sequence[str], after: Sequence[str]
) -> str:
    """JSGF for one window: the fixed words around it, and inside it either what
    was heard or the piece's words with a filler allowed at every gap."""
    optional = " [<filler>] "
    piece_side = optional + optional.join(expected) + optional
    inner = f"( {' '.join(heard)} ) | ( {piece_side.strip()} )"
    return (
        "#JSGF V1.0;\ngrammar window;\n"
        f"<filler> = {' | '.join(sorted(FILLER_SOUNDS))};\n"
        f"public <window> = {' '.join(before)} ( {inner} ) {' '.join(after)};\n"
    )
