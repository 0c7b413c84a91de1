"""Which slip may stand for the piece word after it (a repair, not an inserted word)."""

from __future__ import annotations

import pytest

from shared.domain.relations import unrelated
from shared.domain.stand_ins import stands_for


def _related(a: str, b: str) -> bool:
    return {a, b} == {"large", "great"}


@pytest.mark.parametrize(
    ("slip", "word"),
    [
        ("a", "the"),  # a function word for one of its wider class
        ("upon", "on"),
        ("purchase", "perches"),  # spelled like it: a misreading of the same word
        ("large", "great"),  # a near synonym, as the relation says
    ],
)
def test_a_plausible_slip_stands_for_the_word(slip: str, word: str) -> None:
    assert stands_for(slip, word, _related)


@pytest.mark.parametrize(
    ("slip", "word"),
    [
        ("and", "when"),  # function words of other classes
        ("whether", "with"),  # a content word spelled like a short function word
        ("ten", "time"),  # content words too short for spelling to tell
        ("river", "garden"),  # unrelated: "the river garden" is an inserted word
        ("large", "great"),  # related only when the relation says so
    ],
)
def test_an_unrelated_extra_word_does_not(slip: str, word: str) -> None:
    related = unrelated if slip == "large" else _related
    assert not stands_for(slip, word, related)
