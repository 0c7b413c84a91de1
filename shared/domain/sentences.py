"""Where a piece's sections begin and end: lines, and sentences within them.

A section ends at a line break and after a sentence-final mark ("." "!" "?"
"…", possibly followed by closing quotes or brackets), except after common
abbreviations ("Mr.", "St.") and single initials ("A."). Chunks are the
whitespace-separated tokens of a section; long dashes and "--" separate
chunks too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from shared.domain.lexicon import EDGE_PUNCTUATION

_CHUNK = re.compile(r"[^\s\u2013\u2014\u2015]+")
_LONG_DASHES = ("\u2013", "\u2014", "\u2015")
_SENTENCE_END = re.compile(r"[.!?…]['\")\]\u201d\u2019]*$")
_CLOSERS = frozenset(".!?…'\")]\u201d\u2019")
_CLOSING_MARK = re.compile(r"[.!?…'\")\]\u201d\u2019](?!\S)")  # ends a chunk that may end a sentence
_NOT_SENTENCE_END = frozenset("mr mrs ms dr st mt jr sr vs capt lt col gen gov prof rev".split())


def section_chunks(text: str) -> Iterable[tuple[str, list[str]]]:
    """Yield each section's text as written and its chunks."""
    for line in text.splitlines():
        if any(dash in line for dash in _LONG_DASHES):  # faster than a regex search
            yield from _dashed_line_chunks(line)
            continue
        cursor = 0
        for mark in _CLOSING_MARK.finditer(line):  # few words end in a closer: look only at those
            end = mark.end()
            if _ends_sentence(line[_chunk_start(line, end) : end], line[end : end + 2].lstrip()[:1]):
                yield from _plain_chunks(line[cursor:end])
                cursor = end
        yield from _plain_chunks(line[cursor:])


def _chunk_start(line: str, end: int) -> int:
    """Where the whitespace-separated chunk ending at ``end`` starts."""
    start = end
    while start and not line[start - 1].isspace():
        start -= 1
    return start


def _plain_chunks(stretch: str) -> Iterable[tuple[str, list[str]]]:
    """A stretch of a line without long dashes that holds at most one section."""
    chunks = stretch.split()
    if not chunks:
        return
    if "--" in stretch:
        chunks = [piece for chunk in chunks for piece in chunk.split("--") if piece]
    yield stretch.strip(), chunks


def _dashed_line_chunks(line: str) -> Iterable[tuple[str, list[str]]]:
    """A line with long dashes, which also separate chunks: found one at a time."""
    cursor, start, chunks = 0, 0, list[str]()
    for raw in _CHUNK.findall(line):
        at = line.find(raw, cursor)  # raws hold no spaces or dashes: finds itself
        if not chunks:
            start = at
        cursor = at + len(raw)
        chunks.extend(c for c in raw.split("--") if c)
        if raw[-1] in _CLOSERS and _ends_sentence(raw, line[cursor : cursor + 2].lstrip()[:1]):
            yield line[start:cursor], chunks
            chunks = []
    if chunks:
        yield line[start:cursor], chunks


def _ends_sentence(chunk: str, next_char: str) -> bool:
    """``next_char``: the first character of the next chunk, "" at the line's end."""
    if not _SENTENCE_END.search(chunk):
        return False
    core = chunk.strip(EDGE_PUNCTUATION).lower()
    if core == "no" and next_char.isdigit():  # "No. 10 Downing Street"
        return False
    return core not in _NOT_SENTENCE_END and not (len(core) == 1 and core.isalpha())
