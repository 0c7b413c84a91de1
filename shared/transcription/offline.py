"""Offline engine: PocketSphinx, biased toward the piece but free to hear otherwise.

Recognition uses a trigram model built from the piece's own text, discounted
so that every transition may back off, and interpolated with the most common
words of the generic English model. The piece's word order is cheap, but a
skipped phrase (backing off past it) and a different word (a generic unigram)
stay reachable, so the acoustics can say what was really spoken instead of
the text forcing what should have been. docs/scoring.md gives the figures.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

import numpy as np
import pocketsphinx
from pocketsphinx import Decoder, NGramModel

from shared.audio.types import TARGET_RATE, DecodedAudio
from shared.domain.text import normalise_token
from shared.domain.transcript import SpokenWord, Transcript
from shared.transcription.chunking import plan_chunks
from shared.transcription.confusions import add_swap_paths
from shared.transcription.frontend import prepare
from shared.transcription.port import TranscriptionError
from shared.transcription.pronounce import pronounce

MODEL_NAME = f"pocketsphinx-{getattr(pocketsphinx, '__version__', '5.1.1')}-en-us"
FRAME_SECONDS = 0.01  # PocketSphinx frames are 10 ms

# Tuned on synthesised readings (see docs/scoring.md): how much probability the
# generic vocabulary keeps, how many generic words, and the absolute discount
# that leaves room for skips.
GENERIC_WEIGHT = 0.2
GENERIC_WORDS = 5000
DISCOUNT = 0.5
FILLER_WORDS = ("um", "uh")  # in the dictionary (AH M, AH)
FILLER_WEIGHT = 0.02  # 0.005, 0.01, 0.05 tried on the main set: see docs/scoring.md
FILLERS_KEEP_CONTEXT = True  # see _filler_paths
SWAP_SHARE = 0.05  # see confusions.py; 0.1 and 0.15 caught no more swaps here but raised false alarms

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")
_SPECIAL = re.compile(r"^(<.*>|\[.*\]|\+\+.*\+\+)$")


PCM_BLOCK = 60 * TARGET_RATE
UTTERANCE_SAMPLES = 120 * TARGET_RATE


class OfflineTranscriber:
    """Transcriber protocol implementation; create one per worker process."""

    engine = "offline"
    model = MODEL_NAME
    uses_reference = True  # piece-biased: its transcripts are cached per piece

    def __init__(self, *, generic_weight: float = GENERIC_WEIGHT, use_piece: bool = True) -> None:
        self._weight = generic_weight
        self._use_piece = use_piece
        self._decoder = _new_decoder()
        # The cepstral mean the model starts from; restored before every
        # recording so one recording's channel never shifts the next's result.
        self._initial_cmn = self._decoder.get_cmn()
        self._searches: dict[str, str] = {}
        self._lock = threading.Lock()  # one decoder: one recording at a time

    def transcribe(self, audio: DecodedAudio, reference_text: str | None = None) -> Transcript:
        if audio.sample_rate != TARGET_RATE:
            raise TranscriptionError("bad_audio", "Audio must be 16 kHz mono.")
        samples, conditioning = prepare(audio.samples)
        with self._lock:
            search = self._search_for(reference_text if self._use_piece else None)
            self._decoder.activate_search(search)
            # Live CMN carries the previous recording's cepstral mean into the
            # next (set_cmn alone does not reset its history, measured): a new
            # feature front end gives every recording the same start.
            self._decoder.reinit_feat()
            self._decoder.set_cmn(self._initial_cmn)
            spans = _utterances(samples)
            words = tuple(word for start, end in spans for word in self._decode(samples, start, end))
        biased = search != "_default"
        extra = {
            "search": "piece" if biased else "generic",
            "reference_biased": biased,
            "utterances": len(spans),
            **conditioning,
        }
        return Transcript(words=words, engine=self.engine, model=self.model, extra=extra)

    def _decode(self, samples: np.ndarray, start: int, end: int) -> list[SpokenWord]:
        """One utterance, with word times shifted to the recording's clock."""
        try:
            self._decoder.start_utt()
            self._decoder.process_raw(_to_int16(samples[start:end]), full_utt=True)
            self._decoder.end_utt()
        except RuntimeError as exc:
            raise TranscriptionError("engine_failed", "Speech recognition failed.") from exc
        offset = start / TARGET_RATE
        return [replace(w, start=w.start + offset, end=w.end + offset) for w in _words(self._decoder)]

    def _search_for(self, reference_text: str | None) -> str:
        tokens = piece_tokens(reference_text or "")
        if not tokens:
            return "_default"
        key = " ".join(tokens)
        if key not in self._searches:
            # Keep one piece search at a time: pieces repeat within a batch,
            # and stale searches would otherwise pile up in a long-lived worker.
            for old in self._searches.values():
                self._decoder.remove_search(old)
            self._searches.clear()
            name = f"piece{abs(hash(key))}"
            self._add_piece_lm(name, tokens)
            self._searches[key] = name
        return self._searches[key]

    def _add_piece_lm(self, name: str, tokens: Sequence[str]) -> None:
        for word in sorted(set(tokens) - {"</s>"}):
            if self._decoder.lookup_word(word) is None:
                self._decoder.add_word(word, pronounce(word, self._decoder.lookup_word), True)
        generic = _generic_unigrams(self._decoder)
        arpa = piece_arpa(sentences(tokens), generic, self._weight)
        with tempfile.NamedTemporaryFile("w", suffix=".arpa", delete=False) as handle:
            handle.write(arpa)
        try:
            lm = NGramModel(self._decoder.config, self._decoder.logmath, handle.name)
            self._decoder.add_lm(name, lm)
        finally:
            os.unlink(handle.name)


