"""The piece's language model: its words, and an ARPA trigram model over them.

Recognition is biased toward the piece without being forced to it
(docs/scoring.md, "Recognition"): the piece's n-grams are absolute-discounted
so every transition can back off, the unigram mixes the piece's words with a
generic vocabulary, and two kinds of path are added for what learners do:
a filler between two piece words that keeps the piece's context, and a
function word swapped for a class-mate (``confusions``). Pure text in,
ARPA text out; the engine loads it into PocketSphinx.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from shared.domain.fillers import FILLER_SOUNDS
from shared.domain.neighbours import candidates, settled_readings
from shared.domain.numbers import Forms
from shared.domain.roman import is_numeral
from shared.domain.tokens import elided_forms, normalise_token, plain_letters
from shared.domain.unspoken import unspoken_parts, without_unspoken
from shared.transcription.offline.confusions import add_swap_paths

DISCOUNT = 0.5  # absolute discount: leaves room for skips (docs/scoring.md)
FILLER_WEIGHT = 0.02  # 0.005, 0.01, 0.05 tried on the main set: see docs/scoring-history.md
FILLERS_KEEP_CONTEXT = True  # see _filler_paths
SWAP_SHARE = 0.05  # see confusions.py; 0.1 and 0.15 caught no more swaps here but raised false alarms

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")


_SENTENCE_BREAK = re.compile(r"[;!?\n]+|\.(?!\d|(?<=\b[Nn]o\.)[ \t]+\d|(?<=\b[Nn]os\.)[ \t]+\d)|:(?!\d)")


def piece_tokens(text: str) -> list[str]:
    """Lower-case words with sentence breaks kept as "</s>" markers.

    Numbers, ordinals and times are read out as the scorer's first reading
    ("1863" -> eighteen sixty three, "4th" -> fourth, "9:30" -> nine thirty):
    left out, the model had no "fourth" or "thirty" to offer and heard "far"
    and "to" (measured: a correct number-heavy reading scored 64-97).
    """
    out: list[str] = []
    text = without_unspoken(text).replace("\u2019", "'")  # as the scorer reads it: nobody says those
    found = candidates(text.split())
    # A colon in a time, a point in a decimal and "No." before a number are no sentence break.
    for chunk in _SENTENCE_BREAK.split(text):
        raws = chunk.split()
        settled = dict(settled_readings(raws, found))  # "Henry VIII": the eighth; "December 25": twenty fifth
        words = [w for k, raw in enumerate(raws) for w in _token_words(raw, settled.get(k))]
        if words:
            out.extend([*words, "</s>"])
    return out


def cue_tokens(text: str) -> list[str]:
    """What the text holds that nobody need recite ("1." of a list, "[Chorus]"), each cue a
    sentence of its own: the scorer forgives a learner who says one, but only if the
    engine hears it (left out of the model, "two" and "four" were heard "jail" and "far",
    words added to the recitation). Not in the piece's sequence, so a learner who skips
    the cues is not expected to say them."""
    out: list[str] = []
    for cue in unspoken_parts(text)[1]:
        words = [w for raw in cue.strip("[]() \t:.").split() for w in _token_words(raw)]
        if words:
            out.extend([*words, "</s>"])
    return out


def _token_words(raw: str, settled: Forms | None = None) -> list[str]:
    # Numbers, numerals, elisions and "&" are read as the scorer's first reading
    # ("rock 'n' roll": and, not the letter n); other words are taken as written
    # ("café's" is "cafe's", as the scorer reads it, not "caf" and "s", QA).
    forms = settled or (elided_forms(raw) if len(raw) <= 4 else None)
    if forms is None:
        spoken_as_written = not any(ch.isnumeric() for ch in raw) and not is_numeral(raw)
        if spoken_as_written and raw.strip(",;:.!?") != "&":
            return _WORD.findall(plain_letters(raw).lower())
        forms = normalise_token(raw)
    return [w for w in forms[0] if _WORD.fullmatch(w)] if forms else []


def sentences(tokens: Sequence[str]) -> list[list[str]]:
    result: list[list[str]] = [[]]
    for token in tokens:
        if token == "</s>":
            result.append([])
        else:
            result[-1].append(token)
    return [s for s in result if s]


def piece_arpa(sents: Sequence[Sequence[str]], generic: Sequence[tuple[str, float]], weight: float) -> str:
    """ARPA trigram text: absolute-discounted piece n-grams over an interpolated
    unigram (piece words mixed with the generic vocabulary)."""
    padded = [["<s>", *s, "</s>"] for s in sents]
    counts: list[Counter[tuple[str, ...]]] = [Counter(), Counter(), Counter()]
    for sent in padded:
        for n in range(1, 4):
            for i in range(len(sent) - n + 1):
                counts[n - 1][tuple(sent[i : i + n])] += 1
    uni = _unigrams(counts[0], generic, weight)
    lower: dict[tuple[str, ...], float] = {(w,): p for w, p in uni.items()}
    tables = [lower]
    for order in (2, 3):
        tables.append(_discounted(counts[order - 1], counts[order - 2], tables[-1]))
    if SWAP_SHARE > 0:
        add_swap_paths(tables, SWAP_SHARE)
    if FILLERS_KEEP_CONTEXT:
        _filler_paths(tables)
    backoffs = [_backoffs(tables[i], tables[i + 1]) for i in range(2)]
    return _format_arpa(tables, backoffs)


def _filler_paths(tables: list[dict[tuple[str, ...], float]]) -> None:
    """Let a hesitation sound sit between two piece words without losing the context.

    For every piece bigram (a, b): p(um | a) is the filler weight and
    p(b | a, um) = p(b | a), so the word after "um" is still predicted from
    the piece ("kept, um, so many") instead of from the unigram alone.
    """
    for (first, second), p in list(tables[1].items()):
        if first == "<s>" or first in FILLER_SOUNDS:
            continue
        for filler in FILLER_SOUNDS:
            tables[1].setdefault((first, filler), FILLER_WEIGHT)
            tables[2][(first, filler, second)] = p


def _unigrams(
    counts: Counter[tuple[str, ...]], generic: Sequence[tuple[str, float]], weight: float
) -> dict[str, float]:
    piece_total = sum(c for (w,), c in counts.items() if w != "<s>")
    probs: dict[str, float] = defaultdict(float)
    for (word,), count in counts.items():
        if word != "<s>":
            probs[word] += (1 - weight) * count / piece_total
    for word, p in generic:
        probs[word] += weight * p
    # Hesitation sounds get their own words, so "um" is heard as a filler (and
    # set apart by the scorer) instead of as a piece word or "i'm".
    for word in FILLER_SOUNDS:
        probs[word] += FILLER_WEIGHT
    probs["<s>"] = 1e-99  # never predicted, only a history
    return dict(probs)


def _discounted(
    grams: Counter[tuple[str, ...]],
    histories: Counter[tuple[str, ...]],
    lower: dict[tuple[str, ...], float],
) -> dict[tuple[str, ...], float]:
    # Absolute discounting interpolated with the lower order, so the piece's
    # next word is likely but anything else remains possible via backoff.
    types: Counter[tuple[str, ...]] = Counter(g[:-1] for g in grams)
    out: dict[tuple[str, ...], float] = {}
    for gram, count in grams.items():
        hist = histories[gram[:-1]]
        left = DISCOUNT * types[gram[:-1]] / hist
        out[gram] = max(count - DISCOUNT, 0.0) / hist + left * lower.get(gram[1:], 1e-9)
    return out


def _backoffs(
    lower: dict[tuple[str, ...], float], higher: dict[tuple[str, ...], float]
) -> dict[tuple[str, ...], float]:
    seen: dict[tuple[str, ...], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for gram, p in higher.items():
        acc = seen[gram[:-1]]
        acc[0] += p
        acc[1] += lower.get(gram[1:], 0.0)
    return {h: max(1e-9, 1 - a) / max(1e-9, 1 - b) for h, (a, b) in seen.items()}


def _format_arpa(tables: list[dict[tuple[str, ...], float]], backoffs: list[Any]) -> str:
    lines = ["\\data\\"] + [f"ngram {i + 1}={len(t)}" for i, t in enumerate(tables)]
    for order, table in enumerate(tables):
        lines += ["", f"\\{order + 1}-grams:"]
        for gram, p in table.items():
            row = f"{math.log10(max(p, 1e-99)):.4f}\t{' '.join(gram)}"
            if order < len(backoffs):
                row += f"\t{math.log10(backoffs[order].get(gram, 1.0)):.4f}"
            lines.append(row)
    lines += ["", "\\end\\", ""]
    return "\n".join(lines)
