"""The pipeline seam: scoring with a recording's analysis (its pauses and duration count),
and faint recordings raised, scored and warned about; silence refused."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from bench.eval.audio import pink_noise
from shared.audio.types import Analysis, AudioError
from shared.domain.result import WordStatus
from shared.domain.scoring import ScoringOptions
from shared.domain.transcript import SpokenWord, Transcript
from shared.pipeline import analyse_recording, decode_recording, recognise, score
from shared.transcription.offline import OfflineTranscriber
from tests.support.recitations import PSALM_23, faint_copy, synthesise

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


@pytest.fixture(scope="module")
def engine() -> OfflineTranscriber:
    return OfflineTranscriber()


def test_a_faint_recording_is_scored_with_the_quiet_warning(
    tmp_path: Path, engine: OfflineTranscriber
) -> None:
    # Peaks near -36 dBFS over a -70 dBFS floor, 16-bit: raised, scored, warned about.
    path = faint_copy(synthesise(PSALM_23, tmp_path / "clean.wav"), tmp_path / "faint.wav")
    audio = decode_recording(path)
    assert audio.gain_db > 15
    recognition = recognise(audio, PSALM_23, engine)
    result = score(PSALM_23, recognition.transcript, recognition.analysis)
    assert "quiet" in recognition.analysis.warnings
    assert recognition.analysis.extra["speech_rms_dbfs"] < -45  # the level as recorded
    assert result.scores.accuracy >= 90, [(w.expected, w.spoken, w.status) for w in result.words]


def test_digital_silence_and_a_floor_alone_are_refused_too_quiet(tmp_path: Path) -> None:
    silence, hiss = tmp_path / "silence.wav", tmp_path / "hiss.wav"
    sf.write(silence, np.zeros(16000 * 4, np.float32), 16000, subtype="PCM_16")
    sf.write(hiss, pink_noise(16000 * 4, 10 ** (-70 / 20), 9), 16000, subtype="PCM_16")
    for path in (silence, hiss):
        with pytest.raises(AudioError) as refused:
            analyse_recording(decode_recording(path))
        assert refused.value.code == "too_quiet"
