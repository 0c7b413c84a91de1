"""Swap paths keep each history's probability and the piece's context."""

from __future__ import annotations

import pytest

from shared.transcription.offline.confusions import ALTERNATIVES, add_swap_paths


def test_share_moves_from_the_expected_word_to_its_class() -> None:
    tables = [
        {("the",): 0.5, ("lord",): 0.5},
        {("<s>", "the"): 0.9, ("the", "lord"): 0.9},
        {("<s>", "the", "lord"): 0.9},
    ]
    add_swap_paths(tables, 0.2)
    bigrams, trigrams = tables[1], tables[2]
    assert bigrams[("<s>", "the")] == pytest.approx(0.72)
    assert bigrams[("<s>", "a")] == pytest.approx(0.18)
    assert sum(p for g, p in bigrams.items() if g[0] == "<s>") == pytest.approx(0.9)
    assert bigrams[("the", "lord")] == 0.9  # content words untouched
    assert trigrams[("<s>", "a", "lord")] == 0.9  # "a lord" continues like "the lord"


def test_classes_are_symmetric() -> None:
    for word, others in ALTERNATIVES.items():
        for other in others:
            assert word in ALTERNATIVES[other]
