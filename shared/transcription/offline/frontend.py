"""Condition the signal before recognition: noisy and narrow-band recordings.

The US English acoustic model was trained on clean wide-band speech. Two
learner conditions made the piece-aware model hear short common words
("sell", "bread", "into") in place of the piece's words (docs/scoring-history.md,
"Noise and phone-band input"):

- *Background noise.* PocketSphinx's own noise removal leaves broadband
  noise in the features. When the recording's estimated signal-to-noise
  ratio is low, each 32 ms frame's spectrum is reduced by an over-subtracted
  noise estimate (the 10th percentile of each frequency bin's magnitude),
  with a gain floor so speech is never cut to nothing (spectral subtraction).
- *Narrow band* (a phone call, an 8 kHz recording): nothing above 4 kHz, so
  the upper filterbank channels are near-silent and their log energies far
  below anything in training. A white-noise floor 45 dB below the speech
  level bounds them (seeded: the same file always gives the same result).

Clean wide-band recordings are passed through unchanged.

The front end also says whether the recording sits on a *steady noise
floor* (``steady_noise``): a low SNR estimate whose quiet frames are all
about equally loud (fan, hiss, traffic), unlike reverberation, whose quiet
frames are decaying tails. The second looks ask the recording about more
of the first pass's words there (``second_look.sound_alike_spots``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.signal import istft, stft, welch

from shared.audio.types import TARGET_RATE

DENOISE_BELOW_SNR_DB = 30.0  # estimated SNR under which the noise is subtracted
NOISE_PERCENTILE = 10.0  # per-bin magnitude taken as the noise floor
OVER_SUBTRACTION = 1.5
GAIN_FLOOR = 0.1  # never attenuate a bin by more than 20 dB
NARROW_BAND_DB = -50.0  # energy above 4 kHz vs 300-3400 Hz below which input is narrow-band
FLOOR_BELOW_SPEECH_DB = 45.0  # level of the added noise floor under the speech level
# The 10th over the 1st percentile of frame energy under which the floor is
# steady noise: pink-noise cases measure 1.9-3.0 dB, reverberant ones 49-59,
# clean ones 44 and more (docs/scoring-history.md, "Noise, issue #23").
STEADY_FLOOR_DB = 10.0
_SEGMENT = 512  # 32 ms at 16 kHz, half-overlapping
_BLOCK = 60 * TARGET_RATE  # process long recordings a minute at a time (bounded memory)
_FRAME = 480  # 30 ms frames for level estimates

Samples = npt.NDArray[np.float32]


def prepare(samples: Samples) -> tuple[Samples, dict[str, Any]]:
    """The samples to recognise, and what was done to them (for the transcript's extra)."""
    energy = _frame_energy(samples)
    if energy is None:
        return samples, {"denoised": False, "narrow_band": False, "steady_noise": False}
    loud, quiet, quietest = np.percentile(energy, [90, 10, 1])
    snr = float(10.0 * np.log10(loud / quiet))
    narrow = high_band_db(samples) < NARROW_BAND_DB
    denoised = snr < DENOISE_BELOW_SNR_DB
    steady = denoised and float(10.0 * np.log10(quiet / quietest)) < STEADY_FLOOR_DB
    if denoised:
        samples = _blockwise_subtract(samples)
    if narrow:
        samples = _add_floor(samples, float(np.sqrt(loud)))
    conditioning = {
        "denoised": denoised,
        "narrow_band": narrow,
        "steady_noise": steady,
        "snr_db": round(snr, 1),
    }
    return samples, conditioning


def high_band_db(samples: Samples) -> float:
    """Power above 4 kHz relative to the telephone band (300-3400 Hz), in dB."""
    if len(samples) < _SEGMENT:
        return 0.0
    # The first two minutes tell the channel; bounded work on long recordings.
    freqs, power = welch(samples[: 2 * _BLOCK], fs=TARGET_RATE, nperseg=_SEGMENT)
    high = power[freqs >= 4000].sum()
    band = power[(freqs >= 300) & (freqs < 3400)].sum()
    return float(10.0 * np.log10((high + 1e-30) / (band + 1e-30)))


def _frame_energy(samples: Samples) -> npt.NDArray[np.float64] | None:
    usable = len(samples) - len(samples) % _FRAME
    if usable < 10 * _FRAME:
        return None
    energy = np.empty(usable // _FRAME)
    for i in range(0, usable, _BLOCK):  # bounded temporaries on long recordings
        frames = samples[i : min(usable, i + _BLOCK)].reshape(-1, _FRAME).astype(np.float64)
        energy[i // _FRAME : i // _FRAME + len(frames)] = np.einsum("ij,ij->i", frames, frames) / _FRAME
    return energy + 1e-12


def _blockwise_subtract(samples: Samples) -> Samples:
    blocks = [_subtract(samples[i : i + _BLOCK]) for i in range(0, len(samples), _BLOCK)]
    return np.concatenate(blocks).astype(np.float32)


def _subtract(block: Samples) -> Samples:
    if len(block) < _SEGMENT:
        return block
    _, _, spectrum = stft(block, fs=TARGET_RATE, nperseg=_SEGMENT)
    magnitude = np.abs(spectrum)
    noise = np.percentile(magnitude, NOISE_PERCENTILE, axis=1, keepdims=True)
    gain = np.maximum(1.0 - OVER_SUBTRACTION * noise / np.maximum(magnitude, 1e-9), GAIN_FLOOR)
    _, cleaned = istft(spectrum * gain, fs=TARGET_RATE, nperseg=_SEGMENT)
    out = np.zeros(len(block), dtype=np.float32)
    out[: min(len(block), len(cleaned))] = cleaned[: len(block)]
    return out


def _add_floor(samples: Samples, speech_rms: float) -> Samples:
    level = speech_rms * 10.0 ** (-FLOOR_BELOW_SPEECH_DB / 20.0)
    rng = np.random.default_rng(0)
    return (samples + rng.normal(0.0, level, len(samples)).astype(np.float32)).astype(np.float32)
