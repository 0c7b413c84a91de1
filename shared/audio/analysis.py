"""Acoustic analysis without transcription: speech, pauses, pitch, loudness, SNR.

Everything works on 30 ms frames of the 16 kHz signal, so the cost is linear
in the recording and well under 0.02 x real time (docs/scoring.md has the
measured figure). Pitch uses librosa's yin (pyin is ~100x slower) on the
speech only, decimated to 8 kHz, in chunks so memory stays bounded.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import librosa
import numpy as np
import numpy.typing as npt
import soxr
import webrtcvad

from shared.audio.types import TARGET_RATE, Analysis, DecodedAudio

FRAME_SECONDS = 0.03
FRAME = int(TARGET_RATE * FRAME_SECONDS)  # 480 samples, a size webrtcvad accepts
LOUD_SECONDS = 2.0  # the contrast's loud level needs no more loud frames than this
VAD_AGGRESSIVENESS = 2  # 3 drops soft word endings in quiet recordings
MERGE_GAP_SECONDS = 0.3  # shorter gaps are within-phrase stops, not pauses
MIN_SEGMENT_SECONDS = 0.12  # clicks and thumps are shorter than any word
PAD_SECONDS = 0.06  # webrtcvad decides late on onsets and early on tails
SILENCE_MIN_SECONDS = 0.2  # shorter runs of non-speech frames are stop closures
CLIP_LEVEL = 0.999
PITCH_RATE = 8000
PITCH_CHUNK_SECONDS = 30
F0_MIN, F0_MAX = 60.0, 400.0
_FLOOR = 1e-10  # -100 dBFS, keeps logs finite on digital silence
_BLOCK = 60 * TARGET_RATE  # samples per block where a whole-signal temporary would do

Segments = list[tuple[float, float]]


def analyse(audio: DecodedAudio) -> Analysis:
    samples = audio.samples
    energy = _frame_energy(samples)
    flags = _vad_flags(samples)
    segments = _segments(flags)
    pauses = [(a[1], b[0]) for a, b in zip(segments, segments[1:], strict=False)]
    speech = sum(end - start for start, end in segments)
    extra: dict[str, Any] = {}
    extra.update(_loudness(samples, energy, flags, audio.gain_db))
    extra.update(_pitch(samples, segments))
    extra.update(_rhythm(audio.duration, segments, pauses))
    return Analysis(
        duration=round(audio.duration, 3),
        speech_duration=round(speech, 3),
        speech_segments=tuple((round(a, 3), round(b, 3)) for a, b in segments),
        pauses=tuple((round(a, 3), round(b, 3)) for a, b in pauses),
        silences=tuple((round(a, 3), round(b, 3)) for a, b in _silences(flags)),
        extra=extra,
    )


def speaking_rates(analysis: Analysis, word_count: int) -> dict[str, float | None]:
    """Words per minute over the whole recording and over speech time only
    (articulation rate), once a transcript says how many words there were."""

    def per_minute(seconds: float) -> float | None:
        return round(word_count * 60.0 / seconds, 1) if seconds > 0 else None

    return {
        "speaking_rate_wpm": per_minute(analysis.duration),
        "articulation_rate_wpm": per_minute(analysis.speech_duration),
    }


def _frames(samples: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    usable = len(samples) - len(samples) % FRAME
    return samples[:usable].reshape(-1, FRAME)


def _frame_energy(samples: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    frames = _frames(samples)
    return np.einsum("ij,ij->i", frames, frames) / np.float32(FRAME)


def _vad_flags(samples: npt.NDArray[np.float32]) -> npt.NDArray[np.bool_]:
    vad = webrtcvad.Vad(VAD_AGGRESSIVENESS)
    frames = _frames(samples)
    flags = np.zeros(len(frames), dtype=bool)
    step = 2000  # convert to int16 a minute at a time, not the whole hour at once
    for first in range(0, len(frames), step):
        block = (np.clip(frames[first : first + step], -1, 1) * 32767).astype(np.int16)
        for i, frame in enumerate(block):
            flags[first + i] = vad.is_speech(frame.tobytes(), TARGET_RATE)
    return flags


def _silences(flags: npt.NDArray[np.bool_]) -> Segments:
    """Runs of non-speech frames between two speech frames, as webrtcvad
    marked them, of SILENCE_MIN_SECONDS or more."""
    edges = np.diff(flags.astype(np.int8))
    ends, starts = np.flatnonzero(edges == -1) + 1, np.flatnonzero(edges == 1) + 1
    if len(starts) and len(ends) and starts[0] < ends[0]:
        starts = starts[1:]  # the recording starts in silence: that is lead-in
    runs = zip(ends * FRAME_SECONDS, starts * FRAME_SECONDS, strict=False)
    return [(float(s), float(e)) for s, e in runs if e - s >= SILENCE_MIN_SECONDS - 1e-9]


def _segments(flags: npt.NDArray[np.bool_]) -> Segments:
    """Runs of speech frames, padded, with short gaps bridged (hangover) and
    blips dropped."""
    edges = np.diff(np.concatenate(([0], flags.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    total = len(flags) * FRAME_SECONDS
    merged: Segments = []
    for s, e in zip(starts * FRAME_SECONDS, ends * FRAME_SECONDS, strict=True):
        s, e = max(0.0, float(s) - PAD_SECONDS), min(total, float(e) + PAD_SECONDS)
        if merged and s - merged[-1][1] < MERGE_GAP_SECONDS:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return [(s, e) for s, e in merged if e - s >= MIN_SEGMENT_SECONDS]


def _db(power: float) -> float:
    return round(10.0 * float(np.log10(max(power, _FLOOR))), 1)


def _contrast_levels(energy: npt.NDArray[np.float32]) -> tuple[float, float]:
    """Loud and quiet: the level the loudest tenth of frames reach, but never more of them
    than ``LOUD_SECONDS``, over the quietest tenth's. Six seconds of speech in a minute left
    running was otherwise judged by its silence, "too quiet" (QA)."""
    n = len(energy)
    if not n:
        return 0.0, 0.0
    loudest = min(math.ceil(0.1 * n), int(LOUD_SECONDS / FRAME_SECONDS))
    loud, low = np.percentile(energy, [100.0 * (1 - loudest / n), 10])
    return float(loud), float(low)


def _loudness(
    samples: npt.NDArray[np.float32],
    energy: npt.NDArray[np.float32],
    flags: npt.NDArray[np.bool_],
    gain_db: float = 0.0,
) -> dict[str, Any]:
    """Levels as recorded (``gain_db`` taken back off), the SNR, clipping, and
    the contrast: loud over quiet frames whatever the VAD said, which is how
    far any sound stands out of the floor."""
    n = min(len(energy), len(flags))
    energy, flags = energy[:n], flags[:n]
    speech = energy[flags]
    # Noise: the quiet non-speech frames; if the VAD heard speech everywhere,
    # fall back to the quietest tenth of all frames.
    quiet = energy[~flags] if (~flags).sum() >= 10 else np.sort(energy)[: max(1, n // 10)]
    speech_power = float(speech.mean()) if len(speech) else 0.0
    noise_power = float(np.median(quiet)) if len(quiet) else 0.0
    snr = _db(speech_power) - _db(noise_power) if len(speech) else None
    # max/min and two counts instead of np.abs: no hour-long temporary copy.
    peak = max(float(samples.max()), -float(samples.min())) if len(samples) else 0.0
    clipped = sum(
        np.count_nonzero(block >= CLIP_LEVEL) + np.count_nonzero(block <= -CLIP_LEVEL)
        for block in (samples[at : at + _BLOCK] for at in range(0, len(samples), _BLOCK))
    )  # a minute at a time: no hour-long boolean mask either
    loud, low = _contrast_levels(energy)
    return {
        "rms_dbfs": round(_db(float(energy.mean()) if n else 0.0) - gain_db, 1),
        "speech_rms_dbfs": round(_db(speech_power) - gain_db, 1) if len(speech) else None,
        "noise_dbfs": round(_db(noise_power) - gain_db, 1),
        "peak_dbfs": round(_db(peak * peak) - gain_db, 1),
        "clipping_ratio": round(float(clipped) / max(1, len(samples)), 6),
        "snr_db": None if snr is None else round(snr, 1),
        "contrast_db": round(_db(float(loud)) - _db(float(low)), 1),
        "gain_db": round(gain_db, 1),
    }


def _pitch(samples: npt.NDArray[np.float32], segments: Segments) -> dict[str, Any]:
    f0s = [f for chunk in _speech_chunks(samples, segments) for f in voiced_pitch(chunk)]
    if len(f0s) < 10:
        return {
            "pitch_median_hz": None,
            "pitch_p10_hz": None,
            "pitch_p90_hz": None,
            "pitch_range_semitones": None,
        }
    f0 = np.asarray(f0s)
    p10, p50, p90 = np.percentile(f0, [10, 50, 90])
    return {
        "pitch_median_hz": round(float(p50), 1),
        "pitch_p10_hz": round(float(p10), 1),
        "pitch_p90_hz": round(float(p90), 1),
        "pitch_range_semitones": round(float(12 * np.log2(p90 / p10)), 2),
    }


def _speech_chunks(samples: npt.NDArray[np.float32], segments: Segments) -> Iterator[npt.NDArray[Any]]:
    """Speech only, grouped into chunks of about PITCH_CHUNK_SECONDS, one at a
    time: a list of them all would copy most of the signal (+190 MB for an hour)."""
    pending: list[npt.NDArray[np.float32]] = []
    length = 0
    for start, end in segments:
        piece = samples[int(start * TARGET_RATE) : int(end * TARGET_RATE)]
        pending.append(piece)
        length += len(piece)
        if length >= PITCH_CHUNK_SECONDS * TARGET_RATE:
            yield np.concatenate(pending)
            pending, length = [], 0
    if pending:
        yield np.concatenate(pending)


def voiced_pitch(chunk: npt.NDArray[np.float32]) -> list[float]:
    """The fundamental frequency (Hz) of each voiced frame of a stretch of speech."""
    low = soxr.resample(chunk, TARGET_RATE, PITCH_RATE, quality="LQ")
    if len(low) < 512:
        return []
    f0 = librosa.yin(
        low, fmin=F0_MIN, fmax=F0_MAX, sr=PITCH_RATE, frame_length=512, hop_length=256, center=False
    )
    # yin always answers; values pinned at the search limits are unvoiced frames.
    voiced = f0[(f0 > F0_MIN * 1.05) & (f0 < F0_MAX * 0.95)]
    return [float(v) for v in voiced]


def _rhythm(duration: float, segments: Segments, pauses: Segments) -> dict[str, Any]:
    # Syllable-free rhythm measures; word-based rates come from speaking_rates().
    lengths = [e - s for s, e in segments]
    gaps = [e - s for s, e in pauses]
    minutes = duration / 60.0 if duration > 0 else 0.0
    return {
        "speaking_rate_wpm": None,
        "articulation_rate_wpm": None,
        "speech_ratio": round(float(sum(lengths)) / duration, 3) if duration > 0 else 0.0,
        "segments_per_minute": round(len(segments) / minutes, 2) if minutes else 0.0,
        "mean_segment_seconds": round(float(np.mean(lengths)), 3) if lengths else 0.0,
        "mean_pause_seconds": round(float(np.mean(gaps)), 3) if gaps else 0.0,
        "longest_pause_seconds": round(float(max(gaps)), 3) if gaps else 0.0,
    }
