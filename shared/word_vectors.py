"""Near synonyms WordNet does not link, from word vectors: "gale" for "storm".

A learner's slip for a word is often a looser near synonym than WordNet
records ("gale" then "storm", "freedoms" then "rights": neither pair shares
or links a sense). GloVe's vectors (``scripts/vendor-word-vectors.py``:
50,000 words, vendored from npm with their licence) place such words close.
Two words are related when each is among the other's ``NEIGHBOURS`` nearest
by cosine: closeness both ways, since a common word is near a great many
others one way only ("market" near "though"). Words used in the same
places are near too ("winter", "summer"; "silver", "gold"), which is a slip
a reciter makes as well. Words of fewer than ``MIN_LETTERS`` letters are never
related so (the spelling and sound relations share that floor). Measured in
docs/scoring.md ("Near synonyms WordNet does not link").

Loaded on the first question (0.06 s; most recitations never ask) and
answers are cached, as ``shared.wordnet`` does.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

DATA = Path(__file__).parent / "data" / "word_vectors" / "vectors.npz"
# Each word among the other's 50 nearest: with WordNet and sound, 43 of the tune
# split's 56 synonyms; 100 or 150 gained no repair and took more unrelated pairs.
NEIGHBOURS = 50
MIN_LETTERS = 4


class WordVectors:
    """A ``shared.domain.relations.WordRelations`` answered from word vectors."""

    def __init__(self, path: Path = DATA, neighbours: int = NEIGHBOURS) -> None:
        self._path = path
        self._neighbours = neighbours
        self._lock = threading.Lock()
        self._table: tuple[dict[str, int], np.ndarray, list[str]] | None = None
        self.nearest = lru_cache(maxsize=8192)(self._nearest)

    def __call__(self, slip: str, word: str) -> bool:
        if min(len(slip), len(word)) < MIN_LETTERS or slip == word:
            return False
        return word in self.nearest(slip) and slip in self.nearest(word)

    def _nearest(self, word: str) -> frozenset[str]:
        """The ``neighbours`` words nearest ``word`` (empty when it has no vector)."""
        index, vectors, words = self._loaded()
        row = index.get(word)
        if row is None:
            return frozenset()
        similarity = vectors @ vectors[row]
        similarity[row] = -np.inf
        nearest = np.argpartition(-similarity, self._neighbours)[: self._neighbours]
        return frozenset(words[k] for k in nearest.tolist())

    def _loaded(self) -> tuple[dict[str, int], np.ndarray, list[str]]:
        with self._lock:
            if self._table is None:
                with np.load(self._path) as data:
                    words = [str(w) for w in data["words"]]
                    vectors = data["vectors"].astype(np.float32) / 127.0
                self._table = ({w: k for k, w in enumerate(words)}, vectors, words)
            return self._table


NEIGHBOURS_BOTH_WAYS = WordVectors()  # one per process: loaded once, on first use
