"""Asking the recording whether the piece's word fits where a sound-alike was heard.

On real synthesised speech. The first pass's confusion is written into
its words by hand where flite's speech was heard right; the check must
then find the piece's word fits, and must not where a sound-alike was
really said.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from shared.audio.decode import decode_file
from shared.audio.types import TARGET_RATE, DecodedAudio
from shared.domain.transcript import SpokenWord
from shared.transcription.offline import OfflineTranscriber
from shared.transcription.offline.decoder import new_decoder
from shared.transcription.offline.frontend import prepare
from shared.transcription.offline.piece_model import piece_tokens
from shared.transcription.offline.second_look import sound_alikes
from shared.transcription.offline.second_look.sound_alikes import STEADY_MAX_SCORE_GAP, mark_sound_alikes
from tests.support.recitations import swap_word, synthesise

SHEPHERD = "The Lord is my shepherd, I shall not want."
RESTORES = "He restores my soul and guides me along the right paths."


@pytest.fixture(scope="module")
def engine() -> OfflineTranscriber:
    return OfflineTranscriber()


def _heard(
    engine: OfflineTranscriber, said: str, piece: str, voice: str, path: Path
) -> tuple[DecodedAudio, list[SpokenWord]]:
    audio = decode_file(str(synthesise(said, path, voice)), "wav")
    return audio, list(engine.transcribe(audio, piece).words)


def _checked(
    audio: DecodedAudio, heard: list[SpokenWord], piece: str, *, every: bool = False
) -> dict[str, str | None]:
    decoder = new_decoder()
    tokens = [t for t in piece_tokens(piece) if t != "</s>"]
    samples = prepare(audio.samples)[0]
    words = mark_sound_alikes(decoder, samples, heard, tokens, decoder.get_cmn(), every=every)
    assert [w.text for w in words] == [w.text for w in heard]  # what was heard is never rewritten
    return {w.text: w.sounds_like for w in words}


@pytest.mark.parametrize(
    ("piece", "word", "alike"), [(SHEPHERD, "lord", "large"), (RESTORES, "soul", "sell")]
)
def test_the_piece_word_said_but_heard_as_a_sound_alike_is_marked(
    engine: OfflineTranscriber, tmp_path: Path, piece: str, word: str, alike: str
) -> None:
    audio, heard = _heard(engine, piece, piece, "awb", tmp_path / "said.wav")
    assert _checked(audio, swap_word(heard, word, alike), piece)[alike] == word


@pytest.mark.parametrize(
    ("piece", "word", "alike"), [(SHEPHERD, "Lord", "large"), (RESTORES, "soul", "sell")]
)
def test_a_sound_alike_really_said_is_not_marked(
    engine: OfflineTranscriber, tmp_path: Path, piece: str, word: str, alike: str
) -> None:
    reading = piece.replace(word, alike)
    audio, heard = _heard(engine, reading, piece, "slt", tmp_path / "slip.wav")
    assert _checked(audio, heard, piece)[alike] is None


def test_in_noise_a_piece_word_heard_as_an_unlike_word_is_marked(
    engine: OfflineTranscriber, tmp_path: Path
) -> None:
    # "guides" heard "table" (no sounds in common): the recording fits the
    # piece's word better, so the first pass's search, not the sound, chose it.
    audio, heard = _heard(engine, RESTORES, RESTORES, "awb", tmp_path / "said.wav")
    misheard = swap_word(heard, "guides", "table")
    assert _checked(audio, misheard, RESTORES, every=True)["table"] == "guides"
    assert _checked(audio, misheard, RESTORES)["table"] is None  # outside noise only sound-alikes


def test_in_noise_an_unlike_word_really_said_is_not_marked(
    engine: OfflineTranscriber, tmp_path: Path
) -> None:
    audio, heard = _heard(engine, RESTORES.replace("guides", "leads"), RESTORES, "slt", tmp_path / "slip.wav")
    assert "leads" in [w.text for w in heard]
    assert _checked(audio, heard, RESTORES, every=True)["leads"] is None


def test_a_reading_heard_right_has_no_marks(engine: OfflineTranscriber, tmp_path: Path) -> None:
    audio = decode_file(str(synthesise(RESTORES, tmp_path / "right.wav", "awb")), "wav")
    assert not any(w.sounds_like for w in engine.transcribe(audio, RESTORES).words)


def test_a_reading_that_cannot_be_aligned_leaves_the_word_unmarked() -> None:
    words = [SpokenWord(w, 0.05 + 0.06 * k, 0.1 + 0.06 * k) for k, w in enumerate("the large is my".split())]
    decoder = new_decoder()
    silence = np.zeros(TARGET_RATE // 4, dtype=np.float32)
    marked = mark_sound_alikes(decoder, silence, words, ["the", "lord", "is", "my"], decoder.get_cmn())
    assert marked == words


@pytest.mark.parametrize(
    ("gap", "every", "marked"),
    [
        (0, False, True),  # the piece's word fits as well: marked anywhere
        (60, False, False),  # outside noise no tolerance: a slip really said
        (60, True, True),  # on a steady floor the noise's own confusions (16-96)
        (STEADY_MAX_SCORE_GAP, True, True),
        (STEADY_MAX_SCORE_GAP + 1, True, False),  # real slips in noise fit 145 and more better
    ],
)
def test_on_a_steady_floor_the_piece_word_may_fit_a_little_worse(
    monkeypatch: pytest.MonkeyPatch, gap: int, every: bool, marked: bool
) -> None:
    monkeypatch.setattr(sound_alikes, "_score_gap", lambda *args: gap)
    words = [SpokenWord(w, 0.1 * k, 0.1 * k + 0.1) for k, w in enumerate("the large is my".split())]
    piece = ["the", "lord", "is", "my"]
    silence = np.zeros(8000, np.float32)
    out = sound_alikes.mark_sound_alikes(new_decoder(), silence, words, piece, "", every=every)
    assert out[1].sounds_like == ("lord" if marked else None)
