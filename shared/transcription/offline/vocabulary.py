"""The stock model's words: the generic unigrams the piece model mixes in, and
the words a slip may be with their phones (``copy_slips``), each read once
per process; which of them sound like a word."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import pocketsphinx
from pocketsphinx import NGramModel
from rapidfuzz.distance import Levenshtein

from shared.transcription.offline.decoder import new_decoder

GENERIC_WORDS = 5000  # tuned on synthesised readings (docs/scoring-history.md)
SLIP_WORDS = 30000  # the most frequent words of the generic model: rarer ones (names) are not slips
MIN_LETTERS = 4  # shorter words neither get nor are sound-alikes: theirs are everywhere
ENDINGS = ("'s", "s'", "ing", "ed", "es", "ly", "er", "est", "s", "d", "e")


@dataclass(frozen=True)
class Vocabulary:
    """Words a slip may be: phones and frequency rank (0 = most frequent)."""

    phones: Mapping[str, tuple[str, ...]]
    rank: Mapping[str, int]
    by_onset: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    # The two-phone onsets by their first phone, in by_onset's order: a one-phone
    # question reads its onsets here instead of scanning all of them.
    onsets_by_first: dict[tuple[str, ...], list[tuple[str, ...]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for word in sorted(self.rank, key=self.rank.__getitem__):
            self.by_onset.setdefault(self.phones[word][:2], []).append(word)
        for onset in self.by_onset:
            self.onsets_by_first.setdefault(onset[:1], []).append(onset)


def near_sounds(
    word: str, said: tuple[str, ...], vocabulary: Vocabulary, least: float, onset: int = 2
) -> list[str]:
    """Words of the vocabulary sounding like ``word`` (its phones ``said``; the
    word itself may be outside the vocabulary): the same first two phones
    (``onset`` 1: only the first, "left" for "lift") and ``least`` of the
    phones in all (edit-distance similarity), most frequent first within each
    two-phone onset; never a homophone (it cannot be heard as a slip) nor a
    form of the word."""
    if len(said) < 2:
        return []
    starts = vocabulary.onsets_by_first.get(said[:1], []) if onset < 2 else [said[:2]]
    return [
        other
        for key in starts
        for other in vocabulary.by_onset.get(key, ())
        if vocabulary.phones[other] != said
        and other.isalpha()
        and len(other) >= MIN_LETTERS
        and not same_word(other, word)
        and Levenshtein.normalized_similarity(said, vocabulary.phones[other]) >= least
    ]


def same_word(first: str, second: str) -> bool:
    """Forms of one word ("father", "fathers"; "create", "created"), or a word
    and itself cut short by two letters at most ("america", "americans")."""
    short, long = sorted((first, second), key=len)
    return bool(_stems(first) & _stems(second)) or (long.startswith(short) and len(long) - len(short) <= 2)


def _stems(word: str) -> set[str]:
    cut = {word[: -len(e)] for e in ENDINGS if word.endswith(e) and len(word) - len(e) >= MIN_LETTERS}
    return {word, *cut}


@lru_cache(maxsize=1)
def generic_unigrams() -> tuple[tuple[str, float], ...]:
    """The ``GENERIC_WORDS`` most probable words of the generic model, normalised."""
    ranked = _ranked(_paths())[:GENERIC_WORDS]
    total = sum(p for _, p in ranked)
    return tuple((word, p / total) for word, p in ranked)


@lru_cache(maxsize=1)
def slip_vocabulary() -> Vocabulary:
    """The ``SLIP_WORDS`` most probable words with their dictionary phones."""
    ranked = _ranked(_paths())[:SLIP_WORDS]
    phones = _phones(_paths()[1])
    rank = {word: k for k, (word, _) in enumerate(ranked)}
    return Vocabulary(phones={word: phones[word] for word in rank}, rank=rank)


def dictionary_phones() -> Mapping[str, tuple[str, ...]]:
    """The stock pronouncing dictionary: each word's first pronunciation, read once per process."""
    return _phones(_paths()[1])


def _paths() -> tuple[str, str]:
    model = pocketsphinx.get_model_path()
    return f"{model}/en-us/en-us.lm.bin", f"{model}/en-us/cmudict-en-us.dict"


@lru_cache(maxsize=1)
def _ranked(paths: tuple[str, str]) -> tuple[tuple[str, float], ...]:
    decoder = new_decoder()
    lm = NGramModel(decoder.config, decoder.logmath, paths[0])
    scored = sorted(((lm.prob([w]), w) for w in _phones(paths[1])), reverse=True)
    return tuple((w, decoder.logmath.exp(p)) for p, w in scored)


@lru_cache(maxsize=1)
def _phones(path: str) -> dict[str, tuple[str, ...]]:
    """Each word's first pronunciation (variants "word(2)" left out)."""
    out: dict[str, tuple[str, ...]] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            word, _, phones = line.strip().partition(" ")
            if "(" not in word:
                out[word] = tuple(phones.split())
    return out
