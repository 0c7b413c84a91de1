from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from shared.audio.analysis import analyse, speaking_rates
from shared.audio.decode import decode_file
from shared.audio.types import Analysis, DecodedAudio
from tests.shared.audio.conftest import SENTENCE, run


def _load(path: Path) -> DecodedAudio:
    return decode_file(str(path), "wav")


def _scaled(audio: DecodedAudio, gain_db: float) -> DecodedAudio:
    samples = np.clip(audio.samples * np.float32(10 ** (gain_db / 20)), -1, 1)
    return DecodedAudio(samples.astype(np.float32), "wav", 16000, 1)


def test_pause_between_phrases_is_found(speech_wav: Path, tmp_path: Path) -> None:
    first, gap = tmp_path / "a.wav", tmp_path / "gap.wav"
    run("sox", str(speech_wav), str(first), "pad", "0", "1.5")
    run("sox", str(first), str(speech_wav), str(gap))
    result = analyse(_load(gap))
    speech_only = analyse(_load(speech_wav))
    assert abs(result.speech_duration - 2 * speech_only.speech_duration) < 0.6
    longest = max(end - start for start, end in result.pauses)
    # 1.5 s inserted plus the fixture's own 0.5 s + 0.5 s of padding
    assert 2.0 <= longest <= 2.9
    segments = result.speech_segments
    for (_, end), (start, _) in zip(segments, segments[1:], strict=False):
        assert start > end  # ordered, non-overlapping
    assert Analysis.from_dict(result.to_dict()) == result


def test_a_short_stop_is_kept_as_a_silence_where_the_segments_bridge_it(speech_wav: Path) -> None:
    audio = _load(speech_wav)
    segments = analyse(audio).speech_segments
    begin, end = int(segments[0][0] * 16000), int(segments[-1][1] * 16000)
    stop = 0.3  # a learner's stop before a repair: shorter than the segments' bridge
    silence = np.zeros(int(stop * 16000), np.float32)
    samples = np.concatenate([audio.samples[:end], silence, audio.samples[begin:]])
    result = analyse(DecodedAudio(samples, "wav", 16000, 1))
    at = end / 16000
    assert not any(s < at + stop and e > at for s, e in result.pauses)
    found = [(s, e) for s, e in result.silences if s < at + stop and e > at]
    assert len(found) == 1
    start, finish = found[0]
    assert start <= at + 0.05 and finish >= at + stop - 0.05 and finish - start <= stop + 0.2
    assert all(e - s >= 0.2 for s, e in result.silences)
    assert Analysis.from_dict(result.to_dict()) == result


def test_an_analysis_stored_before_silences_were_kept_still_loads() -> None:
    stored = {"duration": 2.0, "speech_duration": 1.5, "speech_segments": [[0.1, 1.6]], "pauses": []}
    assert Analysis.from_dict(stored).silences == ()


def test_pitch_tells_a_low_voice_from_a_high_one(speech_wav: Path, tmp_path: Path) -> None:
    low = tmp_path / "rms.wav"
    run("flite", "-voice", "rms", "-t", SENTENCE, "-o", str(low))
    high_pitch = analyse(_load(speech_wav)).extra["pitch_median_hz"]
    low_pitch = analyse(_load(low)).extra["pitch_median_hz"]
    assert 70 < low_pitch < high_pitch < 350


def test_loudness_clipping_and_snr_follow_the_signal(speech_wav: Path) -> None:
    audio = _load(speech_wav)
    base = analyse(audio).extra
    quiet = analyse(_scaled(audio, -20)).extra
    loud = analyse(_scaled(audio, 20)).extra
    assert abs((base["speech_rms_dbfs"] - quiet["speech_rms_dbfs"]) - 20) < 1.5
    assert base["clipping_ratio"] == 0 and loud["clipping_ratio"] > 0.01
    assert loud["peak_dbfs"] == pytest.approx(0.0, abs=0.1)
    rng = np.random.default_rng(3)
    noisy = audio.samples + rng.normal(0, 0.03, len(audio.samples)).astype(np.float32)
    noisy_snr = analyse(DecodedAudio(noisy, "wav", 16000, 1)).extra["snr_db"]
    assert noisy_snr < base["snr_db"] and 5 < noisy_snr < 40


def test_speaking_rates_once_words_are_known(speech_wav: Path) -> None:
    result = analyse(_load(speech_wav))
    rates = speaking_rates(result, word_count=len(SENTENCE.split()))
    assert rates["speaking_rate_wpm"] is not None and rates["articulation_rate_wpm"] is not None
    assert 80 < rates["speaking_rate_wpm"] <= rates["articulation_rate_wpm"] < 400


def test_analysis_runs_at_two_percent_of_real_time(speech_wav: Path) -> None:
    once = _load(speech_wav).samples
    minute = np.tile(once, int(np.ceil(60 * 16000 / len(once))))[: 60 * 16000]
    audio = DecodedAudio(minute, "wav", 16000, 1)
    analyse(audio)  # warm up librosa's lazy imports and caches
    started = time.perf_counter()
    result = analyse(audio)
    elapsed = time.perf_counter() - started
    assert result.speech_duration > 30
    assert elapsed <= 0.02 * 60, f"analysis of 60 s took {elapsed:.2f} s"
