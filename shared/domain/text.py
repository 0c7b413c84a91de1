"""Reference text: the piece's words as written, their sections and phrase ends.

Each word's comparable forms come from ``shared.domain.tokens``, the same
normalisation an engine's spoken words go through.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from shared.domain.neighbours import candidates, settled_readings
from shared.domain.numbers import Forms
from shared.domain.sentences import section_chunks
from shared.domain.tokens import Token, compact, normalise_token, token_table
from shared.domain.unspoken import unspoken_parts, without_unspoken

# A word written with one of these after it ends a phrase: a pause there is natural.
_PHRASE_END = re.compile(r"[,;:.!?\u2026][\"')\]\u201d\u2019]*$")
_PHRASE_LAST = frozenset(",;:.!?\u2026\"')]\u201d\u2019")  # most words end in a letter: skip the regex


class RefWord(NamedTuple):
    """One word of the piece: as written (display), its section, its forms."""

    display: str
    section: int
    forms: Forms
    key: str  # primary reading run together: what the global alignment compares


@dataclass(frozen=True, slots=True)
class Section:
    """A sentence or a line of the piece, with its word range (inclusive)."""

    index: int
    text: str
    first_word: int
    last_word: int


@dataclass(frozen=True, slots=True)
class ReferenceText:
    """The parsed piece, stored by column: scoring reads whole columns at a time."""

    displays: tuple[str, ...]
    forms: tuple[Forms, ...]
    keys: tuple[str, ...]
    section_of: tuple[int, ...]  # section index of each word
    sections: tuple[Section, ...]
    phrase_ends: frozenset[int] = frozenset()  # words followed by punctuation or a section end
    # Words of what the text holds but nobody need recite ("1." of a list, "[Chorus]"), not
    # words of the piece: said anyway, they are set apart as fillers are, not "added".
    cue_keys: frozenset[str] = frozenset()

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def words(self) -> tuple[RefWord, ...]:
        """The same words as rows (convenient, slower)."""
        return tuple(map(RefWord, self.displays, self.section_of, self.forms, self.keys))


class NoWordsToRecite(ValueError):
    """The text has nothing the scorer reads as a word: punctuation, emoji, or a script
    other than the Latin alphabet (English is what Recital scores)."""


def has_words_to_recite(text: str) -> bool:
    """Whether ``parse_reference`` finds a word in it: what a piece must have ("[Chorus]"
    alone has none)."""
    return any(normalise_token(token) for token in without_unspoken(text).split())


def word_count(text: str) -> int:
    """Words to recite, as the scorer reads the text and marks its words: a dash or a
    lone comma is not one, "stop—it's" is two, a word in another script none (QA:
    the count said 4 where the result marked 5)."""
    try:
        return len(parse_reference(text))
    except NoWordsToRecite:
        return 0


def line_word_counts(text: str) -> list[int]:
    """Words to recite on each line of ``text``, as ``parse_reference`` counts them: what
    nobody recites is taken out of the whole text first (a script's speakers' names are
    known only from several lines), and every line break stays."""
    return [word_count(line) for line in without_unspoken(text).splitlines()]


def parse_reference(text: str) -> ReferenceText:
    """Split a piece into words and sections (sentences, and lines of verse).

    A section ends at a line break and after a sentence-final mark. Tokens
    with nothing to say (a lone dash) stay in the section text but are not
    words; verse numbers pasted with scripture are in neither.
    """
    if not text or not text.strip():
        raise NoWordsToRecite("reference text is empty: there is nothing to score against")
    kept, taken = unspoken_parts(text)
    chunked = list(section_chunks(kept))
    table = token_table(itertools.chain.from_iterable(chunks for _, chunks in chunked))
    silent = {raw for raw, token in table.items() if not token.forms}
    settled = candidates(table)
    tokens: list[Token] = []
    section_of: list[int] = []
    sections: list[Section] = []
    phrase_ends: list[int] = []
    for section_text, chunks in chunked:
        if silent and not silent.isdisjoint(chunks):
            chunks = [chunk for chunk in chunks if chunk not in silent]
        if chunks:
            first = len(tokens)
            tokens.extend(map(table.__getitem__, chunks))
            for i, readings in settled_readings(chunks, settled):  # "Henry VIII", "December 25"
                tokens[first + i] = Token(readings, compact(readings[0]), tokens[first + i].display)
            section_of.extend([len(sections)] * len(chunks))
            sections.append(Section(len(sections), section_text, first, len(tokens) - 1))
            marked = (i for i, chunk in enumerate(chunks) if chunk[-1] in _PHRASE_LAST)
            phrase_ends.extend(first + i for i in marked if _PHRASE_END.search(chunks[i]))
            phrase_ends.append(len(tokens) - 1)
    if not tokens:
        raise NoWordsToRecite("reference text has no words to recite (only punctuation or other scripts)")
    forms, keys, displays = zip(*tokens, strict=True)
    cues = _cue_keys(taken) - _words_of(forms) if taken else frozenset()
    return ReferenceText(
        displays, forms, keys, tuple(section_of), tuple(sections), frozenset(phrase_ends), frozenset(cues)
    )


def _words_of(forms: Iterable[Forms]) -> set[str]:
    """Every word any reading of the piece has, and each reading run together: a cue
    such as "three" is no cue in a piece that says "sixteen oh three" (1603)."""
    words: set[str] = set()
    for readings in set(forms):
        for reading in readings:
            words.add(compact(reading))
            words.update(reading)
    return words


def _cue_keys(taken: list[str]) -> set[str]:
    """Every way a learner might say the cues: each reading whole ("twentyone") and its words."""
    return _words_of(token.forms for token in token_table(c for cue in taken for c in cue.split()).values())
