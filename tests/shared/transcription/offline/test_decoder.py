"""Decoding a span into timed words."""

from __future__ import annotations

import numpy as np

from shared.audio.types import TARGET_RATE
from shared.transcription.offline.decoder import decode_span, new_decoder


def test_a_grammar_the_audio_cannot_hold_gives_no_words_not_a_crash() -> None:
    # A forced reading of nine words over a quarter second of silence never
    # reaches the grammar's end: PocketSphinx then has no segments at all.
    decoder = new_decoder()
    reading = "#JSGF V1.0;\ngrammar reading;\npublic <reading> = the lord is my shepherd i shall not want;\n"
    decoder.add_jsgf_string("reading", reading)
    decoder.activate_search("reading")
    silence = np.zeros(TARGET_RATE // 4, dtype=np.float32)
    assert decode_span(decoder, silence, 0, len(silence)) == []
