"""Offline engine: PocketSphinx, biased toward the piece but free to hear otherwise.

Recognition uses a trigram model built from the piece's own text, discounted
so that every transition may back off, and interpolated with the most common
words of the generic English model. The piece's word order is cheap, but a
skipped phrase (backing off past it) and a different word (a generic unigram)
stay reachable, so the acoustics can say what was really spoken instead of
the text forcing what should have been. docs/scoring-history.md gives the figures.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Sequence

import numpy as np
import pocketsphinx
from pocketsphinx import NGramModel

from shared.audio.types import TARGET_RATE, DecodedAudio
from shared.domain.transcript import Transcript
from shared.transcription.chunking import plan_chunks
from shared.transcription.offline.decoder import decode_span, new_decoder
from shared.transcription.offline.frontend import prepare
from shared.transcription.offline.piece_model import cue_tokens, piece_arpa, piece_tokens, sentences
from shared.transcription.offline.pronunciations import pronounce, rounded_r_variant
from shared.transcription.offline.second_look import look_again
from shared.transcription.offline.vocabulary import generic_unigrams
from shared.transcription.port import TranscriptionError

MODEL_NAME = f"pocketsphinx-{getattr(pocketsphinx, '__version__', '5.1.1')}-en-us"

# Tuned on synthesised readings (docs/scoring-history.md): how much probability the
# generic vocabulary keeps (``vocabulary.GENERIC_WORDS``: how many words it offers).
GENERIC_WEIGHT = 0.2

UTTERANCE_SAMPLES = 120 * TARGET_RATE
VARIANT_SLOT = 9  # "war(9)": past the dictionary's own variants, read back as "war"
# Bump with any change to what this engine hears (biasing, front end, second
# looks): transcripts are cached by it, and the golden test
# (tests/shared/transcription/offline/test_golden.py) fails on a change without a bump.
RECOGNITION_VERSION = "offline-2026.12.24"


class OfflineTranscriber:
    """Transcriber protocol implementation; create one per worker process."""

    engine = "offline"
    model = MODEL_NAME
    recognition_version = RECOGNITION_VERSION
    uses_reference = True  # piece-biased: its transcripts are cached per piece

    def __init__(self, *, generic_weight: float = GENERIC_WEIGHT, use_piece: bool = True) -> None:
        self._weight = generic_weight
        self._use_piece = use_piece
        self._decoder = new_decoder()
        # The cepstral mean the model starts from; restored before every
        # recording so one recording's channel never shifts the next's result.
        self._initial_cmn = self._decoder.get_cmn()
        self._searches: dict[str, str] = {}
        self._lock = threading.Lock()  # one decoder: one recording at a time

    def transcribe(self, audio: DecodedAudio, reference_text: str | None = None) -> Transcript:
        if audio.sample_rate != TARGET_RATE:
            raise TranscriptionError("bad_audio", "Audio must be 16 kHz mono.")
        samples, conditioning = prepare(audio.samples)
        # The piece's words, read once: they name its search and guide the second look.
        tokens = piece_tokens(reference_text or "") if self._use_piece else []
        cues = cue_tokens(reference_text or "") if tokens else []
        with self._lock:
            search = self._search_for([*tokens, *cues])
            self._decoder.activate_search(search)
            # Live CMN carries the previous recording's cepstral mean into the
            # next (set_cmn alone does not reset its history, measured): a new
            # feature front end gives every recording the same start.
            self._decoder.reinit_feat()
            self._decoder.set_cmn(self._initial_cmn)
            spans = _utterances(samples)
            heard = [word for start, end in spans for word in decode_span(self._decoder, samples, start, end)]
            biased = search != "_default"
            piece = [token for token in tokens if token != "</s>"] if biased else None
            steady = bool(conditioning.get("steady_noise"))
            words = look_again(self._decoder, audio.samples, samples, heard, piece, steady_noise=steady)
        extra = {
            "search": "piece" if biased else "generic",
            "reference_biased": biased,
            "utterances": len(spans),
            **conditioning,
        }
        return Transcript(
            words=tuple(words),
            engine=self.engine,
            model=self.model,
            extra=extra,
            recognition_version=RECOGNITION_VERSION,
        )

    def _search_for(self, tokens: Sequence[str]) -> str:
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

    def _add_variants(self, words: set[str]) -> None:
        """Second pronunciations (``rounded_r_variant``) for every word the
        model can produce: the piece's and the generic vocabulary's, so a
        word's pronunciations never depend on which pieces came before."""
        for word in sorted(words):
            if self._decoder.lookup_word(_variant_name(word)) is not None:
                continue
            variant = rounded_r_variant(word, self._decoder.lookup_word(word))
            if variant is not None:
                self._decoder.add_word(_variant_name(word), variant, False)

    def _add_piece_lm(self, name: str, tokens: Sequence[str]) -> None:
        for word in sorted(set(tokens) - {"</s>"}):
            if self._decoder.lookup_word(word) is None:
                self._decoder.add_word(word, pronounce(word, self._decoder.lookup_word), True)
        generic = generic_unigrams()
        self._add_variants({*tokens, *(word for word, _ in generic)} - {"</s>"})
        arpa = piece_arpa(sentences(tokens), generic, self._weight)
        with tempfile.NamedTemporaryFile("w", suffix=".arpa", delete=False) as handle:
            handle.write(arpa)
        try:
            lm = NGramModel(self._decoder.config, self._decoder.logmath, handle.name)
            self._decoder.add_lm(name, lm)
        finally:
            os.unlink(handle.name)


def _variant_name(word: str) -> str:
    return f"{word}({VARIANT_SLOT})"


def _utterances(samples: np.ndarray) -> list[tuple[int, int]]:
    """Spans decoded as separate utterances. The search's memory grows with the
    utterance, so long recordings are cut at lulls; short ones stay whole."""
    if len(samples) <= UTTERANCE_SAMPLES:
        return [(0, len(samples))]
    return plan_chunks(samples, TARGET_RATE, UTTERANCE_SAMPLES)
