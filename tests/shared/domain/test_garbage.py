import gc

import pytest

from shared.domain.garbage import collector_paused
from shared.domain.scoring import score_recitation
from shared.domain.transcript import SpokenWord, Transcript


def test_the_collector_is_off_inside_and_back_on_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_turns_the_collector_back_on() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("scoring failed")
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_scoring_leaves_the_collector_as_it_found_it() -> None:
    words = [SpokenWord(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate("the lord is my shepherd".split())]
    result = score_recitation("The Lord is my shepherd.", Transcript.of(words, "test", "test"))
    assert result.scores.accuracy == 100.0
    assert gc.isenabled()
    with pytest.raises(ValueError):
        score_recitation("   ", Transcript.of(words, "test", "test"))
    assert gc.isenabled()
