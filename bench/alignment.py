"""Alignment and scoring of 10,000 words against difflib and jiwer, in one
process (``python -m bench.alignment`` prints one JSON line of seconds per
run); ``bench.speed`` pools several of these processes."""

from __future__ import annotations

import difflib
import json
import random

from bench.speed import timed

ROUNDS = 2


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


def measure() -> dict[str, list[float]]:
    import jiwer

    from shared.domain.scoring import score_recitation
    from shared.domain.transcript import SpokenWord, Transcript

    reference, spoken = word_pair()
    text = " ".join(reference)
    words = (SpokenWord(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(spoken))
    transcript = Transcript.of(words, "bench", "bench")
    hyp = " ".join(spoken)
    # The baselines compare the words as scoring compares them: lower case
    # on both sides (the spoken words already are). Raw-case reference
    # words would make every capitalised word a mismatch for difflib, a
    # different and easier alignment than the one scoring does.
    compared = [word.lower() for word in reference]
    # autojunk=False: by default difflib ignores every word making up more
    # than 1 % of a long sequence ("the", "and"), which takes 3 ms here but
    # leaves most of the words unpaired.
    figures: dict[str, list[float]] = {"ours": [], "alone": [], "jiwer": [], "difflib": []}
    # Rounds interleave ours and the baselines, so a swing in this machine's
    # speed during the process reaches both sides of the ratio.
    for _ in range(ROUNDS):
        figures["ours"] += timed(lambda: score_recitation(text, transcript), runs=3)
        figures["alone"] += alignment_alone(text, spoken)
        figures["jiwer"] += timed(lambda: jiwer.process_words(" ".join(compared), hyp), runs=1)
        figures["difflib"] += timed(
            lambda: difflib.SequenceMatcher(None, compared, spoken, autojunk=False).get_opcodes(), 1
        )
    return figures


def alignment_alone(text: str, spoken: list[str]) -> list[float]:
    """The word alignment alone (what difflib does), on inputs normalised beforehand."""
    from shared.domain.alignment import align_words
    from shared.domain.miscues import judge
    from shared.domain.text import parse_reference
    from shared.domain.tokens import normalise_words
    from shared.domain.transcript import SpokenWord

    reference = parse_reference(text)
    tokens = normalise_words(spoken)
    forms, keys = [t.forms for t in tokens], [t.key for t in tokens]
    starts = frozenset(s.first_word for s in reference.sections)
    heard = [SpokenWord(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(spoken)]

    def align() -> None:
        links = align_words(reference.forms, forms, reference.keys, keys, starts)
        judge(links, keys, heard, reference.keys)

    return timed(align, runs=3)


if __name__ == "__main__":
    from shared.domain import scoring

    # Which build ran: python -m puts the working folder first on sys.path, so
    # PYTHONPATH alone does not decide it; the caller checks.
    print(json.dumps({**measure(), "scoring_module": scoring.__file__}))
