"""Build the cases of one set and score each through the real pipeline.

Each case is rendered once into the cache (audio after its condition plus
the truth as JSON) and reused by later runs; recognition and scoring always
run afresh. Work is spread over processes, each with one engine (the model
is loaded once per process, as in a worker).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.eval import corpus
from bench.eval.audio import apply_condition, render
from bench.eval.cases import CONDITIONS, KINDS, Case, Truth, build
from bench.eval.texts import HELD_OUT, MAIN

VOICES = {
    "main": ("slt", "rms", "awb", "kal16", "hts", "kal"),
    "held_out": ("rms:slow", "awb:fast", "kal16:slow", "slt:fast", "kal:slow", "hts"),
    "tune": ("slt", "rms", "awb", "kal16", "hts", "kal"),
    "final": ("awb:slow", "slt:slow", "kal:fast", "rms:fast", "hts", "kal16:fast"),
}
SPLITS = ("main", "held_out", "tune", "final")
# The tune and final splits: issue #23's shapes beside the standard kinds that
# guard them (uncorrected synonyms and function swaps, repeats, omissions).
SHAPE_SPLIT_KINDS = ("clean", "sc_none", "sc_short", "sc_pause", "insert_before", "paraphrase",
                     "function_swap", "repeat")  # fmt: skip
SEEDS = {"main": 1000, "held_out": 7000, "tune": 40000, "final": 90000}
_ENGINE: Any = None


def plan(
    split: str | bool, quick: bool, rounds: int = 1, conditions: tuple[str, ...] = CONDITIONS
) -> list[dict[str, Any]]:
    """Every case of the split as plain data (picklable for the workers).

    ``rounds`` > 1 adds more synthetic cases of every kind and condition, each
    round with its own seeds and the texts and voices rotated one step: a
    rate measured on 12 events (two self-corrections per case, six
    conditions) has a 95 % interval some 30 points wide. Round 0 is the
    standard set. ``split`` True/False is the old held-out flag. ``conditions``
    replaces the six learner conditions the cases rotate through
    (``--conditions faint``); the default keeps every case as it was.
    """
    name = ("held_out" if split else "main") if isinstance(split, bool) else split
    seed0 = SEEDS[name]
    items = [
        item for r in range(rounds) for item in _synth_plan(name, quick, seed0 + 10000 * r, r, conditions)
    ]
    if name in ("main", "held_out"):
        items += _corpus_plan(name, name == "held_out", quick, seed0, conditions)
    for item in items:
        item["name"] = (
            f"{item['kind']}-{item.get('text_name', item.get('file', ''))}-{item['condition']}-{item['seed']}"
        )
    return items


def _texts(name: str) -> dict[str, str]:
    if name == "final":
        from bench.eval.final_texts import FINAL

        return FINAL
    if name == "tune":
        return {k: v for k, v in {**MAIN, **HELD_OUT}.items() if not k.startswith("numbers")}
    return HELD_OUT if name == "held_out" else MAIN


def _synth_plan(
    name: str, quick: bool, seed0: int, shift: int, rotation: tuple[str, ...]
) -> list[dict[str, Any]]:
    texts = _texts(name)
    prose = [t for t in texts if not t.startswith("numbers")]
    if name in ("tune", "final"):
        kinds: tuple[str, ...] = SHAPE_SPLIT_KINDS
    else:
        kinds = (*KINDS, "numbers")
    step = 1 if name in ("tune", "final") else 2  # step 1: every kind in every voice
    items: list[dict[str, Any]] = []
    for k, kind in enumerate(kinds):
        conditions = [rotation[k % len(rotation)]] if quick else list(rotation)
        for c, condition in enumerate(conditions):
            text = (
                prose[(k + c + shift) % len(prose)]
                if kind != "numbers"
                else next(t for t in texts if t.startswith("numbers"))
            )
            items.append({"set": name, "type": "synth", "kind": kind, "text_name": text,
                          "text": texts[text], "voice": VOICES[name][(k + step * c + shift) % 6],
                          "condition": condition, "seed": seed0 + len(items),
                          "lexicon": name if name in ("tune", "final") else ""})  # fmt: skip
    return items


def _corpus_plan(
    name: str, held_out: bool, quick: bool, seed0: int, rotation: tuple[str, ...]
) -> list[dict[str, Any]]:
    rows = corpus.recordings(held_out)
    items: list[dict[str, Any]] = []
    long_rows = [row["file"] for row in rows if len(row["transcript"].split()) >= 6]
    for r, row in enumerate(rows):
        long_enough = row["file"] in long_rows
        kinds = ["read"] + (list(corpus.EDITS) if long_enough else [])
        if quick:  # one edit on each of the first three long recordings
            kinds = [corpus.EDITS[r % 3]] if row["file"] in long_rows[:3] else []
        for e, kind in enumerate(kinds):
            condition = "clean" if kind == "read" else rotation[(r + e) % len(rotation)]
            items.append({"set": name, "type": "corpus", "kind": f"real_{kind}", "file": row["file"],
                          "text": row["transcript"], "condition": condition,
                          "seed": seed0 + 500 + 10 * r + e})  # fmt: skip
    return items


def built_case(item: dict[str, Any]) -> Case:
    """The synthetic case a plan item describes, its tokens and truth built (not rendered)."""
    case = Case(item["name"], item["text"], item["kind"], item["voice"], item["condition"], item["seed"],
                lexicon=item.get("lexicon", ""))  # fmt: skip
    return build(case)


def materialise(item: dict[str, Any], cache: Path) -> tuple[Path, Truth]:
    """The case's recording and truth, from the cache or freshly rendered."""
    folder = cache / item["set"]
    meta = folder / f"{item['name']}.json"
    if meta.exists():
        saved = json.loads(meta.read_text())
        return folder / saved["audio"], Truth(**saved["truth"])
    if item["type"] == "synth":
        case = built_case(item)
        samples, truth = render(case), case.truth
    else:
        samples, truth = _corpus_case(item, cache)
    assert truth is not None
    path = apply_condition(samples, item["condition"], item["seed"], folder, item["name"])
    meta.write_text(json.dumps({"audio": path.name, "truth": asdict(truth)}))
    return path, truth


