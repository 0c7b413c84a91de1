"""Was an extra word heard right before a piece word a slip for it?

A slip repaired at once ("thy *king* kingdom come") is often heard by the
piece-biased first pass as a word the scorer cannot relate to the right one
("thy came kingdom come"): the repair reads as an insertion. At each single
extra word right before a heard piece word (``extra_slip_spots``), the
stretch (two heard words each side held fixed) is decoded again with a
grammar offering, in the extra word's place, what was heard or one of the
words that could stand for the piece word: its class-mates for a function
word; words that sound like it (those sharing the longest start with it
first, since offline-2026.12.13) and WordNet relatives among the 30,000 most
frequent words for a content word. With no language model, the acoustics
choose. A word the grammar prefers replaces the heard one when the stretch
fits it at least as well (``MIN_GAIN``, path-score units): a word really
inserted ("the *river* garden") fits best as heard. No larger margin: real
slips gained 140-589 units, and a word the engine had wrongly added in
noise gained 362, so no margin separates them (docs/scoring-history.md).
"""

from __future__ import annotations

import numpy as np
from pocketsphinx import Decoder
from rapidfuzz.distance import Levenshtein

from shared.domain.function_words import FUNCTION_WORDS, REPAIR_MATES
from shared.domain.stand_ins import stands_for
from shared.domain.transcript import SpokenWord
from shared.transcription.offline.decoder import Context, context_of, decode_grammar, path_score
from shared.transcription.offline.second_look.extra_slip_spots import candidates, extra_slip_spots
from shared.transcription.offline.vocabulary import near_sounds, slip_vocabulary
from shared.wordnet import RELATIONS

MAX_CANDIDATES = 60  # words offered in the extra word's place, besides what was heard
MIN_SIMILARITY = 0.3  # of the phones, for a word that sounds like the piece word
# How much better the stretch must fit the offered word than the heard one.
MIN_GAIN = 0
_SEARCH = "_extra_slip"
_RESERVED = frozenset({"public", "grammar", "import"})  # JSGF keywords


def rehear_extra_slips(
    decoder: Decoder, samples: np.ndarray, heard: list[SpokenWord], piece: list[str], cmn: str
) -> list[SpokenWord]:
    """The heard words, each extra word before a piece word rewritten as the
    slip for it the recording says it was. Leaves a grammar search active."""
    out = list(heard)
    for spot in extra_slip_spots([w.text for w in heard], piece):
        k = spot.heard
        if out[k].unlike_previous:
            continue  # an unlike copy is the word's own repair ("are are"), not a slip for the next
        options = [c for c in offered(decoder, spot.expected) if decoder.lookup_word(c) is not None]
        options = candidates(spot.expected, out[k].text, options, _stands_for, MAX_CANDIDATES)
        if not options:
            continue
        context = context_of(out, k, k + 1, len(samples))
        chosen = choose(decoder, samples, context, out[k].text, options, cmn)
        if chosen is None or chosen.text == out[k].text:
            continue
        gain = fit_gain(decoder, samples, context, out[k].text, chosen.text, cmn)
        if gain is not None and gain >= MIN_GAIN:
            out[k] = out[k]._replace(text=chosen.text, start=chosen.start, end=chosen.end, confidence=None)
    return out


def offered(decoder: Decoder, word: str) -> list[str]:
    """Words a slip for ``word`` might be, the likeliest first."""
    if word in FUNCTION_WORDS or word in REPAIR_MATES:
        return sorted(REPAIR_MATES.get(word, ()))
    vocabulary = slip_vocabulary()
    said = vocabulary.phones.get(word) or tuple((decoder.lookup_word(word) or "").split())
    alike = near_sounds(word, said, vocabulary, MIN_SIMILARITY)
    alike.sort(key=lambda w: _likeness(said, vocabulary.phones[w]))  # stable: common words first on a tie
    alike = [w for w in alike if _stands_for(w, word)][: MAX_CANDIDATES // 2]  # spelled like it too
    related = [  # synonyms first, then words of a linked sense, then siblings; common words first
        w
        for tier in RELATIONS.relatives(word)
        for w in sorted(tier & vocabulary.rank.keys(), key=vocabulary.rank.__getitem__)
    ]
    return [w for w in (*alike, *related) if w not in _RESERVED]


def _likeness(said: tuple[str, ...], other: tuple[str, ...]) -> tuple[int, float]:
    """Sort key, the likeliest slip first: the longer start shared with the
    word, then more of its phones (offline-2026.12.13). A slip starts like the
    word it reaches for ("tempest" for "temptation", three phones, before
    "tension", two, though "tension" shares more phones in all)."""
    shared = 0
    for a, b in zip(said, other, strict=False):
        if a != b:
            break
        shared += 1
    return -shared, -Levenshtein.normalized_similarity(said, other)


def choose(
    decoder: Decoder, samples: np.ndarray, context: Context, heard: str, options: list[str], cmn: str
) -> SpokenWord | None:
    """The extra word as a grammar with no language model hears it (None if the decode failed)."""
    body = " ".join([*context.before, f"( {' | '.join([heard, *options])} )", *context.after])
    grammar = f"#JSGF V1.0;\ngrammar slip;\npublic <slip> = {body};\n"
    found = decode_grammar(decoder, _SEARCH, grammar, samples, context, cmn)
    if found is None or len(found) != len(context.before) + 1 + len(context.after):
        return None
    return found[len(context.before)]


def fit_gain(
    decoder: Decoder, samples: np.ndarray, context: Context, heard: str, other: str, cmn: str
) -> int | None:
    """How much better the stretch fits ``other`` than ``heard`` in the extra word's place."""
    scores = [
        path_score(decoder, _SEARCH, samples, context, [*context.before, word, *context.after], cmn)
        for word in (other, heard)
    ]
    if scores[0] is None or scores[1] is None:
        return None
    return scores[0] - scores[1]


def _stands_for(slip: str, word: str) -> bool:
    return stands_for(slip, word, RELATIONS)
