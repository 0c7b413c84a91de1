"""One recording through what a worker runs, in its own process, for ``/usr/bin/time -v``.

    python -m bench.memory_job RECORDING FORMAT TEXT_FILE

Probe and decode, analyse and quality-check, transcribe with the engine the
``RECITAL_*`` environment names, score: the ``shared.pipeline`` steps
``shared.services.processing`` calls one by one, without the database and storage (they
do not hold the signal). Prints one JSON line: seconds and the high-water RSS
(VmHWM) after each phase, so the phase that sets the peak is visible.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any


def _rss_mb() -> dict[str, float]:
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = round(int(value.split()[0]) / 1024, 1)
    return fields


def run(path: str, fmt: str, text: str) -> dict[str, Any]:
    from shared.pipeline import analyse_recording, decode_recording, score
    from shared.settings import Settings
    from shared.transcription.factory import build_transcriber

    report: dict[str, Any] = {"phases": {}}
    settings = Settings()
    transcriber = build_transcriber(settings)
    report["phases"]["start"] = {"seconds": 0.0, **_rss_mb()}

    def phase(name: str, started: float) -> None:
        report["phases"][name] = {"seconds": round(time.perf_counter() - started, 2), **_rss_mb()}

    started = time.perf_counter()
    audio = decode_recording(path, fmt, settings.max_duration_seconds)
    phase("decode", started)
    started = time.perf_counter()
    analysis = analyse_recording(audio)
    phase("analyse", started)
    started = time.perf_counter()
    transcript = transcriber.transcribe(audio, text)
    phase("transcribe", started)
    started = time.perf_counter()
    result = score(text, transcript, analysis)
    phase("score", started)
    report.update(
        seconds=round(audio.duration, 1),
        signal_mb=round(audio.samples.nbytes / 2**20, 1),
        engine=transcript.engine,
        chunks=transcript.extra.get("chunks"),
        words=len(transcript.words),
        accuracy=result.scores.accuracy,
    )
    return report


def main() -> None:
    path, fmt, text_file = sys.argv[1:4]
    print(json.dumps(run(path, fmt, Path(text_file).read_text())), flush=True)


if __name__ == "__main__":
    main()
