"""The second look beside a heard filler, on real synthesised speech.

The first pass's mishearing is written into its words by hand (flite's
clean speech is heard right the first time); the second pass must then
hear what the audio holds: the piece's word where it was said, and the
learner's own word where that was said instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.audio.decode import decode_file
from shared.audio.types import DecodedAudio
from shared.domain.transcript import SpokenWord
from shared.transcription.offline import OfflineTranscriber
from shared.transcription.offline.decoder import new_decoder
from shared.transcription.offline.frontend import prepare
from shared.transcription.offline.piece_model import piece_tokens
from shared.transcription.offline.second_look.fillers import PAUSE_BESIDE, recheck_fillers
from tests.support.recitations import swap_word, synthesise

PIECE = "He maketh me to lie down in green pastures: he leadeth me beside the still waters."
LINCOLN = "Let us strive on to finish the work we are in, to bind up the nation's wounds."


def _flite(text: str, path: Path) -> DecodedAudio:
    return decode_file(str(synthesise(text, path)), "wav")


@pytest.fixture(scope="module")
def engine() -> OfflineTranscriber:
    return OfflineTranscriber()


def _heard(engine: OfflineTranscriber, audio: DecodedAudio) -> list[SpokenWord]:
    words = list(engine.transcribe(audio, PIECE).words)
    assert "um" in [w.text for w in words]  # the filler itself is heard
    return words


def _second_pass(audio: DecodedAudio, heard: list[SpokenWord], text: str = PIECE) -> list[str]:
    piece = [t for t in piece_tokens(text) if t != "</s>"]
    decoder = new_decoder()
    words = recheck_fillers(decoder, prepare(audio.samples)[0], heard, piece, decoder.get_cmn())
    return [w.text for w in words]


def test_a_word_misheard_beside_a_filler_is_heard_again_as_said(
    engine: OfflineTranscriber, tmp_path: Path
) -> None:
    audio = _flite("He maketh me to lie down, um, in green pastures.", tmp_path / "in.wav")
    heard = _heard(engine, audio)
    assert "in" in [w.text for w in heard]
    misheard = swap_word(heard, "in", "on")
    again = _second_pass(audio, misheard)
    assert again[again.index("um") + 1] == "in"
    assert len(again) == len(heard)


def test_a_different_word_beside_a_filler_is_not_turned_into_the_piece(
    engine: OfflineTranscriber, tmp_path: Path
) -> None:
    audio = _flite("He maketh me to lie down, um, on green pastures.", tmp_path / "on.wav")
    heard = _heard(engine, audio)
    assert "on" in [w.text for w in heard]
    assert _second_pass(audio, heard) == [w.text for w in heard]


def test_words_away_from_fillers_are_left_alone(engine: OfflineTranscriber, tmp_path: Path) -> None:
    audio = _flite("He maketh me to lie down, um, in green pastures.", tmp_path / "far.wav")
    heard = swap_word(_heard(engine, audio), "maketh", "makes")
    assert _second_pass(audio, heard)[1] == "makes"


def test_a_filler_heard_as_an_article_between_pauses_is_heard_again(
    engine: OfflineTranscriber, tmp_path: Path
) -> None:
    """ "finish, uh, the work" heard "finish a work": a short function word with
    a pause beside it, standing for the piece's "the"."""
    audio = _flite("Let us strive on to finish, uh, the work we are in.", tmp_path / "the.wav")
    heard = list(engine.transcribe(audio, LINCOLN).words)
    assert [w.text for w in heard][5:8] == ["finish", "the", "work"]
    again = _second_pass(audio, swap_word(heard, "the", "a"), LINCOLN)
    assert [w for w in again[6:] if w not in ("uh", "um")] == ["the", "work", "we", "are", "in"]


def test_an_article_really_said_between_pauses_stays(engine: OfflineTranscriber, tmp_path: Path) -> None:
    audio = _flite("Let us strive on to finish, a, work we are in.", tmp_path / "a.wav")
    heard = list(engine.transcribe(audio, LINCOLN).words)
    assert [w.text for w in heard][5:8] == ["finish", "a", "work"]
    assert heard[7].start - heard[6].end >= PAUSE_BESIDE  # so it is looked at
    assert _second_pass(audio, heard, LINCOLN) == [w.text for w in heard]
