"""Gain normalisation: faint recordings raised, ordinary ones untouched."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from shared.audio.decode import decode_file
from shared.audio.gain import MAX_GAIN_DB, PEAK_CEILING_DBFS, loud_level_dbfs, normalised
from shared.audio.types import DecodedAudio


def _audio(samples: np.ndarray) -> DecodedAudio:
    return DecodedAudio(samples.astype(np.float32), "wav", 16000, 1)


def _speech(path: Path, gain_db: float) -> DecodedAudio:
    return _audio(decode_file(str(path), "wav").samples * 10 ** (gain_db / 20))


def test_ordinary_levels_pass_unchanged(speech_wav: Path) -> None:
    audio = _speech(speech_wav, 0.0)
    assert normalised(audio) is audio


def test_a_faint_recording_is_raised_to_the_target_and_says_by_how_much(speech_wav: Path) -> None:
    faint = _speech(speech_wav, -30.0)
    raised = normalised(faint)
    assert raised.gain_db > 20
    assert abs(loud_level_dbfs(raised.samples) - (-20.0)) < 0.5
    np.testing.assert_allclose(raised.samples, faint.samples * 10 ** (raised.gain_db / 20), rtol=1e-5)
    assert faint.samples is not raised.samples  # the caller's buffer is left alone


def test_in_place_scales_the_buffer_without_a_copy(speech_wav: Path) -> None:
    faint = _speech(speech_wav, -30.0)
    raised = normalised(faint, in_place=True)
    assert raised.samples is faint.samples and raised.gain_db > 20


def test_the_gain_never_clips_a_peak_and_is_bounded() -> None:
    t = np.arange(16000 * 3) / 16000
    spiky = np.full(len(t), 1e-4) * np.sin(2 * np.pi * 200 * t)
    spiky[8000] = 0.05  # one click far above the speech
    raised = normalised(_audio(spiky))
    assert 20 * np.log10(np.abs(raised.samples).max()) <= PEAK_CEILING_DBFS + 1e-3
    tiny = normalised(_audio(np.full(16000, 1e-6) * np.sin(2 * np.pi * 200 * t[:16000])))
    assert tiny.gain_db == MAX_GAIN_DB


def test_digital_silence_is_left_alone() -> None:
    silence = _audio(np.zeros(16000))
    assert normalised(silence).gain_db == 0.0
