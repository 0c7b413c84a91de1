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

The open decode keeps the word when a slip differs from it by a phone or two
("crated created", "troops truths" in noise), so where it finds no slip the
copies are weighed one-for-one (offline-2026.12.9): the first copy fits its
best sound-alike clearly better than the word (``WEIGHED_GAIN``), and the
second fits the word better than its own best sound-alike. A repetition fits the word alike twice
(docs/scoring-history.md, sixteenth round).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pocketsphinx import Decoder
from rapidfuzz.distance import Levenshtein

from shared.domain.function_words import FUNCTION_WORDS
from shared.domain.transcript import SpokenWord
from shared.transcription.offline.decoder import (
    CONTEXT_WORDS,
    Context,
    context_of,
    decode_grammar,
    path_score,
)
from shared.transcription.offline.vocabulary import MIN_LETTERS, near_sounds, slip_vocabulary

MAX_CANDIDATES = 40  # sound-alikes offered in the grammar, the most alike first
MIN_SIMILARITY = 0.5  # of the phones ("temper" for "temperate" is 0.57): the acoustics decide
# How much better (path-score units) the first copy must fit its sound-alike than
# the word when the copies are weighed: slips gained 94-129 ("crated", "troops",
# "temper"), repetitions up to 61 ("made made" in a real recording as "mate";
# "temperate temperate" 24 as "tempered"). Set between them on eight pairs, so
# thin (docs/scoring-history.md, sixteenth round).
WEIGHED_GAIN = 80
_SEARCH = "_copy_slip"
_RESERVED = frozenset({"public", "grammar", "import"})  # JSGF keywords


@dataclass(frozen=True)
class _Pair:
    """One copied word under the look: the recording, the heard words held
    around the pair (``context``), the word and its sound-alikes."""

    decoder: Decoder
    samples: np.ndarray
    context: Context
    word: str
    candidates: list[str]
    cmn: str


def find_copy_slips(
    decoder: Decoder, samples: np.ndarray, heard: list[SpokenWord], piece: list[str], cmn: str
) -> list[SpokenWord]:
    """The heard words, the first of each copied content word rewritten as the
    slip the recording says it was. Leaves a grammar search active."""
    out = list(heard)
    words = set(piece)
    doubled = {a for a, b in zip(piece, piece[1:], strict=False) if a == b}  # "zero zero" is the piece's own
    for k in range(1, len(out)):
        word = out[k].text
        if out[k - 1].text != word or word in FUNCTION_WORDS or len(word) < MIN_LETTERS or word not in words:
            continue
        if word in doubled:
            continue
        candidates = _candidates(word, decoder.lookup_word(word))
        if not candidates:
            continue
        context = _readable_context(decoder, samples, out, k - 1, cmn)
        pair = _Pair(decoder, samples, context, word, candidates, cmn)
        slip = _open_slip(pair)
        if slip is None:
            slip = _weighed_slip(pair)
        if slip is not None:
            out[k - 1] = out[k - 1]._replace(text=slip.text, start=slip.start, end=slip.end)
            out[k] = out[k]._replace(unlike_previous=False)
    return out


def _readable_context(
    decoder: Decoder, samples: np.ndarray, heard: list[SpokenWord], k: int, cmn: str
) -> Context:
    """The heard words held around the pair at ``k``: two each side, or only
    one after when the stretch cannot be read to its end with two
    (offline-2026.12.14: the tune split's reverberant "with *fairness* firmness
    in the right", where the 0.08 s "the" is never reached and the copies were
    never weighed). Two each side when neither reads."""
    word = heard[k].text
    for after_words in (CONTEXT_WORDS, 1):
        context = context_of(heard, k, k + 2, len(samples), after_words)
        reading = [*context.before, word, word, *context.after]
        if path_score(decoder, _SEARCH, samples, context, reading, cmn) is not None:
            return context
    return context_of(heard, k, k + 2, len(samples))


def _open_slip(pair: _Pair) -> SpokenWord | None:
    """The first copy as heard when the word is offered beside its sound-alikes,
    if it leaves the word and the second copy stays it."""
    first = _choose(pair, 0)
    if first is None or first.text == pair.word:
        return None
    second = _choose(pair, 1)
    return first if second is not None and second.text == pair.word else None


def _weighed_slip(pair: _Pair) -> SpokenWord | None:
    """The first copy's best sound-alike, if it fits that copy clearly better
    than the word while the second copy fits the word better than its own."""
    word = pair.word
    both = _fit(pair, [word, word])
    if both == float("-inf"):
        return None
    first = _choose(pair, 0, offer_word=False)
    if first is None or _fit(pair, [first.text, word]) < both + WEIGHED_GAIN:
        return None
    second = _choose(pair, 1, offer_word=False)
    if second is not None and _fit(pair, [word, second.text]) >= both:
        return None  # the second copy is as unlike the word: noise, or a repetition said oddly
    return first


def _fit(pair: _Pair, copies: list[str]) -> float:
    """The path score of the stretch read with ``copies`` for the pair (-inf if it cannot be read)."""
    context = pair.context
    reading = [*context.before, *copies, *context.after]
    score = path_score(pair.decoder, _SEARCH, pair.samples, context, reading, pair.cmn)
    return float("-inf") if score is None else score


def _candidates(word: str, pronounced: str | None) -> list[str]:
    """Up to ``MAX_CANDIDATES`` sound-alikes of the word, the most alike first.
    A piece word rarer than the vocabulary ("firmness", "perches") is taken by
    its dictionary phones (``pronounced``)."""
    vocabulary = slip_vocabulary()
    said = vocabulary.phones.get(word) or tuple((pronounced or "").split())
    found = [c for c in near_sounds(word, said, vocabulary, MIN_SIMILARITY, onset=1) if c not in _RESERVED]
    found.sort(key=lambda c: -Levenshtein.normalized_similarity(said, vocabulary.phones[c]))  # stable
    return found[:MAX_CANDIDATES]


def _choose(pair: _Pair, slot: int, offer_word: bool = True) -> SpokenWord | None:
    """Copy ``slot`` (0 or 1) of the pair as the grammar hears it when it may be
    a sound-alike or (``offer_word``) the word (None if the decode failed)."""
    word, context = pair.word, pair.context
    options = f"( {' | '.join([word, *pair.candidates] if offer_word else pair.candidates)} )"
    copies = [options, word] if slot == 0 else [word, options]
    body = " ".join([*context.before, *copies, *context.after])
    grammar = f"#JSGF V1.0;\ngrammar copy;\npublic <copy> = {body};\n"
    found = decode_grammar(pair.decoder, _SEARCH, grammar, pair.samples, context, pair.cmn)
    if found is None or len(found) != len(context.before) + 2 + len(context.after):
        return None
    return found[len(context.before) + slot]
