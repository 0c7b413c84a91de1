"""Decode an allow-listed recording to 16 kHz mono float32, safely.

``shared.audio.probe`` reads only container headers and rejects hostile or
absurd files before anything large is allocated; ``decode_file`` then streams blocks
through a downmix and a soxr resampler into one growing float32 buffer, so an
hour of audio costs about its 16 kHz signal (~230 MB) and not a float64 or
source-rate copy of it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import av
import numpy as np
import numpy.typing as npt
import soundfile as sf
import soxr

from shared.audio.probe import (
    CODEC_SLACK_SECONDS,
    DEFAULT_MAX_SECONDS,
    NO_DURATION_HEADER,
    PYAV_CONTAINERS,
    SOUNDFILE_FORMATS,
    corrupt_audio,
    decode_budget,
    probe_format,
    too_long,
)
from shared.audio.sniff import behind_long_tag
from shared.audio.types import TARGET_RATE, AudioError, DecodedAudio

__all__ = ["DEFAULT_MAX_SECONDS", "decode_file"]

_BLOCK_SECONDS = 10


def decode_file(
    path: str | os.PathLike[str], fmt: str, max_seconds: float = DEFAULT_MAX_SECONDS
) -> DecodedAudio:
    """Decode to 16 kHz mono float32; raises ``AudioError`` past ``max_seconds``."""
    path = os.fspath(path)
    fmt = behind_long_tag(path, fmt)
    info = probe_format(path, fmt, max_seconds)
    expected = int((info.duration or 60.0) * TARGET_RATE) + TARGET_RATE
    buffer = _Buffer(min(expected, int(max_seconds * TARGET_RATE) + TARGET_RATE))
    blocks = _soundfile_blocks(path) if fmt in SOUNDFILE_FORMATS else _av_blocks(path, fmt)
    resampler = soxr.ResampleStream(info.sample_rate, TARGET_RATE, 1, dtype="float32", quality="HQ")
    limit = int((max_seconds + CODEC_SLACK_SECONDS) * TARGET_RATE)
    budget, spent = decode_budget(max_seconds), 0
    try:
        for rate, block in blocks:
            if rate != info.sample_rate:
                raise corrupt_audio()  # a mid-stream rate change is not something phones produce
            spent += len(block) * info.channels
            if not np.isfinite(block).all():  # NaN/Inf floats: damage, not a crash later
                raise corrupt_audio()
            buffer.append(resampler.resample_chunk(block, last=False))
            if buffer.size > limit or spent > budget:
                raise too_long(max_seconds)
        buffer.append(resampler.resample_chunk(np.zeros(0, dtype=np.float32), last=True))
    except AudioError:
        raise
    except Exception as exc:  # noqa: BLE001 - codec errors of every library
        raise corrupt_audio() from exc
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
        for frame in _frames(container, stream, cut_tail_allowed=fmt in NO_DURATION_HEADER):
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
