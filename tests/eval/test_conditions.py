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
from bench.eval.cases import CONDITIONS
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


@pytest.mark.parametrize("condition", CONDITIONS)
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
