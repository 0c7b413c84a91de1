"""The pipeline seam: scoring with a recording's analysis (its pauses and duration count)."""

from __future__ import annotations

from shared.audio.types import Analysis
from shared.domain.result import WordStatus
from shared.domain.scoring import ScoringOptions
from shared.domain.transcript import SpokenWord, Transcript
from shared.pipeline import score

# "walk the [market] path home": the engine stretched "market" over the silence.
HEARD = Transcript.of(
    (SpokenWord(w, s, e) for w, s, e in
     [("walk", 0.0, 0.3), ("the", 0.3, 0.4), ("market", 0.4, 1.2), ("path", 1.2, 1.6), ("home", 1.6, 2.0)]),
    "test", "test",
)  # fmt: skip


def _analysis(
    pauses: tuple[tuple[float, float], ...], duration: float, silences: tuple[tuple[float, float], ...] = ()
) -> Analysis:
    return Analysis(
        duration=duration, speech_duration=duration, speech_segments=(), pauses=pauses, silences=silences
    )


def test_the_analysis_pauses_reach_the_repair_rules() -> None:
    with_pause = score("walk the path home", HEARD, _analysis(((0.8, 1.15),), 2.0))
    without = score("walk the path home", HEARD, _analysis((), 2.0))
    assert WordStatus.SELF_CORRECTED in {w.status for w in with_pause.words}
    assert WordStatus.SELF_CORRECTED not in {w.status for w in without.words}


def test_the_unmerged_silences_reach_the_repair_rules_but_not_the_hesitations() -> None:
    # The segments bridged the stop after "market", so it is not a pause; the
    # detector's own silence still shows the repair.
    stop = _analysis((), 2.0, silences=((0.8, 1.15),))
    result = score("walk the path home", HEARD, stop, ScoringOptions(hesitation_seconds=0.3))
    assert [w.status for w in result.words if w.expected == "path"] == [WordStatus.SELF_CORRECTED]
    assert not result.hesitations


def test_the_recording_duration_bounds_the_speaking_time() -> None:
    # The last word ends at 2.0 s; a recording of 1.0 s cuts the speaking time, so the rate rises.
    whole = score("walk the path home", HEARD, _analysis((), 60.0))
    cut = score("walk the path home", HEARD, _analysis((), 1.0))
    assert cut.scores.wpm > whole.scores.wpm


def test_the_options_decide_what_counts_as_a_hesitation() -> None:
    pause = _analysis(((0.8, 1.15),), 2.0)
    strict = score("walk the path home", HEARD, pause, ScoringOptions(hesitation_seconds=0.3))
    default = score("walk the path home", HEARD, pause)
    assert len(strict.hesitations) == 1 and not default.hesitations
