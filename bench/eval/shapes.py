"""The shapes of issue #23, for the ``tune`` and ``final`` splits.

Self-corrections as people make them: a wrong word that could stand for the
right one (a synonym, a word that sounds or starts like it, a function word
for a function word), then the right word, with no pause, a short break
(0.05–0.25 s) or a pause (0.35–0.6 s). Beside them, words inserted right
before a word they could not stand for ("the river garden"): those must stay
``inserted``, so that neither rule buys its figure from the other. Each
split draws its slips from its own ``Lexicon``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from bench.eval.cases import Token, Truth
from bench.eval.lexicon import RELATIONS, Lexicon

TIMINGS = {"none": (0.0, 0.0), "short": (0.05, 0.25), "pause": (0.35, 0.6)}
# The kinds the tune and final splits add to the standard ones.
SHAPE_KINDS = ("sc_none", "sc_short", "sc_pause", "insert_before", "paraphrase", "function_swap")
Edit = Callable[[list[Token], Truth, random.Random], list[Token]]


def _core(token: Token) -> str:
    return re.sub(r"[^a-z]", "", token.text.lower())


def self_correct(timing: str, lexicon: Lexicon) -> Edit:
    low, high = TIMINGS[timing]

    def edit(tokens: list[Token], truth: Truth, rng: random.Random) -> list[Token]:
        out = list(tokens)
        order = list(RELATIONS)
        rng.shuffle(order)
        chosen: list[tuple[int, str, str]] = []
        # Three repairs a case, one of each relation where the text allows it.
        candidates = list(range(2, len(tokens) - 1))
        for relation in order * 2:
            rng.shuffle(candidates)
            for i in candidates:
                if any(abs(i - j) < 4 for j, _, _ in chosen):
                    continue
                if ":" in tokens[i - 1].text or tokens[i - 1].text.rstrip()[-1] in ".;!?":
                    continue  # a slip at a sentence start would sit after a reading pause
                slip = lexicon.slip(relation, _core(tokens[i]), rng)
                if slip and slip != _core(tokens[i]):
                    chosen.append((i, relation, slip))
                    break
            if len(chosen) == 3:
                break
        for i, relation, slip in sorted(chosen, reverse=True):
            pause = round(rng.uniform(low, high), 3) if high else 0.0
            out.insert(i, Token(slip, None, pause=pause))
            truth.statuses[i] = "self_corrected"
            truth.repairs.append((i, timing, relation))
        return out

    return edit


def insert_before(lexicon: Lexicon) -> Edit:
    """An unrelated word said right before a content word, no pause ("the river garden")."""

    def edit(tokens: list[Token], truth: Truth, rng: random.Random) -> list[Token]:
        out = list(tokens)
        spots = [i for i in range(2, len(tokens) - 1) if len(_core(tokens[i])) > 3]
        rng.shuffle(spots)
        chosen: list[int] = []
        for i in spots:
            if all(abs(i - j) >= 4 for j in chosen):
                chosen.append(i)
            if len(chosen) == 3:
                break
        for i in sorted(chosen, reverse=True):
            word = _core(tokens[i])
            options = [w for w in lexicon.unrelated if w[:2] != word[:2] and w != word]
            out.insert(i, Token(rng.choice(options), None))
            truth.extras.append((i - 1, "inserted"))
        return out

    return edit


def shape_edit(kind: str, lexicon: Lexicon) -> Edit:
    """The edit of one of the split's kinds that draws on its lexicon."""
    if kind == "insert_before":
        return insert_before(lexicon)
    if kind in ("paraphrase", "function_swap"):
        return substitute(lexicon, "synonym" if kind == "paraphrase" else "function")
    return self_correct(kind.removeprefix("sc_"), lexicon)


def substitute(lexicon: Lexicon, relation: str) -> Edit:
    """Up to three words replaced by a slip of ``relation``, not corrected."""

    def edit(tokens: list[Token], truth: Truth, rng: random.Random) -> list[Token]:
        out = list(tokens)
        spots = list(range(2, len(tokens) - 2))
        rng.shuffle(spots)
        chosen: list[int] = []
        for i in spots:
            if all(abs(i - j) >= 4 for j in chosen):
                slip = lexicon.slip(relation, _core(tokens[i]), rng)
                if slip and slip != _core(tokens[i]):
                    chosen.append(i)
                    core = tokens[i].text.strip(".,;:!?\"'")
                    out[i] = Token(tokens[i].text.replace(core, slip), None, tokens[i].pause)
                    truth.statuses[i] = "substituted"
            if len(chosen) == 3:
                break
        return out

    return edit
