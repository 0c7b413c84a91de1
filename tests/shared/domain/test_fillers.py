"""One rule for fillers, used by scoring and by the offline engine's second looks."""

from __future__ import annotations

from shared.domain.fillers import FILLER_SOUNDS, FILLERS, counted_fillers, spoken_places
from shared.domain.scoring import score_recitation
from shared.domain.transcript import SpokenWord, Transcript


def test_a_filler_counts_unless_the_piece_has_the_word() -> None:
    assert counted_fillers(["ah", "um", "sunflower"], ["ah", "sunflower"]) == {"um"}
    assert counted_fillers(["the", "sun"], ["the"]) == frozenset()


def test_the_decoders_filler_sounds_are_fillers() -> None:
    assert set(FILLER_SOUNDS) <= FILLERS


def test_scoring_and_the_engine_set_apart_the_same_words() -> None:
    heard = ["ah", "sun", "um", "flower"]
    piece = ["ah", "sun", "flower"]
    assert [heard[k] for k in spoken_places(heard, piece)] == ["ah", "sun", "flower"]
    words = [SpokenWord(w, k * 0.5, k * 0.5 + 0.4) for k, w in enumerate(heard)]
    result = score_recitation("Ah, sun flower!", Transcript.of(words, "test", "test"))
    assert result.fillers == 1
    assert result.scores.accuracy == 100.0
