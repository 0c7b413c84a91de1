"""Speed of the pure parts: analysis, offline transcription, alignment and scoring."""

from __future__ import annotations

import difflib
import gc
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.speech import recitation
from bench.table import Figure

RUNS = 3


def timed(action: Callable[[], object], runs: int = RUNS) -> list[float]:
    """Seconds per run. Like ``timeit``, the garbage collector is paused while
    timing, so a collection of earlier suites' objects is not billed here."""
    out = []
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            started = time.perf_counter()
            action()
            out.append(time.perf_counter() - started)
        finally:
            gc.enable()
    return out


def audio_figures(folder: Path) -> list[Figure]:
    from shared.audio.analysis import analyse
    from shared.audio.decode import decode_file
    from shared.transcription.offline import OfflineTranscriber

    path, text = recitation(folder, 300, "five_minutes")
    audio = decode_file(path, "wav")
    seconds = audio.duration
    analyse(audio)  # warm up (imports, JIT) once per process, as a worker does
    decode_rtf = [t / seconds for t in timed(lambda: decode_file(path, "wav"))]
    analysis_rtf = [t / seconds for t in timed(lambda: analyse(audio))]
    analysis = Figure("analysis without transcription (5 min)", "× real time", analysis_rtf,
                      "decoding alone", decode_rtf, "≤ 0.02", "× decoding")
    analysis.met = analysis.median <= 0.02
    short, short_text = recitation(folder, 60, "one_minute")
    minute = decode_file(short, "wav")
    engine = OfflineTranscriber()
    engine.transcribe(minute, short_text)  # model loaded once per process
    offline = Figure("offline transcription (60 s)", "× real time",
                     [t / minute.duration for t in timed(lambda: engine.transcribe(minute, short_text))],
                     target="≤ 0.3")
    offline.met = offline.median <= 0.3
    return [analysis, offline, score_command_figure(short, short_text, engine)]


def score_command_figure(path: Path, text: str, engine: object) -> Figure:
    """What ``recital score`` does for a 60 s recording, model already loaded."""
    from shared.audio.analysis import analyse
    from shared.audio.decode import decode_file
    from shared.domain.scoring import score_recitation

    def score() -> None:
        audio = decode_file(path, "wav")
        analysis = analyse(audio)
        transcript = engine.transcribe(audio, text)  # type: ignore[attr-defined]
        score_recitation(text, transcript, pauses=analysis.pauses, duration=analysis.duration)

    seconds = decode_file(path, "wav").duration
    figure = Figure("recital score of a 60 s recording (offline)", "× real time",
                    [t / seconds for t in timed(score)], target="≤ 0.5")
    figure.met = figure.median <= 0.5
    return figure


def word_pair(n: int = 10_000, seed: int = 7) -> tuple[list[str], list[str]]:
    from bench.speech import SENTENCES

    rng = random.Random(seed)
    pool = " ".join(SENTENCES).replace(";", "").replace(":", "").replace(",", "").replace(".", "").split()
    vocabulary = sorted(set(w.lower() for w in pool))
    reference = [rng.choice(pool) for _ in range(n)]
    spoken = []
    for word in reference:
        roll = rng.random()
        if roll < 0.03:
            continue  # omitted
        spoken.append(rng.choice(vocabulary) if roll < 0.06 else word.lower())
        if roll > 0.98:
            spoken.append(rng.choice(vocabulary))  # inserted
    return reference, spoken[:n]


def alignment_figures() -> list[Figure]:
    import jiwer

    from shared.domain.scoring import score_recitation
    from shared.domain.transcript import SpokenWord, Transcript

    reference, spoken = word_pair()
    text = " ".join(reference)
    words = (SpokenWord(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(spoken))
    transcript = Transcript.of(words, "bench", "bench")
    hyp = " ".join(spoken)
    ours = timed(lambda: score_recitation(text, transcript), runs=7)
    jiwer_runs = timed(lambda: jiwer.process_words(text.lower(), hyp), runs=3)
    matcher = difflib.SequenceMatcher
    difflib_runs = timed(lambda: matcher(None, reference, spoken, autojunk=False).get_opcodes(), 1)
    score = Figure("alignment + scoring, 10,000 words", "s", ours, "difflib SequenceMatcher", difflib_runs,
                   "≤ 0.05 s", "× difflib time")
    score.met = score.median <= 0.05
    alignment_alone = alignment_only_figure(text, spoken, difflib_runs)
    versus_jiwer = Figure("alignment + scoring vs jiwer WER alone", "s", ours, "jiwer.process_words",
                          jiwer_runs, "", "× jiwer time")
    return [score, alignment_alone, versus_jiwer]


def alignment_only_figure(text: str, spoken: list[str], difflib_runs: list[float]) -> Figure:
    """The word alignment alone (what difflib does), on inputs normalised beforehand."""
    from shared.domain.alignment import align_words
    from shared.domain.miscues import judge
    from shared.domain.text import normalise_words, parse_reference
    from shared.domain.transcript import SpokenWord

    reference = parse_reference(text)
    tokens = normalise_words(spoken)
    forms, keys = [t.forms for t in tokens], [t.key for t in tokens]
    starts = frozenset(s.first_word for s in reference.sections)
    heard = [SpokenWord(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(spoken)]

    def align() -> None:
        links = align_words(reference.forms, forms, reference.keys, keys, starts)
        judge(links, keys, heard, reference.keys)

    figure = Figure("alignment alone (align + judge), 10,000 words", "s", timed(align, runs=7),
                    "difflib SequenceMatcher", difflib_runs, "≥ 50× faster than difflib", "× difflib time")
    figure.met = (figure.ratio or 1) <= 1 / 50
    return figure


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        figures = audio_figures(Path(tmp))
    return figures + alignment_figures()


__all__ = ["run", "statistics"]
