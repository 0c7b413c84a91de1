"""``recital score``: one recording (or transcript) scored with no server, database or broker."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from shared.domain.result import ScoredAttempt
from shared.domain.scoring import ScoringOptions, score_recitation
from shared.domain.transcript import Transcript
from shared.settings import Settings


def run_score(args: argparse.Namespace, settings: Settings) -> int:
    reference = Path(args.text_file).read_text(encoding="utf-8")
    options = settings.scoring_options()
    result: ScoredAttempt | None
    if args.transcript_json:
        transcript = Transcript.from_dict(json.loads(Path(args.transcript_json).read_text()))
        result = score_recitation(reference, transcript, options)
    elif args.audio:
        result = _score_audio(Path(args.audio), reference, options, settings, args.engine)
        if result is None:
            return 1
    else:
        print("give a recording, or --transcript-json", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        from cli.render import print_result

        print_result(result.to_dict())
    return 0


def _score_audio(
    path: Path, reference: str, options: ScoringOptions, settings: Settings, engine: str | None
) -> ScoredAttempt | None:
    from shared.audio.analysis import analyse
    from shared.audio.decode import decode_file
    from shared.audio.quality import check_quality
    from shared.audio.sniff import sniff_format
    from shared.audio.types import AudioError
    from shared.transcription.factory import build_transcriber

    if engine:
        settings = settings.model_copy(update={"transcriber": engine})
    try:
        with path.open("rb") as handle:
            fmt = sniff_format(handle.read(64))
        audio = decode_file(path, fmt, settings.max_duration_seconds)
        analysis = analyse(audio)
        check_quality(audio, analysis)
    except AudioError as exc:
        print(json.dumps({"error": {"code": exc.code, "message": exc.message}}), file=sys.stderr)
        return None
    from shared.services.recording_scores import score_recording

    transcript = build_transcriber(settings).transcribe(audio, reference)
    return score_recording(reference, transcript, analysis, options)
