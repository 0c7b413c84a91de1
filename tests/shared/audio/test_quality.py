from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from shared.audio.analysis import analyse
from shared.audio.decode import decode_file
from shared.audio.quality import FAILURE_MESSAGES, WARNING_MESSAGES, check_quality
from shared.audio.types import AudioError, DecodedAudio


def _audio(samples: np.ndarray) -> DecodedAudio:
    return DecodedAudio(np.clip(samples, -1, 1).astype(np.float32), "wav", 16000, 1)


def _speech(path: Path, gain_db: float = 0.0) -> DecodedAudio:
    samples = decode_file(str(path), "wav").samples
    return _audio(samples * 10 ** (gain_db / 20))


def _check(audio: DecodedAudio) -> tuple[str, ...]:
    return check_quality(audio, analyse(audio))


def _failure(audio: DecodedAudio) -> AudioError:
    with pytest.raises(AudioError) as caught:
        _check(audio)
    assert caught.value.message == FAILURE_MESSAGES[caught.value.code]
    return caught.value


def test_clean_speech_passes_without_warnings(speech_wav: Path) -> None:
    assert _check(_speech(speech_wav)) == ()


def test_silence_is_no_speech() -> None:
    error = _failure(_audio(np.zeros(16000 * 5)))
    assert error.code == "no_speech"
    assert "microphone" in error.message


def test_noise_alone_is_refused() -> None:
    rng = np.random.default_rng(11)
    error = _failure(_audio(rng.normal(0, 0.1, 16000 * 5)))
    assert error.code in {"no_speech", "too_noisy"}


def test_a_fraction_of_a_second_is_too_short(speech_wav: Path) -> None:
    samples = _speech(speech_wav).samples
    clip = np.concatenate([np.zeros(8000), samples[8000 : 8000 + 9000], np.zeros(8000)])
    assert _failure(_audio(clip)).code == "too_short"


def test_quiet_warns_and_inaudible_fails(speech_wav: Path) -> None:
    assert "quiet" in _check(_speech(speech_wav, -30))
    assert _failure(_speech(speech_wav, -60)).code in {"too_quiet", "no_speech"}


def test_clipping_warns_and_heavy_clipping_fails(speech_wav: Path) -> None:
    assert "clipping" in _check(_speech(speech_wav, 8))
    assert _failure(_speech(speech_wav, 25)).code == "heavily_clipped"


def test_background_noise_warns(speech_wav: Path) -> None:
    audio = _speech(speech_wav)
    rng = np.random.default_rng(5)
    level = np.sqrt(np.mean(audio.samples[audio.samples != 0] ** 2))
    noisy = audio.samples + rng.normal(0, level / 2.5, len(audio.samples))  # about 8 dB SNR
    warnings = _check(_audio(noisy))
    assert "noisy" in warnings
    assert all(code in WARNING_MESSAGES for code in warnings)
