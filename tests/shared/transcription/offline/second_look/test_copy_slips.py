"""A word heard twice: was the first copy a slip that sounds like it?

On real synthesised speech. A slip that sounds like the word ("temper" for
"temperate") is heard by the first pass as the word itself, twice; the
look must write the slip as said, and leave a real repetition alone.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from shared.audio.decode import decode_file
from shared.domain.transcript import SpokenWord
from shared.transcription.offline import OfflineTranscriber
from shared.transcription.offline.decoder import context_of, new_decoder
from shared.transcription.offline.frontend import prepare
from shared.transcription.offline.piece_model import piece_tokens
from shared.transcription.offline.second_look import copy_slips
from shared.transcription.offline.second_look.copy_slips import _candidates, find_copy_slips
from shared.transcription.offline.vocabulary import slip_vocabulary
from tests.support.recitations import synthesise

PIECE = "Thou art more lovely and more temperate. Rough winds do shake the darling buds of May."


@pytest.fixture(scope="module")
def engine() -> OfflineTranscriber:
    return OfflineTranscriber()


def _heard(engine: OfflineTranscriber, piece: str, said: str, path: Path) -> list[SpokenWord]:
    """What the engine hears of ``said`` (synthesised) as a reading of ``piece``."""
    audio = decode_file(str(synthesise(said, path, "slt")), "wav")
    return list(engine.transcribe(audio, piece).words)


def _look(said: str, heard: list[SpokenWord], path: Path) -> list[str]:
    audio = decode_file(str(synthesise(said, path, "slt")), "wav")
    decoder = new_decoder()
    tokens = [t for t in piece_tokens(PIECE) if t != "</s>"]
    return [
        w.text for w in find_copy_slips(decoder, prepare(audio.samples)[0], heard, tokens, decoder.get_cmn())
    ]


def test_a_slip_that_sounds_like_the_word_is_heard_as_said(
    engine: OfflineTranscriber, tmp_path: Path
) -> None:
    said = PIECE.replace("more temperate", "more temper temperate")
    words = [w.text for w in _heard(engine, PIECE, said, tmp_path / "slip.wav")]
    k = words.index("temperate")
    assert words[k - 1] == "temper", words


def test_a_real_repetition_stays_a_repetition(engine: OfflineTranscriber, tmp_path: Path) -> None:
    said = PIECE.replace("more temperate", "more temperate temperate")
    heard = _heard(engine, PIECE, said, tmp_path / "again.wav")
    assert [w.text for w in heard].count("temperate") == 2
    assert _look(said, heard, tmp_path / "again2.wav") == [w.text for w in heard]


def test_function_words_and_words_outside_the_piece_are_not_looked_at(tmp_path: Path) -> None:
    heard = [SpokenWord(w, 0.1 * k, 0.1 * k + 0.08) for k, w in enumerate("and and rough rough".split())]
    # "and" is a function word; "rough" is in the piece but the audio is silence: nothing to rewrite.
    assert _look("Oh.", heard, tmp_path / "oh.wav") == ["and", "and", "rough", "rough"]


def test_a_piece_word_rarer_than_the_vocabulary_is_offered_sound_alikes_by_its_phones() -> None:
    # Tune: "that *purchase* perches" heard "that perches perches"; "perches" is not
    # among the 30,000 most frequent words, so it used to get no candidates at all.
    assert "perches" not in slip_vocabulary().phones
    assert "purchase" in _candidates("perches", "P ER CH AH Z")


def test_a_sound_alike_with_another_vowel_after_the_first_sound_is_offered() -> None:
    # Tune, quiet: "I will *left* lift up" heard "i will lift lift up"; "left" (L EH)
    # does not share "lift"'s first two phones (L IH), only the first.
    assert "left" in _candidates("lift", "L IH F T")


DECLARATION = "We hold these truths to be self evident, that all men are created equal."


def test_a_slip_a_phone_away_is_found_by_weighing_the_copies(
    engine: OfflineTranscriber, tmp_path: Path
) -> None:
    # "crated created": the open decode keeps "created" for both copies; weighed
    # one-for-one, the first copy fits a sound-alike better and the second does not.
    said = DECLARATION.replace("are created", "are crated created")
    words = [w.text for w in _heard(engine, DECLARATION, said, tmp_path / "crated.wav")]
    k = words.index("equal")
    assert words[k - 1] == "created" and words[k - 2] not in ("created", "are"), words


def test_a_word_the_piece_itself_says_twice_is_not_looked_at(monkeypatch: pytest.MonkeyPatch) -> None:
    slip = SpokenWord("hero", 0.0, 0.3)
    monkeypatch.setattr(copy_slips, "_open_slip", lambda *args: slip)
    monkeypatch.setattr(copy_slips, "_candidates", lambda *args: ["hero"])
    heard = [SpokenWord(w, 0.4 * k, 0.4 * k + 0.3) for k, w in enumerate("one zero zero nine".split())]
    decoder = new_decoder()
    samples = np.zeros(16000 * 2, dtype=np.float32)
    found = find_copy_slips(decoder, samples, heard, ["one", "zero", "zero", "nine"], decoder.get_cmn())
    assert [w.text for w in found] == ["one", "zero", "zero", "nine"]
    # The same copy where the piece has the word once is looked at (the look is reached).
    found = find_copy_slips(decoder, samples, heard, ["one", "zero", "nine"], decoder.get_cmn())
    assert [w.text for w in found] == ["one", "hero", "zero", "nine"]


@pytest.mark.parametrize(
    ("first_gain", "second_gain", "slip"),
    [
        (94, -21, "craven"),  # "crated created": a slip the open decode missed
        (61, -133, None),  # "made made" in a real recording: a repetition that fits "mate" a little better
        (120, 10, None),  # the second copy leaves the word too: noise, not a slip
    ],
)
def test_weighed_copies_take_a_slip_only_by_a_clear_margin(
    monkeypatch: pytest.MonkeyPatch, first_gain: int, second_gain: int, slip: str | None
) -> None:
    both = -3000
    heard = [SpokenWord(w, 0.4 * k, 0.4 * k + 0.3) for k, w in enumerate("all created created equal".split())]
    monkeypatch.setattr(
        copy_slips,
        "_choose",
        lambda pair, slot, **kw: SpokenWord(["craven", "creative"][slot], 0, 1),
    )
    fits = {
        ("created", "created"): both,
        ("craven", "created"): both + first_gain,
        ("created", "creative"): both + second_gain,
    }
    monkeypatch.setattr(copy_slips, "_fit", lambda pair, copies: fits[tuple(copies)])
    context = context_of(heard, 1, 3, 32000)
    pair = copy_slips._Pair(None, np.zeros(32000, dtype=np.float32), context, "created", ["craven"], "")  # type: ignore[arg-type]
    found = copy_slips._weighed_slip(pair)
    assert (found.text if found else None) == slip


def test_a_pair_is_read_with_one_word_after_when_two_cannot_be_reached(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Tune, reverb: "with *fairness* firmness in the right", heard "firmness firmness
    # in the": the 0.08 s "the" is never reached, so with two words after the pair no
    # reading of the stretch succeeds and the copies were never weighed.
    heard = [
        SpokenWord(w, 0.4 * k, 0.4 * k + 0.3)
        for k, w in enumerate("all with firmness firmness in the".split())
    ]
    read = {1: -2900}  # words after the pair -> path score; two: None
    monkeypatch.setattr(
        copy_slips, "path_score", lambda d, n, s, context, words, cmn: read.get(len(context.after))
    )
    samples = np.zeros(16000 * 3, dtype=np.float32)
    assert copy_slips._readable_context(None, samples, heard, 2, "").after == ["in"]
    read = {}  # neither reads: the usual two, as before
    assert copy_slips._readable_context(None, samples, heard, 2, "").after == ["in", "the"]
    read = {2: -3000, 1: -2900}  # two read: two, as before
    assert copy_slips._readable_context(None, samples, heard, 2, "").after == ["in", "the"]
