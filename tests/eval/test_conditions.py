"""The evaluation's learner conditions render the same bytes every time.

sox dithers when it writes 16-bit samples; without a fixed seed the same case
rendered twice differed, and the evaluation's figures moved on a fresh cache.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from bench.eval.audio import RATE, apply_condition
from bench.eval.cases import ALL_CONDITIONS, CONDITIONS
from bench.eval.run import plan
from shared.audio.decode import decode_file
from shared.audio.sniff import sniff_format


def _voice_like(seed: int) -> np.ndarray:
    """Two seconds of a harmonic tone under a syllable-rate envelope."""
    t = np.arange(2 * RATE) / RATE
    tone = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 8))
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 4 * t)
    noise = np.random.default_rng(seed).normal(0, 0.01, len(t))
    return (0.3 * tone * envelope / 3 + noise).astype(np.float32)


def _decoded(path: Path) -> np.ndarray:
    """What the pipeline would hear (a WebM container differs in its own ids)."""
    with path.open("rb") as handle:
        return decode_file(path, sniff_format(handle.read(64))).samples


@pytest.mark.parametrize("condition", ALL_CONDITIONS)
def test_condition_renders_identically_twice(condition: str, tmp_path: Path) -> None:
    needed = "ffmpeg" if condition == "opus" else "sox"
    if shutil.which(needed) is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{needed} is required under CI=true")
        pytest.skip(f"{needed} is not installed")
    samples = _voice_like(3)
    first = apply_condition(samples, condition, 11, tmp_path / "a", "case")
    second = apply_condition(samples, condition, 11, tmp_path / "b", "case")
    heard = _decoded(first)
    assert len(heard) > RATE and float(np.abs(heard).max()) > 1e-3
    np.testing.assert_array_equal(heard, _decoded(second))


def test_faint_peaks_near_minus_36_dbfs_over_a_minus_70_floor(tmp_path: Path) -> None:
    samples = np.concatenate([np.zeros(RATE, np.float32), _voice_like(5)])
    heard = _decoded(apply_condition(samples, "faint", 11, tmp_path, "case"))
    peak = 20 * np.log10(float(np.abs(heard).max()))
    floor = 10 * np.log10(float(np.mean(heard[: RATE // 2] ** 2)))
    assert -37.0 < peak < -35.0
    assert -72.0 < floor < -68.0
    assert len(np.unique(heard)) < 2**16  # a 16-bit file: quantised like a device's


def test_new_conditions_leave_the_standard_sets_unchanged() -> None:
    for held_out in (False, True):
        standard = plan(held_out, quick=False)
        assert {item["condition"] for item in standard} == set(CONDITIONS)
        assert standard == plan(held_out, quick=False, conditions=CONDITIONS)
    faint = plan(False, quick=False, conditions=("faint",))
    assert {item["condition"] for item in faint if item["kind"] != "real_read"} == {"faint"}


def _noise_power_share_above(condition: str, hz: float, tmp_path: Path) -> tuple[float, float]:
    """Of the noise a condition adds to 30 s of voice: share of its power above
    ``hz``, and its level under the voice in dB."""
    samples = np.zeros(30 * RATE, np.float32)
    samples[RATE : 3 * RATE] = _voice_like(7)
    noise = _decoded(apply_condition(samples, condition, 11, tmp_path, condition)) - samples
    power = np.abs(np.fft.rfft(noise)) ** 2
    freqs = np.fft.rfftfreq(len(noise), 1 / RATE)
    voice = float(np.mean(samples[RATE : 3 * RATE] ** 2))
    return float(power[freqs > hz].sum() / power.sum()), 10 * np.log10(voice / float(np.mean(noise**2)))


def test_noise_audible_puts_its_pink_noise_where_the_recogniser_listens(tmp_path: Path) -> None:
    # The filterbank starts at 133 Hz; `noise` spends two thirds of its power under it.
    soft, soft_snr = _noise_power_share_above("noise", 133.0, tmp_path)
    hard, hard_snr = _noise_power_share_above("noise_audible", 133.0, tmp_path)
    assert soft < 0.45 and hard > 0.6
    assert abs(soft_snr - hard_snr) < 0.5  # the same level, 15 dB under the speech frames
