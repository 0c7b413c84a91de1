"""Recording quality: fail what cannot be scored, warn about what may skew it.

Failures raise ``AudioError(code, message)`` and end the attempt with a sentence
the learner can act on; warnings are returned as codes (``WARNING_MESSAGES``
holds their sentences) and travel with the result.

Failures — scoring would be meaningless:
  * ``no_speech``: the voice-activity detector heard nothing.
  * ``too_short``: under 1 s of speech; no recitation is that short.
  * ``too_quiet``: speech below -55 dBFS, where recognisers hear mostly noise.
  * ``too_noisy``: estimated SNR under 3 dB; speech and noise are as loud.
  * ``heavily_clipped``: over 5 % of samples at full scale.
Warnings — scoreable, but the learner should know why results may be off:
  * ``quiet`` (speech under -40 dBFS; a phone held far away or a -28 dB
    quiet speaker still scores), ``noisy`` (SNR under 10 dB), ``clipping``
    (over 0.1 % of samples at full scale).
Thresholds sit well outside the learner conditions the evaluation set uses
(8 kHz phone band, Opus, reverb, pink noise at 15 dB SNR, -28 dB quiet), so
realistic recordings are never rejected.
"""

from __future__ import annotations

from typing import Any, NoReturn

from shared.audio.types import Analysis, AudioError, DecodedAudio

MIN_SPEECH_SECONDS = 1.0
QUIET_FAIL_DBFS = -55.0
QUIET_WARN_DBFS = -40.0
SNR_FAIL_DB = 3.0
SNR_WARN_DB = 10.0
CLIP_FAIL_RATIO = 0.05
CLIP_WARN_RATIO = 0.001

FAILURE_MESSAGES = {
    "no_speech": "We couldn't hear any speech — check that the right microphone is selected.",
    "too_short": "We heard less than a second of speech — please record the whole piece.",
    "too_quiet": "The recording is too quiet to hear the words — move closer to the "
    "microphone or turn its volume up, then record again.",
    "too_noisy": "There is too much background noise to hear the words — find a quieter "
    "place and record again.",
    "heavily_clipped": "The recording is so loud that it is distorted — hold the microphone "
    "further away or turn its volume down, then record again.",
}

WARNING_MESSAGES = {
    "quiet": "The recording was quiet, so some words may have been missed — "
    "try moving closer to the microphone next time.",
    "noisy": "There was background noise, so some words may have been misheard — "
    "a quieter place will give a fairer score.",
    "clipping": "Parts of the recording were too loud and distorted — "
    "hold the microphone a little further away next time.",
}


def check_quality(audio: DecodedAudio, analysis: Analysis) -> tuple[str, ...]:
    """Raise ``AudioError`` for unusable recordings; return warning codes otherwise."""
    if analysis.speech_duration <= 0 or not analysis.speech_segments:
        _fail("no_speech")
    if analysis.speech_duration < MIN_SPEECH_SECONDS:
        _fail("too_short")
    extra = analysis.extra
    warnings = [
        *_level_warnings(_number(extra, "speech_rms_dbfs")),
        *_noise_warnings(_number(extra, "snr_db")),
        *_clipping_warnings(_number(extra, "clipping_ratio")),
    ]
    return tuple(warnings)


def _level_warnings(speech_dbfs: float | None) -> list[str]:
    if speech_dbfs is None:
        return []
    if speech_dbfs < QUIET_FAIL_DBFS:
        _fail("too_quiet")
    return ["quiet"] if speech_dbfs < QUIET_WARN_DBFS else []


def _noise_warnings(snr_db: float | None) -> list[str]:
    if snr_db is None:
        return []
    if snr_db < SNR_FAIL_DB:
        _fail("too_noisy")
    return ["noisy"] if snr_db < SNR_WARN_DB else []


def _clipping_warnings(ratio: float | None) -> list[str]:
    if ratio is None:
        return []
    if ratio > CLIP_FAIL_RATIO:
        _fail("heavily_clipped")
    return ["clipping"] if ratio > CLIP_WARN_RATIO else []


def _number(extra: dict[str, Any], key: str) -> float | None:
    value = extra.get(key)
    return None if value is None else float(value)


def _fail(code: str) -> NoReturn:
    raise AudioError(code, FAILURE_MESSAGES[code])
