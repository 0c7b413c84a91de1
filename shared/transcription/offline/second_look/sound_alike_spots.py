"""Where the engine may have heard a piece word as another word.

The acoustic model confuses some words with others of nearly the same
sounds, and does so again on every reading by the same voice: "soul" heard
"sell", "lord" heard "large", "unalienable" heard "unbelievable". Each
such word stands one for one where the piece has a content word whose
dictionary phones are mostly the same. These spots are where the engine
asks the recording how well the piece's word fits (``sound_alikes``).
Function words are left out: "a" for "the" is the very swap learners make,
and it sounds alike by nature.

On a steady noise floor (``every``) the first pass also trades words that
share few sounds, function words among them: under pink noise a real
voice's "ask" was heard "can", "country" "and", "he" "thee". There every
one-for-one substitution is a spot; the check still marks a word only when
the piece's word fits the recording at least as well (or, there, at most
``sound_alikes.STEADY_MAX_SCORE_GAP`` worse). Outside noise that
wider net cleared two real slips ("my" said for "thy", "or" heard for a
swapped "mark") on clean readings, so it stays in noise
(docs/scoring-history.md, "Noise, issue #23, second round"). Pure text:
heard and piece words and a pronunciation lookup in, spots out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from shared.domain.fillers import spoken_places
from shared.domain.function_words import FUNCTION_WORDS

# Share of phones two words must have in common (edit-distance similarity of
# the phone strings): "lord" L AO R D / "large" L AA R JH is 0.5.
MIN_PHONE_SIMILARITY = 0.4

Phones = Callable[[str], str | None]


@dataclass(frozen=True, slots=True)
class SoundAlike:
    heard: int  # index of the heard word
    expected: str  # the piece word it stands for


def sound_alikes(
    heard: Sequence[str], piece: Sequence[str], phones: Phones, *, every: bool = False
) -> list[SoundAlike]:
    """Heard words standing one for one where the piece has a different word:
    content words with mostly the same phones, or with ``every`` (a recording
    on a steady noise floor) any two words the dictionary can pronounce."""
    spoken = spoken_places(heard, piece)
    words = [heard[k] for k in spoken]
    found: list[SoundAlike] = []
    for op in Levenshtein.opcodes(words, list(piece)):
        if op.tag != "replace" or op.src_end - op.src_start != op.dest_end - op.dest_start:
            continue
        for i, j in zip(range(op.src_start, op.src_end), range(op.dest_start, op.dest_end), strict=True):
            if _pronounceable(words[i], piece[j], phones) if every else _alike(words[i], piece[j], phones):
                found.append(SoundAlike(spoken[i], piece[j]))
    return found


def _pronounceable(heard: str, expected: str, phones: Phones) -> bool:
    return bool(phones(heard)) and bool(phones(expected))


def _alike(heard: str, expected: str, phones: Phones) -> bool:
    if heard in FUNCTION_WORDS or expected in FUNCTION_WORDS:
        return False
    said, written = phones(heard), phones(expected)
    if not said or not written:
        return False
    similarity = Levenshtein.normalized_similarity(said.split(), written.split())
    return similarity >= MIN_PHONE_SIMILARITY
