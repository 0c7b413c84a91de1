"""Chunked OpenAI transcription of the hour: wall time against its slowest chunk.

Part of ``python -m bench memory`` (see :mod:`bench.memory`): the real engine
sends the hour to the local test server, whose latency is proportional to
each chunk's audio, and each chunk is timed from its encoding to its response.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from bench import memory_audio
from bench.table import Figure

# Large enough that a 7.5 min chunk (~3.6 s) dominates the client's own work
# (FLAC encoding), as the real API's latency does.
CHUNK_LATENCY = 0.008


def _timed_engine(base_url: str, concurrency: int) -> Any:
    """The real engine, timing each chunk from its encoding to its response."""
    from shared.transcription.openai.engine import OpenAITranscriber
    from tests.support.openai_server import API_KEY

    class Timed(OpenAITranscriber):
        def __init__(self) -> None:
            super().__init__(API_KEY, base_url=base_url, concurrency=concurrency)
            self.chunk_seconds: list[float] = []

        def _piece(self, samples: Any, start: int, end: int) -> Any:
            started = time.perf_counter()
            try:
                return super()._piece(samples, start, end)
            finally:
                self.chunk_seconds.append(time.perf_counter() - started)

    return Timed()


def chunking_figures(server: Any) -> list[Figure]:
    """The hour through the engine: wall time over its slowest chunk's time in
    the same run (1.0 = every chunk in flight at once; two rounds = 2.0), for
    the default concurrency and the old one (4); and, as a check that the
    emulation's own CPU work (FLAC encoding, the server parsing 8 uploads on
    this machine's 2 cores) does not hide a problem, over the slowest chunk
    sent on its own."""
    from shared.audio.decode import decode_file
    from shared.audio.types import DecodedAudio
    from shared.transcription.openai.engine import DEFAULT_CONCURRENCY

    path, _ = memory_audio.recording(60, "wav")
    audio = decode_file(path, "wav")
    server.latency_per_audio_second = CHUNK_LATENCY

    def in_run(concurrency: int) -> tuple[float, Any]:
        engine = _timed_engine(server.base_url, concurrency)
        started = time.perf_counter()
        engine.transcribe(audio)
        wall = time.perf_counter() - started
        slowest = max(engine.chunk_seconds)
        print(
            f"  chunking, concurrency {concurrency}: {len(engine.chunk_seconds)} chunks, "
            f"wall {wall:.2f} s, slowest chunk {slowest:.2f} s",
            flush=True,
        )
        return wall / slowest, engine

    def alone(engine: Any, wall_ratio: float) -> float:
        start, end = max(engine.plan(audio.samples), key=lambda span: span[1] - span[0])
        single = _timed_engine(server.base_url, 1)  # one chunk, one request
        started = time.perf_counter()
        single.transcribe(DecodedAudio(audio.samples[start:end], "wav", audio.source_rate, 1))
        seconds = time.perf_counter() - started
        wall = wall_ratio * max(engine.chunk_seconds)
        print(f"  slowest chunk alone {seconds:.2f} s", flush=True)
        return wall / seconds

    default = [in_run(DEFAULT_CONCURRENCY) for _ in range(3)]
    old = [in_run(4)[0] for _ in range(2)]
    ratios = [r for r, _ in default]
    alone_ratio = alone(default[-1][1], default[-1][0])
    return [
        Figure(
            name=f"OpenAI 60 min chunked: wall / slowest chunk (concurrency {DEFAULT_CONCURRENCY})",
            unit="×",
            runs=ratios,
            baseline_name="concurrency 4, the old default",
            baseline_runs=old,
            target="≤ 1.3",
            ratio_note=" × old",
            met=statistics.median(ratios) <= 1.3,
        ),
        Figure(
            name="OpenAI 60 min chunked: wall / slowest chunk sent alone",
            unit="×",
            runs=[alone_ratio],
            target="(check; CPU-bound emulation on 2 cores)",
        ),
    ]
