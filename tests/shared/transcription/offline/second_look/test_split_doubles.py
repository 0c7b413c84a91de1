"""A short word said twice, heard as one long word, is heard twice again.

On real synthesised speech. flite's "we we" is heard as two words; the
first pass's merging of them is written in by hand (one "we" over both),
and the look must split it. A word said once and heard as said, drawn out
by hand over the silence before it, must stay one word.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.audio.decode import decode_file
from shared.domain.transcript import SpokenWord
from shared.transcription.offline import OfflineTranscriber
from shared.transcription.offline.decoder import new_decoder
from shared.transcription.offline.frontend import prepare
from shared.transcription.offline.second_look.doubles import MIN_SECONDS, double_spots, split_doubles
from tests.support.recitations import synthesise

PIECE = "The carriage held but just ourselves and immortality. We slowly drove, he knew no haste."


@pytest.fixture(scope="module")
def engine() -> OfflineTranscriber:
    return OfflineTranscriber()


def _split(
    engine: OfflineTranscriber, said: str, path: Path, merge: bool
) -> tuple[list[SpokenWord], list[str]]:
    audio = decode_file(str(synthesise(said, path, "slt")), "wav")
    heard = list(engine.transcribe(audio, PIECE).words)
    k = [w.text for w in heard].index("we")
    if merge:  # the first pass's one long word over both copies
        assert heard[k + 1].text == "we"
        heard[k : k + 2] = [heard[k]._replace(end=heard[k + 1].end)]
    # Long enough to be looked at (drawn out over the silence before it if not).
    heard[k] = heard[k]._replace(start=min(heard[k].start, round(heard[k].end - MIN_SECONDS - 0.02, 2)))
    assert k in double_spots(heard)
    decoder = new_decoder()
    words = split_doubles(decoder, prepare(audio.samples)[0], heard, decoder.get_cmn())
    return heard, [w.text for w in words]


def test_a_word_said_twice_and_heard_once_is_split(engine: OfflineTranscriber, tmp_path: Path) -> None:
    heard, words = _split(engine, PIECE.replace("We slowly", "We we slowly"), tmp_path / "twice.wav", True)
    assert words.count("we") == 2 and len(words) == len(heard) + 1


def test_a_word_said_once_stays_one_word(engine: OfflineTranscriber, tmp_path: Path) -> None:
    heard, words = _split(engine, PIECE, tmp_path / "once.wav", False)
    assert words == [w.text for w in heard]
