"""Real human recordings from ../shared/corpus (read there, never copied here)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from shared.settings import Settings
from tests.integration.flow import create_piece, poll, upload
from tests.support.stack import SHARED_MATERIAL, CeleryWorker, require
from web import create_app

pytestmark = pytest.mark.integration
CORPUS = SHARED_MATERIAL / "corpus"


def manifest() -> list[dict[str, str]]:
    path = CORPUS / "manifest.csv"
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def corpus_file(name: str) -> Path:
    require((CORPUS / "audio" / name).exists(), f"../shared/corpus is missing {name}")
    return CORPUS / "audio" / name


def transcript_of(name: str) -> str:
    rows = {row["file"]: row["transcript"] for row in manifest()}
    require(name in rows, f"{name} is not in ../shared/corpus/manifest.csv")
    return rows[name]


@pytest.mark.parametrize("name", ["jfk_inaugural.flac", "jfk_inaugural_16k.mp3"])
def test_jfk_scores_high_through_the_pipeline(
    name: str, stack_settings: Settings, celery_worker: CeleryWorker
) -> None:
    client = create_app(stack_settings).test_client()
    piece_id = create_piece(client, "Inaugural address (excerpt)", transcript_of(name))
    attempt = poll(client, upload(client, piece_id, corpus_file(name)))
    assert attempt["status"] == "done", attempt
    assert attempt["format"] == name.rsplit(".", 1)[1]
    assert attempt["result"]["scores"]["accuracy"] >= 90, attempt["result"]["scores"]


def test_every_corpus_recording_decodes_and_scores() -> None:
    from shared.audio.probe import probe
    from shared.audio.sniff import sniff_format
    from shared.pipeline import decode_recording, recognise, score
    from shared.transcription.offline import OfflineTranscriber

    rows = manifest()
    require(len(rows) >= 20, "../shared/corpus/manifest.csv is missing")
    engine, scored = OfflineTranscriber(), {}
    for row in rows:
        path = corpus_file(row["file"])
        fmt = sniff_format(path.read_bytes()[:4096])
        info = probe(path, fmt)
        assert info.channels == int(row["channels"]) and info.sample_rate == int(row["sample_rate"])
        audio = decode_recording(path, fmt)
        assert abs(audio.duration - float(row["duration_s"])) < 0.1, row["file"]
        # Every one is a whole recitation: the isolated digits (0.3-0.6 s of one
        # word) were refused too_short when a second of speech was the floor.
        recognition = recognise(audio, row["transcript"], engine)
        result = score(row["transcript"], recognition.transcript, recognition.analysis)
        scored[row["file"]] = result.scores.accuracy
    sentences = {k: v for k, v in scored.items() if len(transcript_of(k).split()) >= 6}
    assert len(sentences) >= 9, scored
    assert sum(sentences.values()) / len(sentences) >= 85, sentences
    one_word = {k: v for k, v in scored.items() if len(transcript_of(k).split()) == 1}
    assert len(one_word) >= 4 and all(v == 100.0 for v in one_word.values()), one_word
