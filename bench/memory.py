"""Worker memory for long recordings, and chunked OpenAI transcription wall time.

``python -m bench memory``

* Peak RSS (``/usr/bin/time -v``, maximum resident set size) of a process
  that does what a worker does for one recording (:mod:`bench.memory_job`:
  decode → analyse → transcribe → score) for 1, 10 and 60 minutes of flite
  speech with pauses (:mod:`bench.memory_audio`), as 16 kHz WAV and as Opus,
  with the OpenAI engine against the local test server (in this process, so
  its memory is not counted; latency proportional to audio length) and with
  the offline engine for 1, 10 and 60 minutes. Baseline: the decoded 16 kHz
  float32 signal. Targets (issue 4): the hour ≤ 1.5 GB, growing no faster
  than the signal (MB of peak RSS added per MB of signal added, 1 → 60 min:
  ≤ 1.1, i.e. one copy of the signal plus allocator slack).
* Chunked transcription of the hour (:mod:`bench.memory_chunking`): wall
  time over the time of its slowest chunk in the same run (target ≤ 1.3),
  beside the old default concurrency (4), and over that chunk's time when
  sent on its own.

The suite takes about 6 minutes, the offline hour included.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bench import memory_audio
from bench.memory_chunking import chunking_figures
from bench.table import Figure

ROOT = Path(__file__).resolve().parents[1]
TARGET_MB = 1536.0
GROWTH_TARGET = 1.1  # MB of peak RSS per MB of signal, shortest to longest run
RSS_LINE = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
# Seconds of server time per second of audio. Memory runs: small, so the hour is quick.
MEMORY_LATENCY = 0.002
RUNS_SHORT = 3


@dataclass(frozen=True)
class Measured:
    peak_mb: float
    signal_mb: float
    wall: float
    report: dict[str, Any]


class SpokenUnit:
    """Test-server recogniser: the unit's words, evenly over each chunk, so the
    transcript has the size and shape of the real one (scoring cost included)."""

    def __init__(self, unit: memory_audio.Unit) -> None:
        self.words = unit.text.split()
        self.per_second = len(self.words) / unit.seconds

    def __call__(self, samples: npt.NDArray[np.float32], rate: int) -> list[tuple[str, float, float]]:
        duration = len(samples) / rate
        count = int(duration * self.per_second)
        step = duration / max(1, count)
        return [(self.words[i % len(self.words)], i * step, (i + 0.8) * step) for i in range(count)]


@contextmanager
def test_server() -> Iterator[Any]:
    sys.path.insert(0, str(ROOT))
    from tests.support.openai_server import OpenAITestServer

    server = OpenAITestServer(None).start()
    server.recogniser = SpokenUnit(memory_audio.unit())
    try:
        yield server
    finally:
        server.stop()


def measure(minutes: float, fmt: str, engine: str, server: Any) -> Measured:
    from tests.support.openai_server import API_KEY

    path, text = memory_audio.recording(minutes, fmt)
    env = {
        **os.environ,
        "RECITAL_TRANSCRIBER": engine,
        "RECITAL_FALLBACK_TRANSCRIBER": "none",  # a failure must show, not be hidden by offline
        "RECITAL_OPENAI_API_KEY": API_KEY,
        "RECITAL_OPENAI_BASE_URL": server.base_url,
        # An exactly-60-minute Opus file reports 3600.0065 s (the 6.5 ms codec
        # pre-skip is counted) and the default 3600 s limit refuses it as too_long.
        "RECITAL_MAX_DURATION_SECONDS": "3601",
    }
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as text_file:
        text_file.write(text)
        text_file.flush()
        argv = [
            "/usr/bin/time",
            "-v",
            sys.executable,
            "-m",
            "bench.memory_job",
            str(path),
            fmt,
            text_file.name,
        ]
        started = time.perf_counter()
        run = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
        wall = time.perf_counter() - started
    found = RSS_LINE.search(run.stderr)
    if run.returncode != 0 or found is None:
        raise RuntimeError(f"memory job failed ({minutes} min {fmt} {engine}):\n{run.stderr[-3000:]}")
    report: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return Measured(int(found.group(1)) / 1024, float(report["signal_mb"]), wall, report)


def cases() -> list[tuple[str, str, float]]:
    chosen = [("openai", fmt, m) for fmt in ("wav", "opus") for m in (1, 10, 60)]
    # The offline hour takes about 3 minutes (0.05 x real time): affordable in the 15 min budget.
    chosen += [("offline", "wav", m) for m in (1, 10, 60)]
    return chosen


def rss_figures(server: Any) -> list[Figure]:
    server.latency_per_audio_second = MEMORY_LATENCY
    measured: dict[tuple[str, str, float], list[Measured]] = {}
    for engine, fmt, minutes in cases():
        # Medians where cheap; the hour, and the offline engine past a minute, run once.
        runs = RUNS_SHORT if minutes < 60 and (engine == "openai" or minutes <= 1) else 1
        measured[(engine, fmt, minutes)] = [measure(minutes, fmt, engine, server) for _ in range(runs)]
        last = measured[(engine, fmt, minutes)][-1]
        print(
            f"  {engine} {fmt} {minutes:g} min: {last.peak_mb:.0f} MB, {last.wall:.1f} s, "
            f"phases {json.dumps(last.report['phases'])}",
            flush=True,
        )
    figures = [_peak_figure(key, runs) for key, runs in measured.items()]
    figures += _growth_figures(measured)
    return figures


def _peak_figure(key: tuple[str, str, float], runs: list[Measured]) -> Figure:
    engine, fmt, minutes = key
    hour = minutes >= 60
    peaks = [m.peak_mb for m in runs]
    return Figure(
        name=f"worker peak RSS, {engine}, {minutes:g} min {fmt}",
        unit="MB",
        runs=peaks,
        baseline_name="16 kHz float32 signal",
        baseline_runs=[m.signal_mb for m in runs],
        target=f"≤ {TARGET_MB:.0f} MB" if hour else "",
        ratio_note=" × signal",
        met=statistics.median(peaks) <= TARGET_MB if hour else None,
    )


def _growth_figures(measured: dict[tuple[str, str, float], list[Measured]]) -> list[Figure]:
    """MB of peak RSS added per MB of signal added, shortest → longest run."""
    figures = []
    for engine, fmt in sorted({(e, f) for e, f, _ in measured}):
        lengths = sorted(m for e, f, m in measured if (e, f) == (engine, fmt))
        if len(lengths) < 2:
            continue
        short = measured[(engine, fmt, lengths[0])]
        long = measured[(engine, fmt, lengths[-1])]
        peak = statistics.median(m.peak_mb for m in long) - statistics.median(m.peak_mb for m in short)
        signal = long[0].signal_mb - short[0].signal_mb
        slope = peak / signal
        figures.append(
            Figure(
                name=f"RSS growth per signal MB, {engine} {fmt}, {lengths[0]:g}→{lengths[-1]:g} min",
                unit="MB/MB",
                runs=[slope],
                # 1.0 is exactly one more copy of the signal; the rest is
                # allocator slack and the analysis' per-block temporaries.
                target="≤ 1.1 (one copy of the signal)",
                met=slope <= GROWTH_TARGET,
            )
        )
    return figures


def run() -> list[Figure]:
    with test_server() as server:
        figures = rss_figures(server)
        figures += chunking_figures(server)
    return figures


if __name__ == "__main__":
    from bench.table import print_table

    print_table(run())
