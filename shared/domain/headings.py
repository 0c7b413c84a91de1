"""Lines that head or sign a piece rather than belong to it.

Hymns, songs and poems come pasted with lines nobody recites:

- a part's label alone on its line: "Refrain:", "Chorus", "Verse 2:",
  "Verse Two", "Chorus (x2):", "Repeat Chorus", "Bridge", a script's "ACT I"
  and "Scene 2", and "SCENE II. A room in the castle." with its place. Only
  the names of parts count, so a line of verse that ends in a colon ("And
  then he said:") stays;
- stanza numbers alone on their line, in digits or Roman numerals ("1",
  "II.", "III"), at least two of them counting up by one: a lone "I" on a
  line is as likely the pronoun;
- the author's line under a title ("by Robert Frost"), among the first
  three lines;
- a catechism's marks, "Q. 1." and "A." or "Question 1:" and "Answer:",
  at lines' starts, when it has both;
- an attribution signing the end: "— William Blake" on the last line, or
  after a quotation's closing mark or full stop ("… taken.” — Oscar Wilde"),
  with its source after a comma ("— Abraham Lincoln, Gettysburg, 1863"); or
  ending any line after a quotation's closing mark (quotations pasted together).

Read as words, each was a word or a line the learner "skipped". What is taken
out is returned, as cues a learner may say anyway.
"""

from __future__ import annotations

import re

from shared.domain.roman import roman_value

_PARTS = (
    "verse|chorus|refrain|bridge|pre-chorus|prechorus|intro|outro|coda|interlude|stanza|"
    "post-chorus|descant|response|antiphon|act|scene"
)
_COUNT = r"\d{1,3}|[IVX]{1,4}|one|two|three|four|five|six|seven|eight|nine|ten"
_LABEL = re.compile(
    rf"^[ \t]*(?:(?:repeat|final|last)[ \t]+)?(?:{_PARTS})(?:[ \t]+(?:{_COUNT}))?"
    r"(?:[ \t]*\(?x\d\)?)?[ \t]*:?[ \t\r]*$",
    re.MULTILINE | re.IGNORECASE,
)
# A script's act or scene heading with its place: "SCENE II. A room in the castle." A
# heading heads lines: a text that is only "Act II, Scene I. Enter Hamlet." is recited.
_STAGE_HEADING = re.compile(
    rf"^[ \t]*(?:act|scene)[ \t]+(?:{_COUNT})[.:,][^\n]*$(?=\n\s*\S)", re.MULTILINE | re.IGNORECASE
)
_STANZA_NUMBER = re.compile(r"^[ \t]*(\d{1,3}|[IVXLC]{1,8})\.?[ \t\r]*$", re.MULTILINE)
_LONE_NUMERALS = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
MIN_STANZAS = 2
_NAME = r"[A-Z][\w.'\-]*(?:[ \t]+(?:[A-Z][\w.'\-]*|of|de|van|von|the)){0,4}"
_BYLINE = re.compile(rf"^[ \t]*[Bb]y[ \t]+{_NAME}[ \t\r]*$")
BYLINE_LINES = 3  # a title, maybe a subtitle, then the author
_SIGNED = rf"[ \t]*(?:\u2014|\u2013|--?|~)[ \t]*(?P<cue>{_NAME})(?:,[ \t]+[^\n]{{1,60}})?"
_SIGNATURE = re.compile(rf"(?:^|(?<=[.!?\"'\u201d\u2019][ \t])){_SIGNED}\s*\Z", re.MULTILINE)
SIGNATURE_CHARS = 400  # a dash, a name of up to five words, and a source of up to 60
# After a closing quotation mark a signature may end any line: quotations pasted together.
# What a quotation's signature starts with; found by a fast scan, where _QUOTE_SIGNED's
# look-behind is tried at every character.
_QUOTED_DASH = re.compile('["\u201d][ \t]*(?:\u2014|\u2013|-|~)')
_QUOTE_SIGNED = re.compile(rf"(?<=[\"\u201d][ \t]){_SIGNED}[ \t\r]*$", re.MULTILINE)
# A catechism's marks at a line's start: "Q. 1.", "A.", "Question 2:", "Answer:".
_CATECHISM = re.compile(
    r"^[ \t]*(Q|A|Question|Answer)(?:[ \t]+\d{1,3})?[ \t]*[.:](?:[ \t]*\d{1,3}\.)?[ \t]+(?=\S)", re.MULTILINE
)


