"""Could one word stand for another? The question the repair rule asks of a word-relation source.

The domain decides what counts as a repair; an adapter outside it answers
whether two content words are related in meaning (``shared.wordnet`` reads
WordNet). Without a source, no two words are related and only sound,
spelling and function words make a slip plausible.
"""

from __future__ import annotations

from typing import Protocol


class WordRelations(Protocol):
    def __call__(self, slip: str, word: str) -> bool:
        """True when ``slip`` is a synonym or near synonym of ``word`` (both plain
        lower-case keys, content words)."""
        ...


def unrelated(slip: str, word: str) -> bool:
    """No relation source: no two words are related in meaning."""
    return False
