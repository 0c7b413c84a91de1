"""What an engine heard: words with times. The input to scoring.

The evidence contract between engines and scoring. Beside its text and
times, a ``SpokenWord`` may carry evidence only the sound can give; scoring
reads it, never the engine's internals. Each flag is optional: an engine
that cannot measure it leaves the default, and scoring then judges from the
text alone (what each default means is below). An engine never sets a flag
it did not measure; scoring never asks which engine spoke.

``unlike_previous`` (default False)
    Meaning: this word repeats the word heard just before it, but does not
    sound like it, so it is likely a slip the piece's model heard as the
    word. Set by: the offline engine's second look
    (``shared.transcription.offline.second_look.copies``). Scoring: after a
    pause, the pair is one repaired word, ``self_corrected``
    (``shared.domain.repairs.merge_unlike_copies``). Without it (the OpenAI
    engine, a ``--transcript-json`` file): the copy is a repetition and the
    slip is not seen.

``sounds_like`` (default None)
    Meaning: the piece's word (as the engine wrote it) that the
    recording fits at least as well as the word heard (a sound-alike the
    acoustic model confuses, "sell" for "soul"; on a steady noise floor,
    nearly as well). The heard text is never
    changed. Set by: the offline engine's second look
    (``shared.transcription.offline.second_look.sound_alikes``). Scoring: a
    substitution of exactly that word counts ``correct``
    (``shared.domain.miscues``); any other word it stands against is judged
    as before. Without it: the substitution is a miscue unless
    ``confidence`` excuses it (below).

``confidence`` (default None)
    Meaning: the engine's posterior for the word, in [0, 1]. Set by: the
    offline engine (its lattice posterior); the OpenAI engine gives none.
    Scoring: a listed homophone passes unless the engine doubted it
    (< 0.5); an unlisted sound-alike content word passes only with the same
    sound key and >= 0.9 (``miscues._sounds_right``). Without it: listed
    homophones pass, unlisted sound-alikes never do.

Evidence is stored with the transcript (``to_stored``; the two flags are
left out at their defaults), so re-scoring sees what the engine measured.

Two forms of the words. ``to_dict`` (and a ``--transcript-json`` file) lists
one object per word, ``{"text", "start", "end", ...}``. The stored form
(``to_stored``, what the ``transcripts`` table holds) keeps them by field,
``"word_columns": {"text": [...], "start": [...], "end": [...],
"confidence": [...]}`` with the flags sparse (``"unlike_previous"``: the
indices flagged; ``"sounds_like"``: index → word): re-scoring parses and
rebuilds every stored transcript, and without a key per word the document
is 40 % of the size and parses five times faster. ``from_dict`` reads both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import repeat
from operator import lt
from typing import Any, NamedTuple


class SpokenWord(NamedTuple):
    # A named tuple, not a frozen dataclass: re-scoring rebuilds every stored
    # transcript, and a frozen dataclass's __init__ (object.__setattr__ per
    # field, even compiled) was half of scoring a stored 60 s attempt.
    text: str
    start: float
    end: float
    # The evidence flags below: see the contract in this module's docstring.
    confidence: float | None = None
    unlike_previous: bool = False  # a copy of the word before that sounds unlike it
    sounds_like: str | None = None  # the piece's word the recording fits as well


@dataclass(frozen=True, slots=True)
class Transcript:
    words: tuple[SpokenWord, ...]
    engine: str
    model: str
    language: str = "en"
    extra: Mapping[str, Any] = field(default_factory=dict)
    # The version of Recital's own recognition code that produced the words
    # (beside the engine's model): a change to what the engine hears bumps it.
    recognition_version: str = ""

    @property
    def text(self) -> str:
        return " ".join([w.text for w in self.words])  # a list joins faster than a generator

    def to_dict(self) -> dict[str, Any]:
        words = [_word_dict(w) for w in self.words]
        return {**self._source(), "text": self.text, "words": words, "extra": dict(self.extra)}

    def to_stored(self) -> dict[str, Any]:
        """The form the ``transcripts`` table keeps: the words by field (see the module's docstring).

        The text is left out: the table has a column of its own for it.
        """
        return {**self._source(), "word_columns": word_columns(self.words), "extra": dict(self.extra)}

    def _source(self) -> dict[str, Any]:
        """Who heard the words: the keys both forms open with."""
        return {
            "engine": self.engine,
            "model": self.model,
            "language": self.language,
            "recognition_version": self.recognition_version,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Transcript:
        """Build from either stored form or a ``--transcript-json`` file.

        Accepts ``{"words": [{"text"|"word", "start", "end"}...]}`` or
        ``{"word_columns": {...}}``, with optional engine/model.
        """
        columns = data.get("word_columns")
        return cls(
            words=_words_from_columns(columns)
            if columns is not None
            else tuple([_word_from(item) for item in data.get("words", [])]),
            engine=str(data.get("engine", "given")),
            model=str(data.get("model", "given")),
            language=str(data.get("language", "en")),
            extra=dict(data.get("extra", {})),
            recognition_version=str(data.get("recognition_version", "")),
        )

    @classmethod
    def of(cls, words: Iterable[SpokenWord], engine: str, model: str) -> Transcript:
        return cls(words=tuple(words), engine=engine, model=model)


def _word_dict(word: SpokenWord) -> dict[str, Any]:
    data = word._asdict()
    # The usual case: stored transcripts stay as they were.
    if not word.unlike_previous:
        del data["unlike_previous"]
    if word.sounds_like is None:
        del data["sounds_like"]
    return data


def _word_from(item: object) -> SpokenWord:
    # Narrowed to a dict, not a Mapping: compiled, dict.get is then a direct
    # call rather than a method lookup; re-scoring rebuilds every stored word here.
    if not isinstance(item, dict):
        raise ValueError(f"transcript word is not an object: {item!r}")
    text = item.get("text")
    if text is None:
        text = item.get("word")
    if not isinstance(text, str):
        raise ValueError(f"transcript word without text: {item!r}")
    start, end = float(item["start"]), float(item["end"])
    if end < start:
        raise ValueError(f"transcript word ends before it starts: {item!r}")
    confidence = item.get("confidence")
    alike = item.get("sounds_like")
    unlike = bool(item.get("unlike_previous", False))
    fields = (text, start, end, None if confidence is None else float(confidence), unlike,
              None if alike is None else str(alike))  # fmt: skip
    return _NEW(SpokenWord, fields)  # the named tuple without its __new__'s Python frame


_NEW = tuple.__new__


def word_columns(words: tuple[SpokenWord, ...]) -> dict[str, Any]:
    """The words by field, the flags sparse: the stored form's ``word_columns``."""
    columns: dict[str, Any] = {
        "text": [w.text for w in words],
        "start": [w.start for w in words],
        "end": [w.end for w in words],
        "confidence": [w.confidence for w in words],
    }
    unlike = [i for i, w in enumerate(words) if w.unlike_previous]
    if unlike:
        columns["unlike_previous"] = unlike
    alike = {str(i): w.sounds_like for i, w in enumerate(words) if w.sounds_like is not None}
    if alike:
        columns["sounds_like"] = alike
    return columns


def _words_from_columns(columns: object) -> tuple[SpokenWord, ...]:
    # Whole-column passes in C where one serves (join, map): re-scoring rebuilds every stored word.
    if not isinstance(columns, dict):
        raise ValueError(f"transcript word_columns is not an object: {columns!r}")
    texts = _column(columns, "text")
    starts, ends = _seconds(columns, "start"), _seconds(columns, "end")
    given = _column(columns, "confidence") if "confidence" in columns else [None] * len(texts)
    if not len(texts) == len(starts) == len(ends) == len(given):
        raise ValueError("transcript word_columns differ in length")
    try:
        "".join(texts)  # raises on anything but strings
    except TypeError as exc:
        raise ValueError(f"transcript word_columns.text holds a word that is not a string: {exc}") from exc
    if any(map(lt, ends, starts)):
        raise ValueError("transcript word_columns: a word ends before it starts")
    confidences = [None if c is None else float(c) for c in given]
    rows = zip(texts, starts, ends, confidences, repeat(False), repeat(None))
    words: list[SpokenWord] = list(map(_NEW, repeat(SpokenWord), rows))
    flagged = "unlike_previous" in columns or "sounds_like" in columns
    return tuple(_with_flags(words, columns) if flagged else words)


def _seconds(columns: dict[str, Any], name: str) -> list[float]:
    return [float(value) for value in _column(columns, name)]


def _with_flags(words: list[SpokenWord], columns: dict[str, Any]) -> list[SpokenWord]:
    """The sparse flags set on their words (rare: most stored transcripts have none)."""
    for index in _column(columns, "unlike_previous") if "unlike_previous" in columns else []:
        at = _word_index(index, len(words))
        words[at] = words[at]._replace(unlike_previous=True)
    alike = columns.get("sounds_like", {})
    if not isinstance(alike, dict):
        raise ValueError(f"transcript word_columns.sounds_like is not an object: {alike!r}")
    for index, word in alike.items():
        at = _word_index(index, len(words))
        words[at] = words[at]._replace(sounds_like=str(word))
    return words


def _word_index(index: object, count: int) -> int:
    at = int(index) if isinstance(index, (int, str)) and str(index).isdigit() else -1
    if not 0 <= at < count:
        raise ValueError(f"transcript word_columns: no word {index!r} to flag")
    return at


def _column(columns: dict[str, Any], name: str) -> list[Any]:
    values = columns.get(name)
    if not isinstance(values, list):
        raise ValueError(f"transcript word_columns.{name} is not a list: {values!r}")
    return values