def _corpus_case(item: dict[str, Any], cache: Path) -> tuple[Any, Truth]:
    from shared.domain.text import parse_reference

    row = {"file": item["file"], "transcript": item["text"]}
    samples = corpus.load(row)
    keys = list(parse_reference(item["text"]).keys)
    if item["kind"] == "real_read":
        return samples, Truth(["correct"] * len(keys))
    bounds = corpus.word_bounds(row, samples, cache / "corpus_align.json")
    if bounds is None:
        return samples, Truth(["correct"] * len(keys))
    return corpus.edit(samples, bounds, keys, item["kind"].removeprefix("real_"), item["seed"])


def score_case(item: dict[str, Any], cache: Path) -> dict[str, Any]:
    """Recognise and score one case as `recital score` does (``shared.pipeline``),
    except that a recording the worker would refuse is scored too (``unusable``
    in the row names why), so every case counts in the figures."""
    from shared.pipeline import decode_recording, recognise, score

    global _ENGINE
    if _ENGINE is None:
        from shared.transcription.offline import OfflineTranscriber

        _ENGINE = _CpuTimed(OfflineTranscriber())
    path, truth = materialise(item, cache)
    audio = decode_recording(path)
    recognition = recognise(audio, item["text"], _ENGINE, keep_unusable=True)
    transcript = recognition.transcript
    result = score(item["text"], transcript, recognition.analysis)
    return {"item": item, "truth": asdict(truth), "result": result.to_dict(),
            "heard": [w._asdict() for w in transcript.words], "unusable": recognition.unusable,
            "audio_seconds": audio.duration,
            # What scoring reads besides the words, so a rule change can be re-scored
            # from the rows alone (``bench.eval.rescore``).
            "analysis": {"pauses": recognition.analysis.pauses, "silences": recognition.analysis.silences,
                         "duration": recognition.analysis.duration},
            "cpu_seconds": _ENGINE.last_cpu}  # fmt: skip


class _CpuTimed:
    """The engine, with the CPU seconds of its last transcription (the RTF figure)."""

    def __init__(self, engine: Any) -> None:
        self.engine, self.model, self.last_cpu = engine.engine, engine.model, 0.0
        self.recognition_version = engine.recognition_version
        self._inner = engine

    def transcribe(self, audio: Any, reference_text: str | None = None) -> Any:
        cpu = time.process_time()
        try:
            return self._inner.transcribe(audio, reference_text)
        finally:
            self.last_cpu = time.process_time() - cpu
