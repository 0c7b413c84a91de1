from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bench.eval.audio import faint, pink_noise
from shared.audio.analysis import analyse
from shared.audio.decode import decode_file
from shared.audio.gain import normalised
from shared.audio.quality import (
    FAILURE_MESSAGES,
    TOO_SHORT_FOR_PIECE,
    WARNING_MESSAGES,
    check_quality,
    min_speech_seconds,
)
from shared.audio.types import AudioError, DecodedAudio


def _audio(samples: np.ndarray) -> DecodedAudio:
    return DecodedAudio(np.clip(samples, -1, 1).astype(np.float32), "wav", 16000, 1)


def _speech(path: Path, gain_db: float = 0.0) -> DecodedAudio:
    samples = decode_file(str(path), "wav").samples
    return _audio(samples * 10 ** (gain_db / 20))


def _check(audio: DecodedAudio) -> tuple[str, ...]:
    audio = normalised(audio)  # as the pipeline decodes it
    return check_quality(audio, analyse(audio))


def _16_bit(samples: np.ndarray) -> np.ndarray:
    return np.round(np.clip(samples, -1, 1) * 32767) / 32767


def _failure(audio: DecodedAudio) -> AudioError:
    with pytest.raises(AudioError) as caught:
        _check(audio)
    assert caught.value.message == FAILURE_MESSAGES[caught.value.code]
    return caught.value


def test_clean_speech_passes_without_warnings(speech_wav: Path) -> None:
    assert _check(_speech(speech_wav)) == ()


def test_digital_silence_is_too_quiet() -> None:
    error = _failure(_audio(np.zeros(16000 * 5)))
    assert error.code == "too_quiet"
    assert "microphone" in error.message


def test_a_quiet_floor_alone_is_too_quiet() -> None:
    # Hiss of a turned-down input: raised 40 dB it is still only hiss.
    pink = pink_noise(16000 * 5, 10 ** (-70 / 20), 4)
    white = np.random.default_rng(2).normal(0, 3e-4, 16000 * 5)
    for floor in (pink, white):
        assert _failure(_audio(_16_bit(floor))).code == "too_quiet"


def test_loud_noise_alone_is_too_noisy() -> None:
    rng = np.random.default_rng(11)
    assert _failure(_audio(rng.normal(0, 0.1, 16000 * 5))).code == "too_noisy"
    assert _failure(_audio(pink_noise(16000 * 5, 0.01, 5))).code == "too_noisy"


def test_speech_at_a_quiet_floor_is_too_quiet(speech_wav: Path) -> None:
    speech = _speech(speech_wav).samples
    level = float(np.sqrt(np.mean(speech[speech != 0] ** 2)))
    buried = speech * (10 ** (-72 / 20) / level) + pink_noise(len(speech), 10 ** (-70 / 20), 6)
    assert _failure(_audio(_16_bit(buried))).code == "too_quiet"


def test_faint_speech_over_a_quiet_floor_scores_with_the_quiet_warning(speech_wav: Path) -> None:
    # Peaks at -36 dBFS, 16-bit, over a -70 dBFS floor: the words stand 20 dB
    # out of the floor, so the level alone refuses nothing.
    audio = _audio(_16_bit(faint(_speech(speech_wav).samples, 7)))
    raised = normalised(audio)
    analysis = analyse(raised)
    assert check_quality(raised, analysis) == ("quiet",)
    assert analysis.extra["gain_db"] > 15 and analysis.extra["speech_rms_dbfs"] < -45
    assert analysis.extra["snr_db"] > 15


def test_a_fraction_of_a_second_is_too_short(speech_wav: Path) -> None:
    samples = _speech(speech_wav).samples
    clip = np.concatenate([np.zeros(8000), samples[8000 : 8000 + 9000], np.zeros(8000)])
    assert _failure(_audio(clip)).code == "too_short"


def test_a_blip_under_a_second_is_too_short_not_noisy_or_quiet() -> None:
    tone = 0.5 * np.sin(2 * np.pi * 440 * np.arange(3200) / 16000)  # 0.2 s, all of it loud
    assert _failure(_audio(tone)).code == "too_short"
    assert _failure(_audio(np.zeros(1600))).code == "too_short"  # a truncated file's tenth of a second


def test_a_one_word_piece_needs_only_a_word_of_speech(tmp_path: Path) -> None:
    from tests.support.recitations import synthesise

    amen = normalised(decode_file(str(synthesise("Amen.", tmp_path / "amen.wav")), "wav"))
    padded = _audio(np.concatenate([np.zeros(8000), amen.samples, np.zeros(8000)]))
    analysis = analyse(padded)
    assert 0.25 < analysis.speech_duration < 1.0
    assert check_quality(padded, analysis, piece_words=1) == ()
    assert check_quality(padded, analysis, piece_words=2) == ()
    for words in (None, 4, 200):  # a recitation of a longer piece is not a word long
        with pytest.raises(AudioError) as caught:
            check_quality(padded, analysis, piece_words=words)
        assert (caught.value.code, caught.value.message) == ("too_short", FAILURE_MESSAGES["too_short"])


def test_a_blip_is_too_short_even_for_a_one_word_piece() -> None:
    for samples in (3200, 8000):  # 0.2 s, and 0.5 s (QA: it was called too noisy)
        tone = _audio(0.5 * np.sin(2 * np.pi * 440 * np.arange(samples) / 16000))
        with pytest.raises(AudioError) as caught:
            check_quality(tone, analyse(tone), piece_words=1)
        assert (caught.value.code, caught.value.message) == ("too_short", TOO_SHORT_FOR_PIECE)
    assert "second" not in TOO_SHORT_FOR_PIECE  # its floor is a quarter of one
    assert [min_speech_seconds(n) for n in (None, 0, 1, 2, 3, 4, 50)] == [
        1.0,
        0.25,
        0.25,
        0.5,
        0.75,
        1.0,
        1.0,
    ]


def test_quiet_warns_however_quiet_when_nothing_masks_it(speech_wav: Path) -> None:
    assert "quiet" in _check(_speech(speech_wav, -30))
    assert "quiet" in _check(_speech(speech_wav, -50))  # -66 dBFS speech: refused too_quiet before


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


def test_a_few_seconds_of_speech_in_a_minute_left_running_is_scored(speech_wav: Path) -> None:
    """QA: a learner who leaves the recorder running. With speech under a tenth of the
    recording, the loudest tenth of frames was silence, and clear speech was too_quiet."""
    speech = _speech(speech_wav).samples
    silence = np.zeros(16000 * 35, dtype=np.float32)
    padded = np.concatenate([silence, speech, silence])
    floor = np.random.default_rng(8).normal(0, 10 ** (-68 / 20), len(padded))  # a steady hiss
    assert len(speech) < 0.1 * len(padded)
    assert "too_quiet" not in _check(_audio(_16_bit(padded + floor)))
    assert _failure(_audio(_16_bit(floor))).code == "too_quiet"  # the floor alone still is
