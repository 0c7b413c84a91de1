"""Real recordings from ../shared/corpus, read as they are and edited.

Edits are cut at word boundaries found by forced alignment (PocketSphinx's
aligner with the generic model, not the engine under test, so the cases do
not change when the engine does): a word cut out (omitted), a word said
twice (repetition) or a word's audio replaced by another word of the same
recording (substitution). The recordings are read in place, never copied.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import numpy as np

from bench.eval.cases import Truth
from shared.audio.decode import decode_file
from shared.audio.sniff import sniff_format
from shared.domain.text import parse_reference

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
EDITS = ("cut", "repeat", "swap")
# Split between the two sets so held-out recordings are never tuned on.
HELD_OUT = {"jfk_inaugural_16k.mp3", "librivox_sense_sensibility_0880.wav",
            "librivox_sense_sensibility_0930.wav", "cmu_arctic_female_a0009.wav",
            "ps_cards_005.wav", "ps_goforward.wav", "fsdd_3_nicolas_0.wav"}  # fmt: skip


def recordings(held_out: bool) -> list[dict[str, str]]:
    if not (CORPUS / "manifest.csv").exists():
        return []
    with open(CORPUS / "manifest.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        r for r in rows if (r["file"] in HELD_OUT) == held_out and (CORPUS / "audio" / r["file"]).exists()
    ]


def load(row: dict[str, str]) -> np.ndarray:
    path = CORPUS / "audio" / row["file"]
    with path.open("rb") as handle:
        fmt = sniff_format(handle.read(64))
    return decode_file(path, fmt).samples


def word_bounds(row: dict[str, str], samples: np.ndarray, cache: Path) -> list[tuple[int, int]] | None:
    """(start, end) sample of each transcript word, from forced alignment; cached."""
    store = json.loads(cache.read_text()) if cache.exists() else {}
    if row["file"] not in store:
        store[row["file"]] = _align(row["transcript"], samples)
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(store, indent=1))
    found = store[row["file"]]
    return [tuple(b) for b in found] if found else None  # type: ignore[misc]


def _align(text: str, samples: np.ndarray) -> list[list[int]] | None:
    from shared.transcription.offline.decoder import new_decoder, to_int16

    words = list(parse_reference(text).keys)
    decoder = new_decoder()
    pcm = to_int16(samples)
    try:
        decoder.set_align_text(" ".join(words))
        for _ in range(2):  # first pass: words; second: phone-level alignment
            decoder.start_utt()
            decoder.process_raw(pcm, full_utt=True)
            decoder.end_utt()
            if _ == 0:
                decoder.set_alignment()
        spans = [(w.start, w.duration) for w in decoder.get_alignment() if not w.name.startswith(("<", "["))]
    except (RuntimeError, TypeError):
        return None
    if len(spans) != len(words):
        return None
    return [[s * 160, (s + d) * 160] for s, d in spans]


def edit(
    samples: np.ndarray, bounds: list[tuple[int, int]], keys: list[str], kind: str, seed: int
) -> tuple[np.ndarray, Truth]:
    """The edited recording and the truth the edit implies."""
    rng = random.Random(seed)
    truth = Truth(["correct"] * len(bounds))
    usable = [i for i in range(1, len(bounds) - 1) if bounds[i][1] - bounds[i][0] >= 0.15 * 16000]
    if not usable:
        return samples, truth
    k = rng.choice(usable)
    start, end = bounds[k]
    if kind == "cut":
        truth.statuses[k] = "omitted"
        return np.concatenate([samples[:start], samples[end:]]), truth
    if kind == "repeat":
        truth.extras.append((k, "repeated"))
        return np.concatenate([samples[:end], samples[start:end], samples[end:]]), truth
    others = [j for j in usable if keys[j] != keys[k]] or [0]
    j = rng.choice(others)
    truth.statuses[k] = "substituted"
    return np.concatenate([samples[:start], samples[bounds[j][0] : bounds[j][1]], samples[end:]]), truth
