"""Verse numbers pasted with a text, which nobody recites.

Scripture copied from a Bible site, or a numbered poem, comes with its verse
numbers inline: "1 The Lord is my shepherd; I shall not want. 2 He maketh
me to lie down…". Read as words, every one of them was a word the learner
"skipped". A number is taken for a verse number only when it stands at the
start of a line or after punctuation, a word follows it, and it belongs to
a run of at least three such numbers counting up by one (1, 2, 3 or 14, 15,
16): "3 men" in a sentence is none, and a numbered list of two is left as
written.
"""

from __future__ import annotations

import re

_DIGIT = re.compile(r"\d")
# A number of one to three digits at a line's start or after a punctuation
# mark and a space, followed by a space and a word (maybe after an opening quote).
_CANDIDATE = re.compile(
    r"(?:^[ \t]*|(?<=[.;:,!?)\]\"'\u201d\u2019][ \t]))(\d{1,3})(?=[ \t]+[\"'\u201c\u2018(]?[^\W\d_])",
    re.MULTILINE,
)
MIN_RUN = 3


def without_verse_numbers(text: str) -> str:
    """``text`` with its verse numbers taken out; as it was when it has none."""
    if not _DIGIT.search(text):  # most texts: one pass in C
        return text
    spans = _verse_number_spans(text)
    if not spans:
        return text
    kept, cursor = [], 0
    for start, end in spans:
        kept.append(text[cursor:start])
        cursor = end + 1 if text[end : end + 1] in (" ", "\t") else end  # and one space after it
    kept.append(text[cursor:])
    return "".join(kept)


def _verse_number_spans(text: str) -> list[tuple[int, int]]:
    """Where the verse numbers are: candidates in runs counting up by one."""
    runs: dict[int, list[tuple[int, int]]] = {}  # the value a run expects next -> its spans
    finished: list[list[tuple[int, int]]] = []
    for found in _CANDIDATE.finditer(text):
        value = int(found.group(1))
        run = runs.pop(value, None)
        if run is None:
            run = []
            finished.append(run)
        run.append(found.span(1))
        runs[value + 1] = run
    return sorted(span for run in finished if len(run) >= MIN_RUN for span in run)
