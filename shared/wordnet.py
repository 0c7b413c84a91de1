"""Word relations from WordNet 3.0: is a slip a synonym or near synonym of the next word?

Debian's ``wordnet-base`` and ``wordnet-sense-index``, laid out as an
NLTK_DATA corpus (``scripts/wordnet-nltk-layout.sh``: /usr/share/nltk_data),
read by nltk's ``WordNetCorpusReader``. Nothing is downloaded; a missing
corpus is a clear error. The reader is loaded on the first question (some
seconds: most recitations never ask, since scoring asks only about an extra
word said right before a content word) and answers are cached.

Two words are related when, after WordNet's own lemmatising (morphy), some
sense of one is a sense of the other (a synonym: "weary", "tired"), or a
sense directly linked to it (hypernym, hyponym, similar adjective, see-also,
verb group, derivation or pertainym: "go", "walk"), or, for nouns, shares
a direct hypernym with it (a sibling: "days", "times"; "months", "years"). Measured
on the evaluation's lists in docs/scoring.md ("Which word relations").
"""

from __future__ import annotations

import threading
import warnings
from functools import lru_cache
from typing import Any

CORPUS = "corpora/wordnet"
_POS = ("n", "v", "a", "r")


class WordNetMissing(RuntimeError):
    """WordNet is not installed where nltk looks for it."""


class WordNetRelations:
    """A ``shared.domain.relations.WordRelations`` answered from WordNet."""

    def __init__(self) -> None:
        self._reader: Any = None
        self._lock = threading.Lock()
        self._related = lru_cache(maxsize=65536)(self._compute)
        self._senses = lru_cache(maxsize=65536)(self._senses_of)
        self.relatives = lru_cache(maxsize=4096)(self._relatives_of)

    def __call__(self, slip: str, word: str) -> bool:
        return bool(self._related(*sorted((slip, word))))

    def reader(self) -> Any:
        with self._lock:
            if self._reader is None:
                self._reader = _open()
        return self._reader

    def _compute(self, first: str, second: str) -> bool:
        a, b = self._senses(first), self._senses(second)
        if not a or not b:
            return False
        if a & b:
            return True
        near_a = frozenset().union(*(_neighbours(s) for s in a))
        if near_a & b:
            return True
        # Siblings only among nouns: verbs' hypernyms are so general ("change",
        # "act") that unrelated verbs share them ("garden" and "shepherd").
        hyper_a = frozenset(h for s in a if s.pos() == "n" for h in s.hypernyms())
        return bool(hyper_a & frozenset(h for s in b if s.pos() == "n" for h in s.hypernyms()))

    def _relatives_of(self, word: str) -> tuple[frozenset[str], ...]:
        """Single words related to ``word`` as ``__call__`` relates them (their
        lemma forms: "hill" for "hills"), nearest first: synonyms, then words
        of a directly linked sense, then noun siblings. For an engine asking
        which words a slip for ``word`` might have been."""
        senses = self._senses(word)
        linked = set().union(*(_neighbours(s) for s in senses)) - senses
        hypernyms = {h for s in senses if s.pos() == "n" for h in s.hypernyms()}
        siblings = {sibling for h in hypernyms for sibling in h.hyponyms()} - linked - senses
        tiers: list[frozenset[str]] = []
        seen = {word}
        for group in (senses, linked, siblings):
            names = {name.lower() for sense in group for name in sense.lemma_names()}
            tiers.append(frozenset(n for n in names if n.isalpha() and n not in seen))
            seen.update(tiers[-1])
        return tuple(tiers)

    def _senses_of(self, word: str) -> frozenset[Any]:
        wordnet = self.reader()
        senses: set[Any] = set()
        for pos in _POS:
            for lemma in {word, *wordnet._morphy(word, pos)}:
                senses.update(wordnet.synsets(lemma, pos))
        return frozenset(senses)


def _neighbours(sense: Any) -> set[Any]:
    near = {*sense.hypernyms(), *sense.hyponyms(), *sense.similar_tos(), *sense.also_sees()}
    near.update(sense.verb_groups())
    for lemma in sense.lemmas():
        near.update(other.synset() for other in lemma.derivationally_related_forms())
        near.update(other.synset() for other in lemma.pertainyms())
    return near


def require_installed() -> None:
    """WordNetMissing now, not at the first recitation that asks (whose attempt would
    fail): for whatever scores, at start. Finds the corpus without loading it."""
    _corpus_root()


def _corpus_root() -> Any:
    try:
        import nltk
    except ImportError as error:  # the web role has no nltk; only scoring asks
        raise WordNetMissing("nltk is not installed (requirements/worker.txt)") from error
    try:
        return nltk.data.find(CORPUS)
    except LookupError as error:
        raise WordNetMissing(
            "WordNet 3.0, which scoring needs, is not installed as an NLTK corpus (corpora/wordnet "
            "under NLTK_DATA or /usr/share/nltk_data): run bash scripts/install-system-deps.sh runtime "
            "(Debian's wordnet-base and wordnet-sense-index, laid out by scripts/wordnet-nltk-layout.sh)"
        ) from error


def _open() -> Any:
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    root = _corpus_root()
    with warnings.catch_warnings():  # "multilingual functions are not available": not used
        warnings.simplefilter("ignore", UserWarning)
        return WordNetCorpusReader(root, None)


RELATIONS = WordNetRelations()  # one per process: the reader is loaded once, on first use
