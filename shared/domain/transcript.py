"""What an engine heard: words with times. The input to scoring."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class SpokenWord:
    text: str
    start: float
    end: float
    confidence: float | None = None
    # Set by the engine on a word that repeats the word before it but does not
    # sound like it (shared.transcription.copies): a slip heard as the word.
    unlike_previous: bool = False
    # Set by the engine on a word standing where the piece has a word that
    # sounds like it, when the recording fits that word at least as well
    # (shared.transcription.homophone_check): the piece's word the sounds support.
    sounds_like: str | None = None


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
        return {
            "engine": self.engine,
            "model": self.model,
            "language": self.language,
            "recognition_version": self.recognition_version,
            "text": self.text,
            "words": [_word_dict(w) for w in self.words],
            "extra": dict(self.extra),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Transcript:
        """Build from the stored form or a ``--transcript-json`` file.

        Accepts ``{"words": [{"text"|"word", "start", "end"}...]}`` with
        optional engine/model.
        """
        return cls(
            words=tuple(_word_from(item) for item in data.get("words", [])),
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
    data = asdict(word)
    # The usual case: stored transcripts stay as they were.
    if not word.unlike_previous:
        del data["unlike_previous"]
    if word.sounds_like is None:
        del data["sounds_like"]
    return data


def _word_from(item: Mapping[str, Any]) -> SpokenWord:
    text = item.get("text", item.get("word"))
    if not isinstance(text, str):
        raise ValueError(f"transcript word without text: {item!r}")
    start, end = float(item["start"]), float(item["end"])
    if end < start:
        raise ValueError(f"transcript word ends before it starts: {item!r}")
    confidence = item.get("confidence")
    unlike = bool(item.get("unlike_previous", False))
    alike = item.get("sounds_like")
    return SpokenWord(
        text,
        start,
        end,
        None if confidence is None else float(confidence),
        unlike,
        None if alike is None else str(alike),
    )
