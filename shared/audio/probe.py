"""Read a recording's headers and refuse hostile or absurd files before decoding.

``probe`` reads only container headers: channels, rate and stated duration,
checked against what phones and browsers record and against the decode
budget, so nothing large is allocated for a file that claims an hour of
192 kHz audio. ``shared.audio.decode`` probes first, then decodes.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from typing import Any

import av
import soundfile as sf

from shared.audio.sniff import behind_long_tag
from shared.audio.types import AudioError

# What phones and browsers record, and what the learner message promises:
# 8-48 kHz, mono or stereo. Anything past it only costs decoding time.
MAX_CHANNELS = 2
MIN_SAMPLE_RATE = 8_000
MAX_SAMPLE_RATE = 48_000
DEFAULT_MAX_SECONDS = 60 * 60.0
# A real recording never packs more than this much time into few bytes; the
# lowest bitrate we accept (Opus at 6 kbit/s) is ~750 bytes per second.
MIN_BYTES_PER_SECOND = 250
_SLACK_SECONDS = 60.0  # short files may have tiny headers; only judge long claims

SOUNDFILE_FORMATS = frozenset({"wav", "flac", "ogg"})
# The demuxer PyAV may use for each format: never let FFmpeg guess.
PYAV_CONTAINERS = {"opus": "ogg", "webm": "matroska", "mp3": "mp3", "m4a": "mp4", "aac": "aac"}
# Raw ADTS has no duration header: FFmpeg guesses one from the first frames'
# bitrate, so decode counts the real samples against the budget instead.
NO_DURATION_HEADER = frozenset({"aac"})


@dataclass(frozen=True, slots=True)
class AudioInfo:
    duration: float | None  # None when the container does not say (live WebM)
    sample_rate: int
    channels: int


# Codecs add priming and padding (Opus: 6.5 ms), so a recording of exactly the
# maximum length reads slightly longer; it must still be accepted.
CODEC_SLACK_SECONDS = 1.0


def probe(path: str | os.PathLike[str], fmt: str, max_seconds: float = DEFAULT_MAX_SECONDS) -> AudioInfo:
    """Header-only preflight; raises ``AudioError`` with a specific code."""
    path = os.fspath(path)
    return probe_format(path, behind_long_tag(path, fmt), max_seconds)


def probe_format(path: str, fmt: str, max_seconds: float) -> AudioInfo:
    """``probe`` for a format already sniffed (``behind_long_tag``)."""
    size = os.path.getsize(path)
    try:
        if fmt in SOUNDFILE_FORMATS:
            info = _probe_soundfile(path, fmt, size)
        else:
            info = _probe_av(path, fmt)
    except AudioError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure means unreadable
        raise corrupt_audio() from exc
    check_info(info, size, max_seconds)
    return info


def decode_budget(max_seconds: float) -> float:
    """Source samples (duration x rate x channels) one recording may cost to decode."""
    return (max_seconds + CODEC_SLACK_SECONDS) * MAX_SAMPLE_RATE * MAX_CHANNELS


def check_info(info: AudioInfo, size: int, max_seconds: float) -> None:
    if info.channels > MAX_CHANNELS:
        raise AudioError(
            "too_many_channels",
            f"This recording has {info.channels} channels; please record in mono or stereo.",
        )
    if info.sample_rate > MAX_SAMPLE_RATE:
        raise AudioError(
            "sample_rate_too_high",
            "This recording's sample rate is not supported; please record at 48 kHz or lower.",
        )
    if info.sample_rate < MIN_SAMPLE_RATE:
        raise AudioError(
            "sample_rate_too_low",
            "This recording's sample rate is not supported; please record at 8 kHz or higher.",
        )
    duration = info.duration
    if duration is None:
        return  # decode_file counts source samples against the budget as it goes
    if duration > _SLACK_SECONDS and size / duration < MIN_BYTES_PER_SECOND:
        raise AudioError(
            "implausible_header",
            "This file says it is far longer than its size allows; it may be damaged. Please record again.",
        )
    too_costly = duration * info.sample_rate * info.channels > decode_budget(max_seconds)
    if duration > max_seconds + CODEC_SLACK_SECONDS or too_costly:
        raise too_long(max_seconds)


def _probe_soundfile(path: str, fmt: str, size: int) -> AudioInfo:
    if fmt == "wav":
        claimed = _wav_header(path)
        if claimed is not None:
            # libsndfile clamps a lying data size to the file; we want to see the lie.
            channels, rate, seconds = claimed
            return AudioInfo(seconds, rate, channels)
    info = sf.info(path)
    return AudioInfo(info.frames / info.samplerate, info.samplerate, info.channels)


def _wav_header(path: str) -> tuple[int, int, float] | None:
    """(channels, rate, claimed seconds) from the fmt and data chunks, if found."""
    with open(path, "rb") as handle:
        head = handle.read(65536)
    pos, fmt_chunk, data_size = 12, None, None
    while pos + 8 <= len(head) and (fmt_chunk is None or data_size is None):
        cid, csize = head[pos : pos + 4], struct.unpack("<I", head[pos + 4 : pos + 8])[0]
        if cid == b"fmt ":
            fmt_chunk = head[pos + 8 : pos + 24]
        elif cid == b"data":
            data_size = csize
        pos += 8 + csize + (csize & 1)
    if fmt_chunk is None or len(fmt_chunk) < 16 or data_size is None:
        return None
    _, channels, rate, byte_rate, _, _ = struct.unpack("<HHIIHH", fmt_chunk)
    if byte_rate <= 0 or data_size == 0xFFFFFFFF:  # streaming writers leave it unset
        return None
    return channels, rate, data_size / byte_rate


def _probe_av(path: str, fmt: str) -> AudioInfo:
    with av.open(path, format=PYAV_CONTAINERS[fmt]) as container:
        if not container.streams.audio:  # a video without sound, say: nothing is damaged
            raise AudioError(
                "no_audio_track",
                "This file has no sound in it (a video without an audio track?). "
                "Record again, or send the audio recording.",
            )
        stream = container.streams.audio[0]
        ctx = stream.codec_context
        if not ctx.sample_rate or not ctx.channels:  # a demuxer that found no real stream
            raise corrupt_audio()
        duration = None if fmt in NO_DURATION_HEADER else _stated_duration(container, stream)
        return AudioInfo(duration, int(ctx.sample_rate or 0), int(ctx.channels or 0))


def _stated_duration(container: Any, stream: Any) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration / av.time_base)
    return None


def corrupt_audio() -> AudioError:
    return AudioError(
        "corrupt_audio", "We couldn't read this recording; it may be damaged. Please record again."
    )


def too_long(max_seconds: float) -> AudioError:
    minutes = max_seconds / 60
    return AudioError(
        "too_long",
        f"This recording is longer than {minutes:g} minutes; please record a shorter one.",
    )
