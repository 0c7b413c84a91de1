"""Gain normalisation: a faint recording raised to a level every stage can use.

A microphone held far away or turned down (peaks around -36 dBFS) still
carries the words well above its noise floor, but webrtcvad's speech model
and the quality checks were made for ordinary levels: such recordings lost
their soft onsets or were refused outright. Raising the gain changes no
signal-to-noise ratio, so it cannot make an inaudible recording audible; the
quality checks judge audibility by that ratio (``shared.audio.quality``),
and the "quiet" warning still reaches the learner, from the level as
recorded (``gain_db`` is kept beside the audio and in the analysis).

Only recordings whose loud frames sit under ``RAISE_BELOW_DBFS`` are
touched: ordinary recordings reach the engine exactly as decoded.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import numpy.typing as npt

from shared.audio.types import DecodedAudio

RAISE_BELOW_DBFS = -35.0  # loud-frame level under which the gain is raised
TARGET_DBFS = -20.0  # loud-frame level after raising: an ordinary close microphone
PEAK_CEILING_DBFS = -1.0  # never raise a peak past this (no clipping by the gain)
MAX_GAIN_DB = 40.0  # 16-bit hiss raised further would only be louder hiss
LOUD_PERCENTILE = 95.0  # of 30 ms frame energies: the speech peaks, not a click
_FRAME = 480
_BLOCK = 60 * 16_000


def loud_level_dbfs(samples: npt.NDArray[np.float32]) -> float:
    """The level of the loud 30 ms frames (the 95th percentile of frame energy)."""
    usable = len(samples) - len(samples) % _FRAME
    if usable == 0:
        return -100.0
    energy = np.concatenate(
        [_energy(samples[at : min(usable, at + _BLOCK)]) for at in range(0, usable, _BLOCK)]
    )  # a minute at a time: no hour-long float64 temporary
    return float(10.0 * np.log10(max(float(np.percentile(energy, LOUD_PERCENTILE)), 1e-10)))


def gain_for(samples: npt.NDArray[np.float32]) -> float:
    """The gain (dB) a recording needs: 0 for ordinary levels and for silence."""
    if not len(samples):
        return 0.0
    level = loud_level_dbfs(samples)
    if level >= RAISE_BELOW_DBFS:
        return 0.0
    peak = max(float(samples.max()), -float(samples.min()))
    if peak <= 0.0:
        return 0.0  # digital silence: nothing to raise
    headroom = PEAK_CEILING_DBFS - 20.0 * float(np.log10(peak))
    return round(max(0.0, min(TARGET_DBFS - level, MAX_GAIN_DB, headroom)), 2)


def normalised(audio: DecodedAudio, *, in_place: bool = False) -> DecodedAudio:
    """The recording at a usable level, ``gain_db`` saying by how much it was
    raised. ``in_place`` scales the caller's buffer (the pipeline owns the
    freshly decoded one: an hour's copy would cost another 230 MB)."""
    gain = gain_for(audio.samples)
    if gain == 0.0:
        return audio
    factor = np.float32(10.0 ** (gain / 20.0))
    samples = audio.samples if in_place else audio.samples.copy()
    for at in range(0, len(samples), _BLOCK):
        block = samples[at : at + _BLOCK]
        np.multiply(block, factor, out=block)
    return replace(audio, samples=samples, gain_db=audio.gain_db + gain)


def _energy(block: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
    frames = block.reshape(-1, _FRAME).astype(np.float64)
    return np.einsum("ij,ij->i", frames, frames) / _FRAME
