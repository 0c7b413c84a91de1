"""Where the engine may have heard a piece word as another word.

The acoustic model confuses some words with others of nearly the same
sounds, and does so again on every reading by the same voice: "soul" heard
"sell", "lord" heard "large", "unalienable" heard "unbelievable". Each
such word stands one for one where the piece has a content word whose
dictionary phones are mostly the same, or, in a stretch where more (or
fewer) words were heard than the piece has, is the heard word that sounds
most like such a piece word (offline-2026.12.15: an extra word before it,
"summer's *morning* day" heard "summer's more been date"). These spots are where the engine
asks the recording how well the piece's word fits (``sound_alikes``).
Function words of one class are left out: "a" for "the" is the very swap
learners make, and it sounds alike by nature. A function word heard for
one of another class ("off" for "us") is a spot (offline-2026.12.16).

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

from rapidfuzz.distance import Levenshtein, Opcode

from shared.domain.fillers import spoken_places
from shared.domain.function_words import FUNCTION_WORDS, said_for

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
    content words with mostly the same phones (or function words of different
    classes), or with ``every`` (a recording on a steady noise floor) any two
    words the dictionary can pronounce; and where more (or fewer) words were
    heard than the piece has, the heard word most like each piece word."""
    spoken = spoken_places(heard, piece)
    words = [heard[k] for k in spoken]
    found: list[SoundAlike] = []
    ops = list(Levenshtein.opcodes(words, list(piece)))
    for op in ops:
        if op.tag != "replace" or op.src_end - op.src_start != op.dest_end - op.dest_start:
            continue
        for i, j in zip(range(op.src_start, op.src_end), range(op.dest_start, op.dest_end), strict=True):
            if _pronounceable(words[i], piece[j], phones) if every else _alike(words[i], piece[j], phones):
                found.append(SoundAlike(spoken[i], piece[j]))
    taken = {spot.heard for spot in found}
    for block in _uneven_blocks(ops):
        found.extend(s for s in _paired_by_sound(block, words, piece, spoken, phones) if s.heard not in taken)
    return sorted(found, key=lambda spot: spot.heard)


def _uneven_blocks(ops: Sequence[Opcode]) -> list[Opcode]:
    """Runs of unequal opcodes between two equal ones where more (or fewer)
    words were heard than the piece has there."""
    blocks: list[Opcode] = []
    run: list[Opcode] = []
    for op in [*ops, None]:
        if op is not None and op.tag != "equal":
            run.append(op)
            continue
        if run:
            first, last = run[0], run[-1]
            src, dest = (first.src_start, last.src_end), (first.dest_start, last.dest_end)
            if src[1] - src[0] != dest[1] - dest[0]:
                blocks.append(Opcode("replace", *src, *dest))
            run = []
    return blocks


def _paired_by_sound(
    op: Opcode, words: Sequence[str], piece: Sequence[str], spoken: Sequence[int], phones: Phones
) -> list[SoundAlike]:
    """In a stretch where more (or fewer) words were heard than the piece has,
    each piece word with the heard word after the last one paired that
    sounds most like it, if any does (``_alike``): an extra word said beside
    a piece word ("no *pocket* haste", heard "no pocket based") leaves no
    one-for-one pairs."""
    found: list[SoundAlike] = []
    low = op.src_start
    for j in range(op.dest_start, op.dest_end):
        shares = [(_alike_share(words[i], piece[j], phones), i) for i in range(low, op.src_end)]
        shares = [(share, i) for share, i in shares if share is not None]  # 0.0: unlike function words
        if shares:
            i = max(shares)[1]
            found.append(SoundAlike(spoken[i], piece[j]))
            low = i + 1
    return found


def _pronounceable(heard: str, expected: str, phones: Phones) -> bool:
    return bool(phones(heard)) and bool(phones(expected))


def _alike(heard: str, expected: str, phones: Phones) -> bool:
    return _alike_share(heard, expected, phones) is not None


def _alike_share(heard: str, expected: str, phones: Phones) -> float | None:
    """The share of phones two words have in common when the recording is to be
    asked about them (a spot), else None."""
    if heard == expected:
        return None  # paired across an uneven stretch: nothing to ask
    if heard in FUNCTION_WORDS and expected in FUNCTION_WORDS:
        # Of different classes ("off" heard for "us", "be" for "he";
        # offline-2026.12.16) no learner's swap: the sounds decide. Class-mates
        # ("a" for "the") are the learner's own miscue and sound alike by
        # nature, so the recording cannot tell them apart: never a spot.
        return None if said_for(heard, expected) else _similarity(heard, expected, phones)
    if heard in FUNCTION_WORDS or expected in FUNCTION_WORDS:
        return None
    similarity = _similarity(heard, expected, phones)
    return similarity if similarity is not None and similarity >= MIN_PHONE_SIMILARITY else None


def _similarity(heard: str, expected: str, phones: Phones) -> float | None:
    said, written = phones(heard), phones(expected)
    if not said or not written:
        return None
    return float(Levenshtein.normalized_similarity(said.split(), written.split()))
