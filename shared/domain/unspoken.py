"""What a pasted text holds that nobody recites: verse numbers and labels.

Texts come copied from a Bible site, a lyrics site or a play's script, and
bring with them marks that are not said:

- verse numbers inline: "1 The Lord is my shepherd; … 2 He maketh me…". A
  number counts as one only at a line's start or after a punctuation mark,
  with a word after it, in a run of at least three counting up by one (1, 2,
  3 or 14, 15, 16): "3 men" in a sentence is none, nor is a list of two;
- a numbered list's numbers, at a line's start and followed by "." or ")"
  ("1. Love is patient" / "2. Love is kind"), in a run of at least two
  counting up by one, and its letters ("a) Love your neighbour" / "b)
  Forgive", "(a)", "(b)"). Read as words, each became a sentence of its own, "1.",
  that the learner "skipped";
- labels in square brackets ("[Verse 1]", "[Chorus]", "[Exit Hamlet]"), and
  a line that is only a label in parentheses ("(Chorus)", "(x2)");
- a speaker's name before a line of a play, in capitals and followed by a
  colon or a full stop and the speech ("ROMEO: But soft!", "HAMLET. To be"),
  or capitalised and followed by a colon ("Romeo: But soft!", a
  catechism's "Q:" and "A:"), in a text with at least two such lines (when
  not in capitals, one of the names said twice: "Life: a dream" / "Death: a
  sleep" is a poem). In a text all in capitals, only a name with a colon
  that comes back: "HE IS RISEN. HE IS RISEN INDEED." is a sentence. A line in capitals with nothing
  after its stop ("AMEN.") is recited. In such a script, what is in
  parentheses is a stage direction ("(aside)", "(She curtsies)");
- a lyric's repeat mark ending a line ("Sing hallelujah (x2)", "x3");
- an audience's reaction in a speech's transcript, in parentheses anywhere
  ("(Applause.)", "(Laughter)");
- a footnote's letter stuck to a word's punctuation, as Bible sites paste
  them ("the world,a that he gave");
- part labels, stanza numbers, a byline and a signature (``headings.py``).

Read as words, every one of them was a word the learner "skipped". Taking
them out keeps every line break, so the lines of the text stay the lines of
the piece.
"""

from __future__ import annotations

import re

from shared.domain.headings import without_headings

_DIGIT = re.compile(r"\d")
# A number of one to three digits at a line's start or after a punctuation
# mark and a space, followed by a space and a word (maybe after an opening quote).
_CANDIDATE = re.compile(
    r"(?:^[ \t]*|(?<=[.;:,!?)\]\"'\u201d\u2019][ \t]))(\d{1,3})(?=[ \t]+[\"'\u201c\u2018(]?[^\W\d_])",
    re.MULTILINE,
)
MIN_RUN = 3
# "1." or "2)" starting a line, before a word: a list's marks, two of them a list.
_LIST_MARK = re.compile(r"^[ \t]*(\d{1,3})[.)](?=[ \t]+[\"'\u201c\u2018(]?[^\W\d_])", re.MULTILINE)
MIN_LIST_RUN = 2
# "a)" or "(b)" starting a line, before a word: a list's letters.
_LETTER_MARK = re.compile(r"^[ \t]*(\(?[a-z])\)(?=[ \t]+[\"'\u201c\u2018(]?[^\W\d_])", re.MULTILINE)
_BRACKETED = re.compile(r"[ \t]?\[[^\[\]\n]{1,80}\]")
_LABEL_LINE = re.compile(r"^[ \t]*\([^()\n]{1,40}\)[ \t]*$", re.MULTILINE)
_SPEAKER = re.compile(r"[ \t]*[A-Z][A-Z'\-]+(?:[ \t]+[A-Z][A-Z'\-]+){0,2}[.:][ \t]+(?=\S)")
# A script has several: one line in capitals before a stop ("NASA: we did it",
# "OK. Let us go") is more likely said than a speaker's name.
MIN_SPEAKER_LINES = 2
# As typed in a script copied from a site ("Romeo: But soft!"): a name and a colon, not a
# stop ("Then. We went" is a sentence), in a text without names in capitals.
_NAMED_SPEAKER = re.compile(r"[ \t]*[A-Z][a-z'\-]*(?:[ \t]+[A-Z][a-z'\-]+)?:[ \t]+(?=\S)")  # "Q:", "Romeo:"
_CAPITALS_SPEAKER = re.compile(r"[ \t]*[A-Z][A-Z'\-]+(?:[ \t]+[A-Z][A-Z'\-]+){0,2}:[ \t]+(?=\S)")
# A lyric's repeat mark ending a line: "Sing hallelujah (x2)", "Praise him x3", "(2x)".
_REPEAT_MARK = re.compile(r"[ \t]+(?:\(?[x\u00d7]\d\)?|\(\d[x\u00d7]\))[ \t]*$", re.MULTILINE | re.IGNORECASE)
_REPEAT_COUNT = re.compile(r"[x\u00d7]\d|\d[x\u00d7]", re.IGNORECASE)
_DIRECTION = re.compile(r"[ \t]?\([^()\n]{1,60}\)")
_REACTION = re.compile(
    r"[ \t]?\((?:applause|laughter|cheers|cheering|booing|boos|crosstalk|inaudible|music)\b[^()\n]{0,30}\)",
    re.IGNORECASE,
)
# One lower-case letter right after a word's comma or stop, then a space: a footnote's mark.
# Found by the stop and the letter, the two letters before checked in Python: a pattern
# led by a look-behind is tried at every character (2.4 of 5 ms on 10,000 words).
_FOOTNOTE_LETTER = re.compile(r"[,;:.!?][a-z](?=\s|\Z)")


