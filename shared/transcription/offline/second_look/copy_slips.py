"""Was the first of two copies a slip that sounds like the word?

A slip that sounds like the right word ("more *temper* temperate", "we hold
these *troops* truths") is heard by the piece-biased first pass as the word
itself, twice: the text reads a repetition, and the copies measure alike by
sound (``copies``), since most of their sounds are the same. So at each
content word heard twice in a row, the two copies are decoded again with a
grammar that holds the heard words around them and offers, for one copy at
a time, the word or the words that sound like it (``vocabulary.near_sounds``:
the same first phone and half the phones, among the 30,000 most frequent
words). When the first copy is heard as
another word and the second stays the word, the first was a slip and is
written as heard;
when both copies leave the word, or neither does, they sound alike and stay
a repetition (a learner repeating a word says it the same way twice).
"""

from __future__ import annotations

import numpy as np
from pocketsphinx import Decoder
from rapidfuzz.distance import Levenshtein

from shared.domain.function_words import FUNCTION_WORDS
from shared.domain.transcript import SpokenWord
from shared.transcription.offline.decoder import context_of, decode_grammar
from shared.transcription.offline.vocabulary import MIN_LETTERS, near_sounds, slip_vocabulary

MAX_CANDIDATES = 40  # sound-alikes offered in the grammar, the most alike first
MIN_SIMILARITY = 0.5  # of the phones ("temper" for "temperate" is 0.57): the acoustics decide
_SEARCH = "_copy_slip"
_RESERVED = frozenset({"public", "grammar", "import"})  # JSGF keywords


def find_copy_slips(
    decoder: Decoder, samples: np.ndarray, heard: list[SpokenWord], piece: list[str], cmn: str
) -> list[SpokenWord]:
    """The heard words, the first of each copied content word rewritten as the
    slip the recording says it was. Leaves a grammar search active."""
    out = list(heard)
    words = set(piece)
    for k in range(1, len(out)):
        word = out[k].text
        if out[k - 1].text != word or word in FUNCTION_WORDS or len(word) < MIN_LETTERS or word not in words:
            continue
        candidates = _candidates(word, decoder.lookup_word(word))
        if not candidates:
            continue
        first = _choose(decoder, samples, out, k - 1, candidates, cmn, 0)
        if first is None or first.text == word:
            continue
        second = _choose(decoder, samples, out, k - 1, candidates, cmn, 1)
        if second is not None and second.text == word:
            out[k - 1] = out[k - 1]._replace(text=first.text, start=first.start, end=first.end)
            out[k] = out[k]._replace(unlike_previous=False)
    return out


def _candidates(word: str, pronounced: str | None) -> list[str]:
    """Up to ``MAX_CANDIDATES`` sound-alikes of the word, the most alike first.
    A piece word rarer than the vocabulary ("firmness", "perches") is taken by
    its dictionary phones (``pronounced``)."""
    vocabulary = slip_vocabulary()
    said = vocabulary.phones.get(word) or tuple((pronounced or "").split())
    found = [c for c in near_sounds(word, said, vocabulary, MIN_SIMILARITY, onset=1) if c not in _RESERVED]
    found.sort(key=lambda c: -Levenshtein.normalized_similarity(said, vocabulary.phones[c]))  # stable
    return found[:MAX_CANDIDATES]


def _choose(
    decoder: Decoder,
    samples: np.ndarray,
    heard: list[SpokenWord],
    k: int,
    candidates: list[str],
    cmn: str,
    slot: int,
) -> SpokenWord | None:
    """Copy ``slot`` (0 or 1) of the pair at ``k`` as the grammar hears it when
    it may be the word or a sound-alike (None if the decode failed)."""
    word = heard[k].text
    context = context_of(heard, k, k + 2, len(samples))
    options = f"( {' | '.join([word, *candidates])} )"
    pair = [options, word] if slot == 0 else [word, options]
    body = " ".join([*context.before, *pair, *context.after])
    grammar = f"#JSGF V1.0;\ngrammar copy;\npublic <copy> = {body};\n"
    found = decode_grammar(decoder, _SEARCH, grammar, samples, context, cmn)
    if found is None or len(found) != len(context.before) + 2 + len(context.after):
        return None
    return found[len(context.before) + slot]
