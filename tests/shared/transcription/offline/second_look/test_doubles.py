"""Which heard words are long enough to be a short word said twice (pure text)."""

from __future__ import annotations

from shared.domain.transcript import SpokenWord
from shared.transcription.offline.second_look.doubles import double_spots


def _words(*timed: tuple[str, float, float]) -> list[SpokenWord]:
    return [SpokenWord(text, start, end, 0.9) for text, start, end in timed]


def test_a_short_word_heard_long_is_a_spot() -> None:
    heard = _words(("and", 6.35, 6.53), ("we", 7.5, 8.03), ("slowly", 8.03, 8.56))
    assert double_spots(heard) == [1]


def test_a_short_word_of_usual_length_or_a_long_content_word_is_not() -> None:
    heard = _words(("we", 7.5, 7.7), ("slowly", 8.03, 8.56), ("immortality", 6.53, 7.39))
    assert double_spots(heard) == []
