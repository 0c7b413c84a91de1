"""The evidence contract (shared.domain.transcript): what scoring does with each
flag an engine may set on a heard word, and with its default when the engine
cannot measure it."""

from __future__ import annotations

from shared.domain.result import WordStatus
from shared.domain.scoring import score_recitation
from shared.domain.transcript import SpokenWord, Transcript

# "can [slip] ... can long": the slip heard as "can", then a pause, then the repair.
COPY = [SpokenWord("we", 0.0, 0.3), SpokenWord("can", 0.3, 0.6), SpokenWord("can", 1.4, 1.7)]
COPY += [SpokenWord("long", 1.7, 2.1)]
# "sell" heard where the piece has "soul".
ALIKE = [SpokenWord("restoreth", 0.0, 0.6), SpokenWord("my", 0.6, 0.8), SpokenWord("sell", 0.8, 1.2)]


def _statuses(reference: str, words: list[SpokenWord]) -> list[tuple[str | None, str, WordStatus]]:
    result = score_recitation(reference, Transcript.of(words, "test", "test"), pauses=[(0.6, 1.4)])
    return [(w.expected, w.spoken, w.status) for w in result.words]


def test_an_unlike_copy_after_a_pause_is_the_repair_of_a_slip() -> None:
    words = [*COPY[:2], COPY[2]._replace(unlike_previous=True), COPY[3]]
    assert ("can", "can can", WordStatus.SELF_CORRECTED) in _statuses("we can long", words)


def test_without_the_flag_the_same_copy_is_a_repetition() -> None:
    statuses = _statuses("we can long", COPY)
    assert ("can", "can", WordStatus.CORRECT) in statuses
    assert (None, "can", WordStatus.REPEATED) in statuses


def test_sounds_like_the_pieces_word_makes_a_sound_alike_correct() -> None:
    words = [*ALIKE[:2], ALIKE[2]._replace(sounds_like="soul")]
    assert ("soul", "sell", WordStatus.CORRECT) in _statuses("restoreth my soul", words)


def test_sounds_like_another_word_excuses_nothing() -> None:
    words = [*ALIKE[:2], ALIKE[2]._replace(sounds_like="sole")]
    assert ("soul", "sell", WordStatus.SUBSTITUTED) in _statuses("restoreth my soul", words)


def test_without_the_flag_a_sound_alike_is_a_substitution() -> None:
    assert ("soul", "sell", WordStatus.SUBSTITUTED) in _statuses("restoreth my soul", ALIKE)


def test_the_flags_survive_storage_and_are_left_out_at_their_defaults() -> None:
    words = (ALIKE[2]._replace(sounds_like="soul"), COPY[2]._replace(unlike_previous=True), ALIKE[0])
    stored = Transcript(words, "offline", "m", recognition_version="v").to_dict()
    assert Transcript.from_dict(stored).words == words
    assert set(stored["words"][2]) == {"text", "start", "end", "confidence"}
