"""Words for the templates: the practice text split for its three modes, and a
result's words with their status label and non-colour cue; and a text typed
into a form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import request

from shared.domain.text import NoWordsToRecite, line_word_counts, parse_reference
from shared.domain.unspoken import unspoken_parts


def typed_text(value: str | None) -> str | None:
    """A textarea's text as the learner typed it. Browsers send each line break as
    CRLF; the text is stored with LF and its length limit counts it so (QA: 2,000
    lines the API took as 198,989 characters were 200,998 from the form, refused)."""
    return None if value is None else value.replace("\r\n", "\n")


MODES = ("full", "letters", "hidden")  # how the practice page shows the text


def shown_mode() -> str:
    """The mode a practice page was asked to show (``?mode=``): "Practise again" keeps the
    one the learner recited in, so the text they are recalling is not shown in full first
    (QA: every retry opened with the whole text on screen)."""
    mode = request.args.get("mode", "")
    return mode if mode in MODES else "full"


_DASHES = re.compile("([\u2013-\u2015]+|-{2,})")  # en and em dashes, the bar, "--": as the scorer splits

LABELS = {
    "correct": "correct",
    "substituted": "said something else",
    "omitted": "missed",
    "inserted": "added",
    "repeated": "repeated",
    "self_corrected": "corrected yourself",
}


@dataclass(frozen=True)
class PracticeWord:
    """One token of the text, in parts: each word in it (the scorer reads
    "stop—it's" as two) shows its ``first`` letter in "first letters" mode."""

    parts: tuple[tuple[str, str], ...]  # (first, rest)
    marked: bool = False  # in the section the page was opened at (``?section=``)


@dataclass(frozen=True)
class MarkedWord:
    text: str
    status: str
    label: str
    said: str | None
    start: float | None
    end: float | None
    prompted: bool
    hesitation: float | None  # seconds of pause just before this word
    index: int | None = None  # in the piece's words; None for a word added


_TOKEN = re.compile(r"\S+")


def practice_words(text: str, marked: tuple[int, int] | None = None) -> list[list[PracticeWord]]:
    """Lines of words; the first letter is kept apart so CSS can hide the rest. Words
    within the text's characters ``marked`` (start, end) are marked."""
    start, end = marked or (0, 0)
    lines, offset = [], 0
    # A line with nothing to recite ("Refrain:", "II.", "by Robert Frost") is shown whole
    # in every mode: a heading, not words to recall (QA: first letters showed "R", "b R F").
    counts = line_word_counts(text)
    # So is a cue inside a line, a speaker's name or a verse number ("HAMLET:", "16"):
    # shown as "H" it looked like a word of the speech.
    cues = {raw for cue in unspoken_parts(text)[1] for raw in cue.split()}
    for n, line in enumerate(text.splitlines(keepends=True)):
        split = _split_first if n >= len(counts) or counts[n] else _whole
        words = []
        for token in _TOKEN.finditer(line):
            inside = offset + token.start() < end and offset + token.end() > start
            parts = _joined(token[0])
            words.append(PracticeWord(tuple(map(_whole if token[0] in cues else split, parts)), inside))
        lines.append(words)
        offset += len(line)
    return lines


def section_span(text: str, index: int) -> tuple[int, int] | None:
    """Where the scorer's section ``index`` (a progress page's "what to practise next")
    is in the text as pasted: (start, end) characters; None when there is no such
    section, or its words are not found as written. Sections are found in order, each
    after the one before, so a refrain said twice is found where it is said."""
    try:
        sections = parse_reference(text).sections
    except NoWordsToRecite:
        return None
    if not 0 <= index < len(sections):
        return None
    cursor, span = 0, None
    for section in sections[: index + 1]:
        span = _words_found(text, section.text, cursor)
        if span:
            cursor = span[1]
    return span


def _words_found(text: str, section: str, cursor: int) -> tuple[int, int] | None:
    """Where ``section``'s words are in ``text`` after ``cursor``, each after the one before:
    what nobody recites may have been cut from between them ("the world,a that", "lord,
    (She curtsies) how": QA, such a section was not found and the page marked nothing).
    None when one is missing; the next section is then looked for after ``cursor``."""
    start = end = -1
    for word in section.split():
        at = text.find(word, max(cursor, end))
        if at < 0:
            return None
        start, end = start if start >= 0 else at, at + len(word)
    return (start, end) if start >= 0 else None


def _joined(token: str) -> list[str]:
    """The words a dash joins, each after its dash: "stop—it's" is "stop", "—it's"."""
    pieces = _DASHES.split(token)
    joined = [pieces[0]] + [dash + word for dash, word in zip(pieces[1::2], pieces[2::2], strict=True)]
    return [word for word in joined if word]


def _whole(word: str) -> tuple[str, str]:
    return word, ""


def _split_first(word: str) -> tuple[str, str]:
    for i, ch in enumerate(word):
        if ch.isalnum():
            return word[: i + 1], word[i + 1 :]
    return word, ""


def marked_words(result: dict[str, Any] | None) -> list[MarkedWord]:
    if not result:
        return []
    pauses = {
        h["before_word"]: h["duration"]
        for h in result.get("hesitations", [])
        if h.get("before_word") is not None
    }
    marked = []
    for w in result["words"]:
        status = w["status"]
        text = w["expected"] if w.get("expected") is not None else (w.get("spoken") or "")
        said = w.get("spoken") if status == "substituted" else None
        hesitation = pauses.get(w["index"]) if w.get("index") is not None and status != "inserted" else None
        marked.append(
            MarkedWord(
                text,
                status,
                LABELS[status],
                said,
                w.get("start"),
                w.get("end"),
                bool(w.get("prompted")),
                hesitation,
                w.get("index"),
            )
        )
    return marked


def marked_lines(words: list[MarkedWord], text: str | None) -> list[list[MarkedWord]]:
    """The result's words in the piece's lines, as the practice page shows them: an
    empty line for each run of lines without words (a stanza break). An added word goes on the
    line of the piece's word after it, as the coaching note ("You added … before …")
    and the progress page's sections place it. Without the text, or when its words are
    not the ones scored, one line (QA: a poem's result ran its lines and stanzas together)."""
    counts = line_word_counts(text) if text else []
    scored = max((w.index for w in words if w.index is not None), default=-1) + 1
    if sum(counts) != scored or not scored:
        return [words] if words else []
    line_of = [n for n, count in enumerate(counts) for _ in range(count)]
    lines: list[list[MarkedWord]] = [[] for _ in counts]
    added: list[MarkedWord] = []
    for word in words:
        if word.index is None:
            added.append(word)
            continue
        lines[line_of[word.index]].extend([*added, word])
        added = []
    lines[line_of[-1]].extend(added)  # added after the last word
    # One break where several lines have no words: a blank line and a "Chorus:" under it
    # are one break between stanzas (QA: the gap was twice as wide there).
    kept = lines[line_of[0] : line_of[-1] + 1]
    return [line for n, line in enumerate(kept) if line or kept[n - 1]]
