"""``recital score``: one recording (or transcript) scored with no server, database or broker.

A recording goes through the worker's own pipeline (``shared.pipeline``):
the same quality checks refuse it, and the same warnings are shown.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cli.problems import InputProblem, existing_file, read_text_file
from shared.domain.scoring import score_recitation
from shared.domain.transcript import Transcript
from shared.settings import Settings
from shared.sounds import MEANING_OR_SOUND

if TYPE_CHECKING:
    from shared.transcription.port import Transcriber


def run_score(args: argparse.Namespace, settings: Settings) -> int:
    reference = _piece_text(args.text_file)
    warnings: tuple[str, ...] = ()
    if args.transcript_json and args.audio:
        raise InputProblem("give a recording or --transcript-json, not both")
    if args.transcript_json:
        transcript = _transcript(args.transcript_json)
        options = settings.scoring_options()
        result = score_recitation(reference, transcript, options, related=MEANING_OR_SOUND).to_dict()
    elif args.audio:
        scored = _score_audio(existing_file(args.audio, "recording"), reference, settings, args)
        if scored is None:
            return 1
        result, warnings = scored
    else:
        raise InputProblem("give a recording, or --transcript-json")
    if args.json:
        # Beside the result, as the API shows them beside an attempt's result.
        print(json.dumps({**result, "warnings": list(warnings)}, indent=2, ensure_ascii=False))
    else:
        from cli.render import print_result, print_warnings

        print_result(result)
        print_warnings(warnings)
    return 0


def _piece_text(name: str) -> str:
    """The piece's text, refused before any engine runs if it has no words to score against."""
    from shared.domain.text import parse_reference

    text = read_text_file(name, "--text-file")
    try:
        parse_reference(text)
    except ValueError as exc:  # empty, or only punctuation
        raise InputProblem(f"--text-file {name}: {exc}") from None
    return text


def _transcript(name: str) -> Transcript:
    """A ``--transcript-json`` file: ``{"words": [{"text", "start", "end"}, ...]}`` (the
    engines' stored form, or the ``words`` of ``score --json``'s output)."""
    try:
        return Transcript.from_dict(json.loads(read_text_file(name, "--transcript-json")))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputProblem(
            f"--transcript-json {name}: not a transcript ({exc.__class__.__name__}: {exc}); "
            'expected {"words": [{"text": "the", "start": 0.5, "end": 0.7}, ...]}'
        ) from None


def _score_audio(
    path: Path, reference: str, settings: Settings, args: argparse.Namespace
) -> tuple[dict[str, Any], tuple[str, ...]] | None:
    from shared.audio.types import AudioError
    from shared.pipeline import score_recording
    from shared.transcription.port import TranscriptionError

    if args.engine:
        settings = settings.model_copy(update={"transcriber": args.engine})
    transcriber = _transcriber(settings)
    try:
        recognition, result = score_recording(
            path,
            reference,
            transcriber,
            settings.scoring_options(),
            settings.max_duration_seconds,
        )
    except (AudioError, TranscriptionError) as exc:  # the recording's or the engine's (exit 1)
        if args.json:
            print(json.dumps({"error": {"code": exc.code, "message": exc.message}}), file=sys.stderr)
        else:
            print(f"recital score: {exc.message} ({exc.code})", file=sys.stderr)
        return None
    return result.to_dict(), recognition.analysis.warnings


def _transcriber(settings: Settings) -> Transcriber:
    """The engine, or an ``InputProblem`` when it is not configured (no API key):
    the user's to fix, so one line, not a traceback."""
    from shared.transcription.factory import build_transcriber
    from shared.transcription.port import TranscriptionError

    try:
        return build_transcriber(settings)
    except TranscriptionError as exc:  # its message names the variable, never a value
        raise InputProblem(f"cannot use the {settings.transcriber} engine: {exc.message}") from None
