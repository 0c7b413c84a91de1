"""Decode an allow-listed recording to 16 kHz mono float32, safely.

``probe`` reads only container headers and rejects hostile or absurd files
before anything large is allocated; ``decode_file`` then streams blocks
through a downmix and a soxr resampler into one growing float32 buffer, so an
hour of audio costs about its 16 kHz signal (~230 MB) and not a float64 or
source-rate copy of it.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import av
import numpy as np
import numpy.typing as npt
import soundfile as sf
import soxr

from shared.audio.sniff import behind_long_tag
from shared.audio.types import TARGET_RATE, AudioError, DecodedAudio

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
_NO_DURATION_HEADER = frozenset({"aac"})

_BLOCK_SECONDS = 10


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
    return _probe(path, behind_long_tag(path, fmt), max_seconds)


def _probe(path: str, fmt: str, max_seconds: float) -> AudioInfo:
    size = os.path.getsize(path)
    try:
        if fmt in SOUNDFILE_FORMATS:
            info = _probe_soundfile(path, fmt, size)
        else:
            info = _probe_av(path, fmt)
    except AudioError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure means unreadable
        raise _corrupt() from exc
    _check_info(info, size, max_seconds)
    return info


def decode_budget(max_seconds: float) -> float:
    """Source samples (duration x rate x channels) one recording may cost to decode."""
    return (max_seconds + CODEC_SLACK_SECONDS) * MAX_SAMPLE_RATE * MAX_CHANNELS


def _check_info(info: AudioInfo, size: int, max_seconds: float) -> None:
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
        raise _too_long(max_seconds)


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
            raise _corrupt()
        duration = None if fmt in _NO_DURATION_HEADER else _stated_duration(container, stream)
        return AudioInfo(duration, int(ctx.sample_rate or 0), int(ctx.channels or 0))


def _stated_duration(container: Any, stream: Any) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration / av.time_base)
    return None


def decode_file(
    path: str | os.PathLike[str], fmt: str, max_seconds: float = DEFAULT_MAX_SECONDS
) -> DecodedAudio:
    """Decode to 16 kHz mono float32; raises ``AudioError`` past ``max_seconds``."""
    path = os.fspath(path)
    fmt = behind_long_tag(path, fmt)
    info = _probe(path, fmt, max_seconds)
    expected = int((info.duration or 60.0) * TARGET_RATE) + TARGET_RATE
    buffer = _Buffer(min(expected, int(max_seconds * TARGET_RATE) + TARGET_RATE))
    blocks = _soundfile_blocks(path) if fmt in SOUNDFILE_FORMATS else _av_blocks(path, fmt)
    resampler = soxr.ResampleStream(info.sample_rate, TARGET_RATE, 1, dtype="float32", quality="HQ")
    limit = int((max_seconds + CODEC_SLACK_SECONDS) * TARGET_RATE)
    budget, spent = decode_budget(max_seconds), 0
    try:
        for rate, block in blocks:
            if rate != info.sample_rate:
                raise _corrupt()  # a mid-stream rate change is not something phones produce
            spent += len(block) * info.channels
            if not np.isfinite(block).all():  # NaN/Inf floats: damage, not a crash later
                raise _corrupt()
            buffer.append(resampler.resample_chunk(block, last=False))
            if buffer.size > limit or spent > budget:
                raise _too_long(max_seconds)
        buffer.append(resampler.resample_chunk(np.zeros(0, dtype=np.float32), last=True))
    except AudioError:
        raise
    except Exception as exc:  # noqa: BLE001 - codec errors of every library
        raise _corrupt() from exc
    if buffer.size == 0:
        raise AudioError("empty_audio", "This recording is empty. Please record again.")
    samples = np.clip(buffer.result(), -1.0, 1.0, out=buffer.result())
    return DecodedAudio(samples, fmt, info.sample_rate, info.channels)


def _soundfile_blocks(path: str) -> Iterator[tuple[int, npt.NDArray[np.float32]]]:
    with sf.SoundFile(path) as handle:
        size = handle.samplerate * _BLOCK_SECONDS
        for block in handle.blocks(blocksize=size, dtype="float32", always_2d=True):
            yield handle.samplerate, _downmix(block)


def _av_blocks(path: str, fmt: str) -> Iterator[tuple[int, npt.NDArray[np.float32]]]:
    with av.open(path, format=PYAV_CONTAINERS[fmt]) as container:
        stream = container.streams.audio[0]
        rate = int(stream.codec_context.sample_rate)
        # FFmpeg only converts sample format here (planar/int -> float) and
        # keeps the channels; downmix and resampling are ours, as for soundfile.
        converter = av.AudioResampler(format="fltp", rate=rate)
        for frame in _frames(container, stream, cut_tail_allowed=fmt in _NO_DURATION_HEADER):
            for out in converter.resample(frame):
                yield rate, _downmix(np.asarray(out.to_ndarray(), dtype=np.float32).T)
        for out in converter.resample(None):
            yield rate, _downmix(np.asarray(out.to_ndarray(), dtype=np.float32).T)


def _frames(container: Any, stream: Any, *, cut_tail_allowed: bool) -> Iterator[Any]:
    """The stream's frames. A raw stream (ADTS) cut off mid-frame, as an interrupted
    recorder leaves it, keeps its whole frames, as an MP3 cut so does (QA: the partial
    last frame failed the file); a bad frame followed by good ones is damage."""
    cut: Exception | None = None
    for packet in container.demux(stream):
        try:
            decoded = packet.decode()
        except av.error.InvalidDataError as exc:
            if not cut_tail_allowed:
                raise
            cut = exc
            continue
        if cut is not None and decoded:
            raise cut
        yield from decoded


def _downmix(block: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    if block.shape[1] == 1:
        return np.ascontiguousarray(block[:, 0], dtype=np.float32)
    return block.mean(axis=1, dtype=np.float32)


class _Buffer:
    """A float32 buffer that grows by 1.5x, sized up front from the probe."""

    def __init__(self, capacity: int) -> None:
        self._data = np.empty(max(capacity, TARGET_RATE), dtype=np.float32)
        self.size = 0

    def append(self, chunk: npt.NDArray[np.float32]) -> None:
        end = self.size + len(chunk)
        if end > len(self._data):
            grown = np.empty(max(end, int(len(self._data) * 1.5)), dtype=np.float32)
            grown[: self.size] = self._data[: self.size]
            self._data = grown
        self._data[self.size : end] = chunk
        self.size = end

    def result(self) -> npt.NDArray[np.float32]:
        # A view avoids a second full copy; only copy when much capacity is unused.
        if self.size < 0.9 * len(self._data):
            self._data = self._data[: self.size].copy()
        return self._data[: self.size]


def _corrupt() -> AudioError:
    return AudioError(
        "corrupt_audio", "We couldn't read this recording; it may be damaged. Please record again."
    )


def _too_long(max_seconds: float) -> AudioError:
    minutes = max_seconds / 60
    return AudioError(
        "too_long",
        f"This recording is longer than {minutes:g} minutes; please record a shorter one.",
    )
