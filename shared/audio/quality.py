"""Recording quality: fail what cannot be scored, warn about what may skew it.

Failures raise ``AudioError(code, message)`` and end the attempt with a sentence
the learner can act on; warnings are returned as codes (``WARNING_MESSAGES``
holds their sentences) and travel with the result.

Audibility is judged by signal-to-noise, never by absolute level: a faint
recording whose words stand well out of its floor is raised by the pipeline
(``shared.audio.gain``) and scored, with the ``quiet`` warning.

Failures — scoring would be meaningless:
  * ``too_quiet``: nothing can be told from a quiet floor (under -50 dBFS):
    digital silence (peaks under -80 dBFS, a muted input), or sound that
    stands under 7 dB out of the floor (hiss alone, or speech at the noise:
    loud over quiet frames), or speech under 3 dB SNR.
  * ``no_speech``: the voice-activity detector heard nothing.
  * ``too_short``: under 1 s of speech; no recitation is that short, except
    of a piece of a word or two ("Amen.", "Jesus wept."), which needs a
    quarter of a second a word. A recording under that in all is judged so
    first (a 0.2 s tone has no quiet frames to measure a floor by, and was
    called too noisy).
  * ``too_noisy``: the same over a loud floor; speech and noise are as loud.
  * ``heavily_clipped``: over 5 % of samples at full scale.
Warnings — scoreable, but the learner should know why results may be off:
  * ``quiet`` (speech under -40 dBFS as recorded; a phone held far away, a
    -28 dB quiet speaker or peaks at -36 dBFS still score), ``noisy`` (SNR
    under 10 dB), ``clipping`` (over 0.1 % of samples at full scale).
Thresholds sit well outside the learner conditions the evaluation set uses
(8 kHz phone band, Opus, reverb, pink noise at 15 dB SNR, -28 dB quiet,
faint: -36 dBFS peaks over a -70 dBFS floor), so realistic recordings are
never rejected.
"""

from __future__ import annotations

from typing import Any, NoReturn

from shared.audio.types import Analysis, AudioError, DecodedAudio

MIN_SPEECH_SECONDS = 1.0
MIN_SECONDS_PER_WORD = 0.25  # "I" or "Amen" said briskly; a piece of four words or more needs 1 s
SILENT_PEAK_DBFS = -80.0  # a 16-bit input's last few steps: nothing was recorded
# Loud over quiet 30 ms frames, whatever the VAD said: speech at 15 dB SNR
# stands ~20 dB out, at 0 dB SNR 5-7 dB, hiss alone under 6 dB.
CONTRAST_FAIL_DB = 7.0
QUIET_FLOOR_DBFS = -50.0  # a floor under this is a quiet room, not a noisy one
QUIET_WARN_DBFS = -40.0
SNR_FAIL_DB = 3.0
SNR_WARN_DB = 10.0
CLIP_FAIL_RATIO = 0.05
CLIP_WARN_RATIO = 0.001

FAILURE_MESSAGES = {
    "no_speech": "We couldn't hear any speech — check that the right microphone is selected.",
    "too_short": "We heard less than a second of speech — please record the whole piece.",
    "too_quiet": "The recording is too quiet to tell the words from the background — check "
    "that the right microphone is selected, move closer to it or turn its volume up, "
    "then record again.",
    "too_noisy": "There is too much background noise to hear the words — find a quieter "
    "place and record again.",
    "heavily_clipped": "The recording is so loud that it is distorted — hold the microphone "
    "further away or turn its volume down, then record again.",
}

# ``too_short`` for a piece of a word or two, whose threshold is under a second.
TOO_SHORT_FOR_PIECE = "We heard almost no speech — please record the whole piece."

WARNING_MESSAGES = {
    "quiet": "The recording was quiet, so some words may have been missed — "
    "try moving closer to the microphone next time.",
    "noisy": "There was background noise, so some words may have been misheard — "
    "a quieter place will give a fairer score.",
    "clipping": "Parts of the recording were too loud and distorted — "
    "hold the microphone a little further away next time.",
}


def check_quality(audio: DecodedAudio, analysis: Analysis, piece_words: int | None = None) -> tuple[str, ...]:
    """Raise ``AudioError`` for unusable recordings; return warning codes otherwise.
    ``piece_words``: how many words the piece has, when known (short pieces need less)."""
    shortest = min_speech_seconds(piece_words)
    if audio.duration < shortest:  # too short to judge a floor by: say what is wrong
        _too_short(shortest)
    try:
        return _checked(audio, analysis, shortest)
    except AudioError as exc:
        # Under a second there are too few quiet frames to judge a floor by: a half-second
        # beep for "Amen." was called too noisy (QA). Say what is wrong instead.
        if exc.code in ("too_noisy", "too_quiet") and audio.duration < MIN_SPEECH_SECONDS:
            _too_short(shortest)
        raise


def _checked(audio: DecodedAudio, analysis: Analysis, shortest: float) -> tuple[str, ...]:
    extra = analysis.extra
    if _unheard(_number(extra, "peak_dbfs"), _number(extra, "contrast_db")):
        _fail(_unheard_code(_number(extra, "noise_dbfs")))
    if analysis.speech_duration <= 0 or not analysis.speech_segments:
        _fail("no_speech")
    if analysis.speech_duration < shortest:
        _too_short(shortest)
    warnings = [
        *_level_warnings(_number(extra, "speech_rms_dbfs")),
        *_noise_warnings(_number(extra, "snr_db"), _number(extra, "noise_dbfs")),
        *_clipping_warnings(_number(extra, "clipping_ratio")),
    ]
    return tuple(warnings)


def min_speech_seconds(piece_words: int | None) -> float:
    """The least speech a recitation of a piece this long can have."""
    if piece_words is None:
        return MIN_SPEECH_SECONDS
    return min(MIN_SPEECH_SECONDS, MIN_SECONDS_PER_WORD * max(1, piece_words))


def _too_short(shortest: float) -> NoReturn:
    whole = shortest >= MIN_SPEECH_SECONDS
    raise AudioError("too_short", FAILURE_MESSAGES["too_short"] if whole else TOO_SHORT_FOR_PIECE)


def _unheard(peak_dbfs: float | None, contrast_db: float | None) -> bool:
    """Nothing stands out of the floor: digital silence, or sound (hiss alone,
    speech at the noise) less than ``CONTRAST_FAIL_DB`` over it. Analyses from
    before the contrast was measured are judged by the SNR alone."""
    if peak_dbfs is not None and peak_dbfs < SILENT_PEAK_DBFS:
        return True
    return contrast_db is not None and contrast_db < CONTRAST_FAIL_DB


def _unheard_code(noise_dbfs: float | None) -> str:
    """Words lost in a quiet floor are too quiet; in a loud one, too noisy."""
    quiet_floor = noise_dbfs is None or noise_dbfs < QUIET_FLOOR_DBFS
    return "too_quiet" if quiet_floor else "too_noisy"


def _level_warnings(speech_dbfs: float | None) -> list[str]:
    return ["quiet"] if speech_dbfs is not None and speech_dbfs < QUIET_WARN_DBFS else []


def _noise_warnings(snr_db: float | None, noise_dbfs: float | None) -> list[str]:
    if snr_db is None:
        return []
    if snr_db < SNR_FAIL_DB:
        _fail(_unheard_code(noise_dbfs))
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