def without_unspoken(text: str) -> str:
    """``text`` without its verse numbers and labels; as it was when it has none."""
    return _taken_apart(text, None)


def unspoken_parts(text: str) -> tuple[str, list[str]]:
    """``text`` without what nobody recites, and what was taken out: cues a learner
    may still say ("Chorus", "one" for "1."), which the scorer then forgives."""
    taken: list[str] = []
    return _taken_apart(text, taken), taken


def _taken_apart(text: str, taken: list[str] | None) -> str:
    if "[" in text:  # each test a pass in C: most texts have nothing to take out
        text = _without(_BRACKETED, text, taken)
    if "(" in text:
        text = _without(_REACTION, _without(_LABEL_LINE, text, taken), taken)
    if _REPEAT_COUNT.search(text):  # "x" alone is in most texts ("next"); "x2" in few
        text = _without(_REPEAT_MARK, text, taken)
    text = _without_footnote_letters(without_headings(text, taken))
    if "\n" in text:  # a script's lines: asked line by line, anchored, not at every character
        text = _without_speakers(text, taken)
    return without_verse_numbers(text, taken)


def _without_footnote_letters(text: str) -> str:
    letters = [
        f.start() + 1 for f in _FOOTNOTE_LETTER.finditer(text) if text[f.start() - 2 : f.start()].isalpha()
    ]
    if not letters:
        return text
    kept, cursor = [], 0
    for at in letters:
        kept.append(text[cursor:at])
        cursor = at + 1
    kept.append(text[cursor:])
    return "".join(kept)


def _without_speakers(text: str, taken: list[str] | None) -> str:
    lines = text.split("\n")
    speakers = _speakers(lines, capitals=text == text.upper())
    if speakers is None:
        return text
    if taken is not None:
        taken.extend(found.group() for found in speakers if found)
    text = "\n".join(
        line[found.end() :] if found else line for line, found in zip(lines, speakers, strict=True)
    )
    if "(" in text:  # in a script, what is in parentheses is a stage direction
        text = _without(_DIRECTION, text, taken)
    return text


def _speakers(lines: list[str], capitals: bool) -> list[re.Match[str] | None] | None:
    """Each line's speaker's name when the text (all in ``capitals`` or not) is a script, else None."""
    if capitals:
        # All in capitals, "HE IS RISEN. HE IS RISEN INDEED." is a sentence, not a name: only
        # a colon and a name that comes back make a script (QA: six words were cut).
        return _named(lines, _CAPITALS_SPEAKER)
    found = [_SPEAKER.match(line) for line in lines]
    if sum(1 for name in found if name) >= MIN_SPEAKER_LINES:
        return found
    # Not in capitals, a script's speaker comes back: "Life: a dream" / "Death: a sleep" is a poem.
    return _named(lines, _NAMED_SPEAKER)


def _named(lines: list[str], pattern: re.Pattern[str]) -> list[re.Match[str] | None] | None:
    """Each line's ``pattern`` match when one name is in at least two of them, else None."""
    found = [pattern.match(line) for line in lines]
    names = [name.group().strip() for name in found if name]
    return found if len(names) >= MIN_SPEAKER_LINES and len(set(names)) < len(names) else None


def _without(pattern: re.Pattern[str], text: str, taken: list[str] | None) -> str:
    if taken is None:
        return pattern.sub("", text)

    def take(found: re.Match[str]) -> str:
        taken.append(found.group())
        return ""

    return pattern.sub(take, text)


def without_verse_numbers(text: str, taken: list[str] | None = None) -> str:
    """``text`` with its verse numbers and list numbers taken out (added to ``taken``
    when given); as it was when it has none."""
    spans = _counted_spans(_LETTER_MARK, text, MIN_LIST_RUN) if ")" in text else []
    if _DIGIT.search(text):  # most texts have none: one pass in C
        spans += _counted_spans(_CANDIDATE, text, MIN_RUN) + _counted_spans(_LIST_MARK, text, MIN_LIST_RUN)
    spans.sort()
    if not spans:
        return text
    kept, cursor = [], 0
    for start, end in spans:
        kept.append(text[cursor:start])
        if taken is not None:
            taken.append(text[start:end])
        cursor = end + 1 if text[end : end + 1] in (" ", "\t") else end  # and one space after it
    kept.append(text[cursor:])
    return "".join(kept)


def _counted_spans(pattern: re.Pattern[str], text: str, min_run: int) -> list[tuple[int, int]]:
    """Where ``pattern``'s numbers count up by one in runs of ``min_run`` or more: each
    number's span, with the list mark after it ("1.") when there is one."""
    runs: dict[int, list[tuple[int, int]]] = {}  # the value a run expects next -> its spans
    finished: list[list[tuple[int, int]]] = []
    for found in pattern.finditer(text):
        mark = found.group(1)
        value = int(mark) if mark.isdigit() else ord(mark[-1]) - ord("a") + 1  # "(b)" is 2
        run = runs.pop(value, None)
        if run is None:
            run = []
            finished.append(run)
        run.append((found.start(1), found.end()))
        runs[value + 1] = run
    return [span for run in finished if len(run) >= min_run for span in run]
