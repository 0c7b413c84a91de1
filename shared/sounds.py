"""Does a slip sound like the next word? The sound half of "could it stand for it".

A learner who reaches for a word and says one that starts or sounds like it
("crated" for "created", "troops" for "truths", "bottle" for "battle") and
at once the right word has repaired a slip, pause or not. Spelling catches
many such slips, but not those spelled apart ("troops" / "truths", "quire" /
"choir"); the pronouncing dictionary does. Two words sound alike when they
start with the same two phones and share at least ``ONSET_SHARE`` of their
phones (edit-distance similarity), or start with the same phone and share at
least ``WORD_SHARE`` ("temper" / "temperate": the copy look offers such words,
``offline.second_look.copy_slips``). Both words have four letters or more.
Measured in docs/scoring-history.md (sixteenth round): of the pairs of an
unrelated word and a piece word of the tune split (the evaluation's
insertions) 0.09 % pass, against the spelling test's 3.6 % (together 198 ->
199 of 5,569); looser shares (0.3-0.4) took "trying" for "truths" and
"socialize" for "soul".

The dictionary is PocketSphinx's US English one, which the worker already
holds; it is read on the first question (scoring asks only about an extra
word right before a content word) and the answers are cached.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from shared.domain.relations import WordRelations

ONSET_SHARE = 0.5  # the same first two phones and this share of the phones ("troops" / "truths": 0.6)
# The same first phone and this share ("temper" / "temperate": 0.71; not "still" / "soul", 0.5).
WORD_SHARE = 0.6
MIN_LETTERS = 4  # shorter words are alike with too many others ("cat", "cap", "can")


class SoundAlikes:
    """A ``shared.domain.relations.WordRelations`` answered from the pronouncing dictionary."""

    def __init__(self, phones: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self._phones = phones
        self._lock = threading.Lock()
        self._alike = lru_cache(maxsize=65536)(self._compute)

    def __call__(self, slip: str, word: str) -> bool:
        return bool(self._alike(*sorted((slip, word))))

    def phones(self) -> Mapping[str, tuple[str, ...]]:
        with self._lock:
            if self._phones is None:
                self._phones = _read_dictionary()
        return self._phones

    def _compute(self, first: str, second: str) -> bool:
        if min(len(first), len(second)) < MIN_LETTERS:
            return False
        phones = self.phones()
        a, b = phones.get(first), phones.get(second)
        if not a or not b or a[0] != b[0]:
            return False
        share = Levenshtein.normalized_similarity(a, b)
        return share >= WORD_SHARE or (a[:2] == b[:2] and share >= ONSET_SHARE)


def either(*relations: WordRelations) -> WordRelations:
    """Related when any of the relations says so (meaning or sound)."""

    def related(slip: str, word: str) -> bool:
        return any(relation(slip, word) for relation in relations)

    return related


def _read_dictionary() -> Mapping[str, tuple[str, ...]]:
    """The offline engine's pronouncing dictionary, as its slip vocabulary reads it (once per process)."""
    from shared.transcription.offline.vocabulary import dictionary_phones  # the worker's engine

    return dictionary_phones()


SOUNDS = SoundAlikes()  # one per process: the dictionary is read once, on first use


def _meaning_or_sound() -> WordRelations:
    from shared.word_vectors import NEIGHBOURS_BOTH_WAYS
    from shared.wordnet import RELATIONS

    return either(SOUNDS, RELATIONS, NEIGHBOURS_BOTH_WAYS)


# What scoring asks of an extra word before a content word (since 2026.12.3):
# a synonym or near synonym (WordNet; word vectors' near neighbours both ways,
# since 2026.12.7), or a word that sounds like it.
MEANING_OR_SOUND = _meaning_or_sound()