def without_headings(text: str, taken: list[str] | None) -> str:
    """``text`` without its part labels and stage headings, stanza numbers, byline,
    catechism marks and signatures (added to ``taken`` when given), every line break
    kept; as it was when it has none."""
    text = _cut(_STAGE_HEADING, _cut(_LABEL, text, taken), taken)
    text = _without_stanza_numbers(text, taken)
    text = _without_byline(text, taken)
    text = _without_catechism_marks(text, taken)
    text = _without_signature(text, taken)
    return _cut(_QUOTE_SIGNED, text, taken) if "\n" in text and _QUOTED_DASH.search(text) else text


def _without_signature(text: str, taken: list[str] | None) -> str:
    """A signature ends the text: looked for in its last ``SIGNATURE_CHARS`` only, not
    tried at every character of a long one (``search`` from a position keeps ``^`` and
    the look-behind reading the text as a whole)."""
    found = _SIGNATURE.search(text, max(0, len(text.rstrip()) - SIGNATURE_CHARS))
    if found is None:
        return text
    if taken is not None:  # a signature's name, not its source's date: "one" said is no cue
        taken.append(found.group("cue").strip())
    return text[: found.start()] + "\n" * found.group().count("\n")  # its line breaks kept


def _cut(pattern: re.Pattern[str], text: str, taken: list[str] | None) -> str:
    def take(found: re.Match[str]) -> str:
        if taken is not None:  # a signature's name, not its source's date: "one" said is no cue
            taken.append((found.groupdict().get("cue") or found.group()).strip())
        # The signature may take the text's last line breaks with it: keep them.
        return "\n" * found.group().count("\n")

    return pattern.sub(take, text)


def _without_stanza_numbers(text: str, taken: list[str] | None) -> str:
    found = list(_STANZA_NUMBER.finditer(text))
    values = [_value(match.group(1)) for match in found]
    counted = [match for i, match in enumerate(found) if _counts_up(values, i)]
    if len(counted) < MIN_STANZAS:
        return text
    if taken is not None:  # "II." is said "two", not "the second"
        taken.extend(str(_value(match.group(1))) for match in counted)
    for match in reversed(counted):
        text = text[: match.start()] + text[match.end() :]
    return text


def _counts_up(values: list[int | None], i: int) -> bool:
    """Whether the ``i``th stanza number follows the one before it or leads to the next."""
    value = values[i]
    if value is None:
        return False
    return (i > 0 and values[i - 1] == value - 1) or (i + 1 < len(values) and values[i + 1] == value + 1)


def _value(number: str) -> int | None:
    if number.isdigit():
        return int(number)
    return _LONE_NUMERALS.get(number) or roman_value(number)


def _without_catechism_marks(text: str, taken: list[str] | None) -> str:
    """Without "Q." and "A." when the text has both: one "A. Lincoln" is a name."""
    kinds = {found.group(1)[0] for found in _CATECHISM.finditer(text)}
    return _cut(_CATECHISM, text, taken) if kinds == {"Q", "A"} else text


def _without_byline(text: str, taken: list[str] | None) -> str:
    lines = text.split("\n")
    for i, line in enumerate(lines[:BYLINE_LINES]):
        if i > 0 and _BYLINE.match(line):
            if taken is not None:
                taken.append(line.strip())
            lines[i] = ""
            return "\n".join(lines)
    return text