def _new_decoder() -> Decoder:
    model = pocketsphinx.get_model_path()
    return Decoder(
        hmm=f"{model}/en-us/en-us",
        lm=f"{model}/en-us/en-us.lm.bin",
        dict=f"{model}/en-us/cmudict-en-us.dict",
        samprate=TARGET_RATE,
        loglevel="FATAL",
    )


def _utterances(samples: np.ndarray) -> list[tuple[int, int]]:
    """Spans decoded as separate utterances. The search's memory grows with the
    utterance, so long recordings are cut at lulls; short ones stay whole."""
    if len(samples) <= UTTERANCE_SAMPLES:
        return [(0, len(samples))]
    return plan_chunks(samples, TARGET_RATE, UTTERANCE_SAMPLES)


def _to_int16(samples: np.ndarray) -> np.ndarray:
    """16-bit PCM as a byte view (what process_raw takes), converted a block at a
    time: an hour would otherwise hold four full-length copies (~460 MB)."""
    pcm = np.empty(len(samples), dtype=np.int16)
    for at in range(0, len(samples), PCM_BLOCK):
        block = np.clip(samples[at : at + PCM_BLOCK], -1.0, 1.0)
        pcm[at : at + PCM_BLOCK] = block * 32767.0
    return pcm.view(np.uint8)


def _words(decoder: Decoder) -> Iterable[SpokenWord]:
    for seg in decoder.seg():
        word = re.sub(r"\(\d+\)$", "", seg.word)
        if _SPECIAL.match(word):
            continue  # <s>, </s>, <sil>, [NOISE] and friends are not words
        start = seg.start_frame * FRAME_SECONDS
        end = (seg.end_frame + 1) * FRAME_SECONDS  # end frame is inclusive
        # seg.prob is already a lattice posterior in [0, 1] (the binding
        # converts it); exponentiating it again made every confidence 1.0.
        confidence = max(0.0, min(1.0, seg.prob)) if seg.prob is not None else None
        yield SpokenWord(word, round(start, 2), round(end, 2), confidence)


def piece_tokens(text: str) -> list[str]:
    """Lower-case words with sentence breaks kept as "</s>" markers.

    Numbers, ordinals and times are read out as the scorer's first reading
    ("1863" -> eighteen sixty three, "4th" -> fourth, "9:30" -> nine thirty):
    left out, the model had no "fourth" or "thirty" to offer and heard "far"
    and "to" (measured: a correct number-heavy reading scored 64-97).
    """
    out: list[str] = []
    # A colon in a time or a point in a decimal is not a sentence break.
    for chunk in re.split(r"[;!?\n]+|\.(?!\d)|:(?!\d)", text.lower().replace("\u2019", "'")):
        words = [w for raw in chunk.split() for w in _token_words(raw)]
        if words:
            out.extend([*words, "</s>"])
    return out


def _token_words(raw: str) -> list[str]:
    if not any(ch.isdigit() for ch in raw):
        return _WORD.findall(raw)
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


@lru_cache(maxsize=1)
def _generic_cache(path: str) -> tuple[tuple[str, float], ...]:
    decoder = _new_decoder()
    lm = NGramModel(decoder.config, decoder.logmath, path)
    names = path.replace("en-us.lm.bin", "cmudict-en-us.dict")
    with open(names, encoding="utf-8") as handle:
        vocab = {line.split(" ", 1)[0] for line in handle if "(" not in line.split(" ", 1)[0]}
    scored = sorted(((lm.prob([w]), w) for w in vocab), reverse=True)[:GENERIC_WORDS]
    probs = [(w, decoder.logmath.exp(p)) for p, w in scored]
    total = sum(p for _, p in probs)
    return tuple((w, p / total) for w, p in probs)


def _generic_unigrams(decoder: Decoder) -> tuple[tuple[str, float], ...]:
    model = pocketsphinx.get_model_path()
    return _generic_cache(f"{model}/en-us/en-us.lm.bin")


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
        if first == "<s>" or first in FILLER_WORDS:
            continue
        for filler in FILLER_WORDS:
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
    for word in FILLER_WORDS:
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
