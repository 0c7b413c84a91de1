"""An extra word heard before a piece word: was it a slip for that word?

On real synthesised speech. The first pass's mishearing of a slip is
written into its words by hand where flite's speech was heard right; the
look must hear the slip again, and must leave a word really inserted as
it was heard.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from shared.audio.decode import decode_file
from shared.domain.stand_ins import stands_for
from shared.domain.transcript import SpokenWord
from shared.transcription.offline import OfflineTranscriber
from shared.transcription.offline.decoder import new_decoder
from shared.transcription.offline.frontend import prepare
from shared.transcription.offline.piece_model import piece_tokens
from shared.transcription.offline.second_look.extra_slip_spots import candidates
from shared.transcription.offline.second_look.extra_slips import MAX_CANDIDATES, offered, rehear_extra_slips
from shared.wordnet import RELATIONS
from tests.support.recitations import swap_word, synthesise

PIECE = "Let us strive on to finish the work we are in, to bind up the nation's wounds."


@pytest.fixture(scope="module")
def engine() -> OfflineTranscriber:
    return OfflineTranscriber()


def _reheard(
    engine: OfflineTranscriber, said: str, voice: str, path: Path, mishear: tuple[str, str] | None = None
) -> tuple[list[str], list[str]]:
    """What the first pass heard (with ``mishear`` set by hand) and what the look made of it."""
    audio = decode_file(str(synthesise(said, path, voice)), "wav")
    heard: list[SpokenWord] = list(engine.transcribe(audio, PIECE).words)
    if mishear is not None:
        heard = swap_word(heard, *mishear)
    decoder = new_decoder()
    tokens = [t for t in piece_tokens(PIECE) if t != "</s>"]
    words = rehear_extra_slips(decoder, prepare(audio.samples)[0], heard, tokens, decoder.get_cmn())
    return [w.text for w in heard], [w.text for w in words]


def _before(words: list[str], word: str) -> str:
    return words[words.index(word) - 1]


def test_a_slip_set_by_hand_to_an_unrelated_word_is_heard_again(
    engine: OfflineTranscriber, tmp_path: Path
) -> None:
    # rms's "on to end finish" is heard "on to and finish": the grammar too prefers
    # "and" there, as the voice says it. slt's is heard right and set by hand.
    said = PIECE.replace("to finish", "to end finish")
    heard, words = _reheard(engine, said, "slt", tmp_path / "slip.wav", ("end", "and"))
    assert _before(heard, "finish") == "and"
    assert RELATIONS(_before(words, "finish"), "finish"), words


@pytest.mark.parametrize("voice", ["slt", "awb", "rms"])
def test_a_word_really_inserted_stays_as_heard(
    engine: OfflineTranscriber, tmp_path: Path, voice: str
) -> None:
    said = PIECE.replace("to finish", "to table finish")
    heard, words = _reheard(engine, said, voice, tmp_path / "table.wav")
    assert _before(heard, "finish") == "table"
    assert words == heard


def test_a_synonym_is_offered_before_looser_relatives() -> None:
    # Tune, quiet: "my *aid* help" heard "my made help"; "aid" is a synonym of "help"
    # but one of hundreds of its relatives, and was not among those offered.
    options = candidates("help", "made", offered(new_decoder(), "help"), _stands_for, MAX_CANDIDATES)
    assert "aid" in options


def _stands_for(slip: str, word: str) -> bool:
    return stands_for(slip, word, RELATIONS)


def test_a_copy_that_sounds_unlike_the_word_is_not_heard_again_as_a_slip_for_the_next() -> None:
    # "all men *were* are created" heard "are are", the copy marked unlike: the
    # first copy was the slip and the second its repair, so the function-word copy
    # spot before "created" is left as heard (no decoder is asked).
    said = [("men", 0.0, 0.4), ("are", 0.4, 0.65), ("are", 0.89, 1.04), ("created", 1.04, 1.6)]
    heard = [SpokenWord(w, s, e, None, k == 2) for k, (w, s, e) in enumerate(said)]
    piece = ["men", "are", "created"]
    assert rehear_extra_slips(None, np.zeros(16000, dtype=np.float32), heard, piece, "") == heard  # type: ignore[arg-type]


def test_a_sound_alike_sharing_a_longer_start_is_offered_first() -> None:
    # Tune, reverb: "into *tempest* temptation" heard "into campus temptation".
    # "tension" shares more of the phones in all, but "tempest" starts like the
    # word for longer (T EH M): a slip starts like the word it reaches for. Ranked by
    # similarity alone, "tempest" fell outside the sound-alikes offered.
    offers = offered(new_decoder(), "temptation")
    options = candidates("temptation", "campus", offers, _stands_for, MAX_CANDIDATES)
    assert "tempest" in options
    assert options.index("tempest") < options.index("tension")
