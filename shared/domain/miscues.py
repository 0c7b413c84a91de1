"""Turn an alignment into miscues a teacher would agree with.

The edit alignment only knows match, substitution, deletion and insertion.
These passes add what a reading tutor listens for:

- repetition: an extra spoken copy of the word(s) just said is `repeated`,
  not an error (insertions are first slid right over identical words so
  the first utterance is the one counted correct);
- self-correction: an extra word followed at once by the right word is
  `self_corrected` on that reference word when it looks like an attempt at
  it (see `shared.domain.repairs`);
- near-homophones: a substitution the engine could not tell apart from the
  expected word by sound is accepted, conservatively (see `_sounds_right`),
  and so is one where the engine found the expected word fits the
  recording at least as well (``SpokenWord.sounds_like``; `_fits_expected`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from shared.domain.alignment import INS, MATCH, SUB, Alignment, Link
from shared.domain.function_words import FUNCTION_WORDS
from shared.domain.lexicon import HOMOPHONES
from shared.domain.relations import WordRelations, unrelated
from shared.domain.repairs import Stops, merge_self_corrections, merge_unlike_copies
from shared.domain.result import WordStatus
from shared.domain.swallowed import merge_swallowed_slips
from shared.domain.tokens import normalise_words
from shared.domain.transcript import SpokenWord

HOMOPHONE_MIN_CONFIDENCE = 0.5  # true homophones (there/their): sound cannot differ
NEAR_HOMOPHONE_MIN_CONFIDENCE = 0.9  # same sound key only; needs a sure engine
_CONTEXT = 6  # links after an extra word that a pass may touch (slides, repairs)

_SOUND_RULES = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"^kn", "n"),
        (r"^wr", "r"),
        (r"^ps", "s"),
        (r"mb$", "m"),
        (r"gh", ""),
        (r"ph", "f"),
        (r"ck", "k"),
        (r"c(?=[eiy])", "s"),
        (r"c", "k"),
        (r"q", "k"),
        (r"x", "ks"),
        (r"z", "s"),
        (r"dg", "j"),
        (r"tch", "ch"),
        (r"^[aeiou]", "a"),
        (r"(?<=.)[aeiouyhw]", ""),
        (r"(.)\1+", r"\1"),
    )
)


Judgement = Link  # (status, ref, spoken) after the refinement passes


def judge(
    alignment: Alignment,
    keys: Sequence[str],
    spoken: Sequence[SpokenWord],
    ref_keys: Sequence[str],
    stops: Sequence[tuple[float, float]] = (),
    phrase_ends: frozenset[int] = frozenset(),
    related: WordRelations = unrelated,
) -> list[Judgement]:
    """Statuses for an alignment's links. ``keys`` are spoken words as compared.

    ``stops`` are voice-activity pauses and silences (start, end), used with the gaps
    between word times to tell a repaired slip from an insertion;
    ``phrase_ends`` are the reference words a pause may naturally follow;
    ``related`` says whether a slip means nearly what the next word means.
    The passes only ever change substitutions and words near an extra
    word (long pieces are mostly plain matches).
    """
    out = list(alignment.links)
    odd = alignment.unmatched
    sounds: dict[str, str] = {}  # sound keys memoised for this call
    for k in odd:
        link = out[k]
        if link.status is SUB and link.ref is not None:
            heard = link.spoken[0]
            expected = ref_keys[link.ref]
            if _fits_expected(spoken[heard], expected) or _sounds_right(
                expected, keys[heard], spoken[heard].confidence, sounds
            ):
                out[k] = link._replace(status=WordStatus.CORRECT)
    substituted = any(out[k].status is SUB for k in odd)  # after the homophone check
    # Slides, repetitions and repairs all start from an extra word, so they
    # run on short windows from each extra word on.
    stopped = Stops(stops, phrase_ends, related)
    extras = [k for k in odd if out[k].status is INS]
    for start, end in reversed(_windows(extras, len(out))):
        out[start:end] = _judge_window(out[start:end], keys, spoken, ref_keys, stopped)
    if extras and any(word.unlike_previous for word in spoken):
        merge_unlike_copies(out, spoken, stopped)
    if substituted:
        merge_swallowed_slips(out, keys, ref_keys, related)
    return out


def _windows(extras: list[int], size: int) -> list[tuple[int, int]]:
    """Merged ranges [k, k + _CONTEXT] from each extra word."""
    windows: list[tuple[int, int]] = []
    for k in extras:
        end = min(size, k + _CONTEXT + 1)
        if windows and k <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((k, end))
    return windows


def _judge_window(
    links: list[Link],
    keys: Sequence[str],
    spoken: Sequence[SpokenWord],
    ref_keys: Sequence[str],
    stops: Stops,
) -> list[Judgement]:
    judged = _slide_insertions(links, keys)
    _mark_repetitions(judged, keys)
    return merge_self_corrections(judged, keys, spoken, ref_keys, stops)


def sound_key(word: str) -> str:
    """A crude sound-alike key: silent letters, soft c, most vowels dropped."""
    for pattern, replacement in _SOUND_RULES:
        word = pattern.sub(replacement, word)
    return word


def _slide_insertions(links: Sequence[Link], keys: Sequence[str]) -> list[Link]:
    """Move extra words right over identical matched words ("the the cat").

    Equal-cost alignments may count either copy as the extra one; sliding
    makes the first utterance the counted one and puts the copy after it.
    """
    out = list(links)
    p = 0
    while p < len(out):
        if out[p].status != INS:
            p += 1
            continue
        q = p
        while q < len(out) and out[q].status == INS:
            q += 1
        nxt = out[q] if q < len(out) else None
        if (
            nxt is not None
            and nxt.status == MATCH
            and len(nxt.spoken) == 1
            and keys[out[p].spoken[0]] == keys[nxt.spoken[0]]
            and not (q + 1 < len(out) and out[q + 1].spoken == nxt.spoken)
        ):
            out[p : q + 1] = [
                Link(MATCH, nxt.ref, out[p].spoken),
                *out[p + 1 : q],
                Link(INS, None, nxt.spoken),
            ]
        p += 1
    return out


def _fits_expected(word: SpokenWord, expected: str) -> bool:
    """The engine found the recording fits the expected word at least as well
    as the sound-alike it heard (``shared.transcription.offline.second_look.sound_alikes``)."""
    if word.sounds_like is None:
        return False
    return [token.key for token in normalise_words([word.sounds_like])] == [expected]


def _sounds_right(expected: str, heard: str, confidence: float | None, sounds: dict[str, str]) -> bool:
    """Accept a substitution only when the sound could not tell them apart.

    True homophones (listed) pass unless the engine itself doubted the word.
    Other sound-alikes pass only for content words of four letters or more,
    with an equal sound key and an engine confidence of at least 0.9; words
    without a confidence never pass this way. Function-word swaps (a/the)
    are never excused.
    """
    if heard in HOMOPHONES.get(expected, ()):
        return confidence is None or confidence >= HOMOPHONE_MIN_CONFIDENCE
    if confidence is None or confidence < NEAR_HOMOPHONE_MIN_CONFIDENCE:
        return False
    if expected in FUNCTION_WORDS or heard in FUNCTION_WORDS:
        return False
    if min(len(expected), len(heard)) < 4:
        return False
    for word in (expected, heard):
        if word not in sounds:
            sounds[word] = sound_key(word)
    return sounds[expected] == sounds[heard]


def _mark_repetitions(judged: list[Judgement], keys: Sequence[str]) -> None:
    """Extra words that copy the words just before them become `repeated`."""
    p = 0
    while p < len(judged):
        if judged[p].status != WordStatus.INSERTED:
            p += 1
            continue
        q = p
        while q < len(judged) and judged[q].status == WordStatus.INSERTED:
            q += 1
        run = [judged[k].spoken[0] for k in range(p, q)]
        for offset in _copied_positions(run, keys):
            judged[p + offset] = judged[p + offset]._replace(status=WordStatus.REPEATED)
        p = q


def _copied_positions(run: list[int], keys: Sequence[str]) -> set[int]:
    """Offsets in a run of extra words that repeat the words said before it.

    A prefix of the run may copy the words just before it (a restart: "the
    people, the people"), and so may a suffix (a restart after a slip:
    "by the, of, by the people").
    """
    start = run[0]
    if len(run) == 1:  # the usual case, and the loops below reduce to this
        return {0} if start and keys[start - 1] == keys[start] else set()
    before = [keys[j] for j in range(max(0, start - len(run)), start)]
    words = [keys[j] for j in run]
    copied: set[int] = set()
    for size in range(min(len(run), len(before)), 0, -1):
        if words[:size] == before[-size:]:
            copied.update(range(size))
            break
    for size in range(min(len(run), len(before)), 0, -1):
        if words[-size:] == before[-size:]:
            copied.update(range(len(run) - size, len(run)))
            break
    return copied
