"""Probes 3 and 9 of issue 19: the decode budget, and NaN/Inf float WAVs.

A FLAC that declares an hour of 192 kHz 8-channel silence used to cost 40 s of
decoding and +400 MB; now the header alone refuses it. Float WAVs holding NaN
or Inf used to crash later with a traceback; now they are ``corrupt_audio``.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from shared.audio.decode import decode_file
from shared.audio.probe import MAX_CHANNELS, MAX_SAMPLE_RATE, MIN_SAMPLE_RATE, decode_budget, probe
from shared.audio.types import AudioError


def _silence(path: Path, rate: int, channels: int, seconds: float, fmt: str = "FLAC") -> Path:
    frames = int(rate * seconds)
    with sf.SoundFile(path, "w", samplerate=rate, channels=channels, format=fmt) as handle:
        block = np.zeros((rate * 10, channels), dtype=np.float32)
        for start in range(0, frames, len(block)):
            handle.write(block[: frames - start])
    return path


@pytest.mark.parametrize(
    ("rate", "channels", "code"),
    [
        (192_000, 1, "sample_rate_too_high"),
        (96_000, 2, "sample_rate_too_high"),
        (48_000, 8, "too_many_channels"),
        (16_000, 3, "too_many_channels"),
        (4_000, 1, "sample_rate_too_low"),
    ],
)
def test_rates_and_channels_beyond_the_promise_fail_at_the_header(
    rate: int, channels: int, code: str, tmp_path: Path
) -> None:
    path = _silence(tmp_path / "x.flac", rate, channels, 0.5)
    started = time.perf_counter()
    with pytest.raises(AudioError) as caught:
        decode_file(path, "flac")
    assert caught.value.code == code
    assert time.perf_counter() - started < 1.0  # refused from the header, nothing decoded


def test_the_learner_message_states_the_limits_the_code_enforces() -> None:
    assert (MIN_SAMPLE_RATE, MAX_SAMPLE_RATE, MAX_CHANNELS) == (8_000, 48_000, 2)
    for rate, code in ((MAX_SAMPLE_RATE + 1, "48 kHz"), (MIN_SAMPLE_RATE - 1, "8 kHz")):
        from shared.audio.probe import AudioInfo, check_info

        with pytest.raises(AudioError) as caught:
            check_info(AudioInfo(1.0, rate, 1), 10_000, 60.0)
        assert code in caught.value.message


def test_the_edges_of_the_promise_decode(tmp_path: Path) -> None:
    for rate, channels in ((MIN_SAMPLE_RATE, 1), (MAX_SAMPLE_RATE, MAX_CHANNELS)):
        audio = decode_file(_silence(tmp_path / f"{rate}.flac", rate, channels, 1.0), "flac")
        assert audio.source_rate == rate and abs(audio.duration - 1.0) < 0.01


def test_the_budget_is_duration_times_rate_times_channels(tmp_path: Path) -> None:
    # With rates and channels capped, the budget is the longest recording at the
    # costliest format the promise allows (plus the codec slack).
    path = _silence(tmp_path / "stereo.flac", 48_000, 2, 4.0)
    with pytest.raises(AudioError) as caught:
        probe(path, "flac", max_seconds=2.0)
    assert caught.value.code == "too_long"
    assert decode_budget(2.0) == 3.0 * 48_000 * 2


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_float_wav_with_nan_or_inf_is_corrupt_audio(bad: float, tmp_path: Path) -> None:
    samples = np.sin(np.linspace(0, 400, 16_000, dtype=np.float32)) * 0.3
    samples[8_000] = bad
    path = tmp_path / "float.wav"
    sf.write(path, samples, 16_000, subtype="FLOAT")
    with pytest.raises(AudioError) as caught:
        decode_file(path, "wav")
    assert caught.value.code == "corrupt_audio"
