"""Every format learners record in, through the whole pipeline.

One flite recitation is converted at test time with sox and ffmpeg into a
covering set of containers, codecs, bit depths, sample rates (8–48 kHz) and
channel layouts; each file is uploaded through the Flask API to Postgres,
local storage, Redis and a real Celery worker, and must end ``done`` with the
format sniffed from its bytes, its duration intact (so resampling was right)
and an accuracy that shows the words survived. Broken and hostile files end
415 at upload or ``failed`` with their specific code.

All uploads go in first (module fixture) so the worker is never idle while
the tests poll, one test per file.
"""

from __future__ import annotations

import json
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from shared.settings import Settings
from tests.integration.flow import LEARNER, create_piece, poll, upload
from tests.support.recitations import PSALM_23, synthesise
from tests.support.stack import CeleryWorker, require_tool
from web import create_app

pytestmark = pytest.mark.integration

TEXT = " ".join(PSALM_23.split()[:32])  # ~11 s of speech: the words matter, not the length


@dataclass(frozen=True)
class Variant:
    name: str  # also the file name
    fmt: str  # what the sniffer must say
    codec: str  # what ffprobe must say the file holds (guards the generator)
    rate: int
    channels: int
    tool: str  # sox | ffmpeg
    args: tuple[str, ...]
    min_accuracy: float = 90.0  # flite at >= 16 kHz scores ~97 offline


def _sox(name: str, codec: str, rate: int, channels: int, *encoding: str, floor: float = 90.0) -> Variant:
    fmt = name.rsplit(".", 1)[1]
    args = (*encoding, "-r", str(rate), "-c", str(channels))
    return Variant(name, fmt, codec, rate, channels, "sox", args, floor)


def _ffmpeg(
    name: str, fmt: str, codec: str, rate: int, channels: int, *encoding: str, floor: float = 90.0
) -> Variant:
    args = ("-ar", str(rate), "-ac", str(channels), *encoding)
    return Variant(name, fmt, codec, rate, channels, "ffmpeg", args, floor)


# Telephone-band (8 kHz) sources lose everything over 4 kHz: 78–88 measured.
PHONE = 65.0
MATRIX = (
    _sox("pcm-u8-8k-mono.wav", "pcm_u8", 8000, 1, "-b", "8", "-e", "unsigned-integer", floor=PHONE),
    _sox("pcm-s16-16k-stereo.wav", "pcm_s16le", 16000, 2, "-b", "16"),
    _sox("pcm-s24-44k-stereo.wav", "pcm_s24le", 44100, 2, "-b", "24"),
    _sox("pcm-s32-22k-mono.wav", "pcm_s32le", 22050, 1, "-b", "32", "-e", "signed-integer"),
    _sox("float32-48k-stereo.wav", "pcm_f32le", 48000, 2, "-b", "32", "-e", "floating-point"),
    _sox("s16-8k-mono.flac", "flac", 8000, 1, "-b", "16", floor=PHONE),
    _sox("s24-44k-stereo.flac", "flac", 44100, 2, "-b", "24"),
    _ffmpeg("vorbis-22k-mono.ogg", "ogg", "vorbis", 22050, 1, "-c:a", "libvorbis", "-q:a", "3"),
    _ffmpeg("vorbis-48k-stereo.ogg", "ogg", "vorbis", 48000, 2, "-c:a", "libvorbis", "-q:a", "3"),
    _ffmpeg("opus-16k-mono.opus", "opus", "opus", 16000, 1, "-c:a", "libopus", "-b:a", "24k"),
    _ffmpeg("opus-48k-stereo.opus", "opus", "opus", 48000, 2, "-c:a", "libopus", "-b:a", "32k"),
    _ffmpeg("opus-24k-mono.webm", "webm", "opus", 24000, 1, "-c:a", "libopus", "-b:a", "24k"),
    _ffmpeg("opus-48k-stereo.webm", "webm", "opus", 48000, 2, "-c:a", "libopus", "-b:a", "32k"),
    _ffmpeg("mp3-44k-stereo.mp3", "mp3", "mp3", 44100, 2, "-c:a", "libmp3lame", "-b:a", "64k"),
    _ffmpeg("mp3-8k-mono.mp3", "mp3", "mp3", 8000, 1, "-c:a", "libmp3lame", "-b:a", "16k", floor=PHONE),
    _ffmpeg("aac-44k-stereo.m4a", "m4a", "aac", 44100, 2, "-c:a", "aac", "-b:a", "64k"),
    _ffmpeg("aac-24k-mono.m4a", "m4a", "aac", 24000, 1, "-c:a", "aac", "-b:a", "32k"),
    # Raw ADTS (Android voice recorders' .aac): no container, no duration header.
    _ffmpeg("adts-44k-stereo.aac", "aac", "aac", 44100, 2, "-c:a", "aac", "-b:a", "64k", "-f", "adts"),
    _ffmpeg("adts-16k-mono.aac", "aac", "aac", 16000, 1, "-c:a", "aac", "-b:a", "32k", "-f", "adts"),
)

# Files that pass the sniffer but must fail in the worker, with their code.
BROKEN = {
    "truncated.m4a": "corrupt_audio",  # the moov atom (at the end) is gone
    "ninety-six-channels.wav": "too_many_channels",
    "tiny-claims-hours.wav": "implausible_header",
}


def _generate(variant: Variant, source: Path, folder: Path) -> Path:
    out = folder / variant.name
    if variant.tool == "sox":
        argv = [require_tool("sox"), str(source), *variant.args, str(out)]
    else:
        ffmpeg = require_tool("ffmpeg")
        argv = [ffmpeg, "-y", "-loglevel", "error", "-i", str(source), *variant.args, str(out)]
    subprocess.run(argv, check=True, timeout=60)
    return out


def _probe(path: Path) -> dict[str, Any]:
    ffprobe = require_tool("ffprobe")
    argv = [ffprobe, "-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels", "-of", "json"]
    run = subprocess.run([*argv, str(path)], check=True, capture_output=True, text=True, timeout=30)
    stream: dict[str, Any] = json.loads(run.stdout)["streams"][0]
    return stream


def _wav_header(channels: int, rate: int, data_bytes: int) -> bytes:
    block = channels * 2
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * block, block, 16)
    riff = struct.pack("<I", 36 + data_bytes)
    data = b"data" + struct.pack("<I", data_bytes)
    return b"RIFF" + riff + b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + data


def _broken_files(folder: Path, m4a: Path) -> dict[str, Path]:
    whole = m4a.read_bytes()
    files = {
        "truncated.m4a": whole[: len(whole) // 2],
        # A real, consistent 96-channel second of silence: only the channel count is absurd.
        "ninety-six-channels.wav": _wav_header(96, 16000, 96 * 2 * 16000) + bytes(96 * 2 * 16000),
        # 20 kB that says it holds 2 GB (~17 hours at 16 kHz).
        "tiny-claims-hours.wav": _wav_header(1, 16000, 2_000_000_000) + bytes(20_000),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    return paths


@dataclass
class Submitted:
    client: FlaskClient
    files: dict[str, Path]
    attempts: dict[str, str]  # file name -> attempt id
    duration: float  # of the flite source


@pytest.fixture(scope="module")
def submitted(
    stack_settings: Settings, celery_worker: CeleryWorker, tmp_path_factory: pytest.TempPathFactory
) -> Submitted:
    folder = tmp_path_factory.mktemp("formats")
    source = synthesise(TEXT, folder / "source.wav")
    files = {v.name: _generate(v, source, folder) for v in MATRIX}
    files |= _broken_files(folder, files["aac-44k-stereo.m4a"])
    client = create_app(stack_settings).test_client()
    piece_id = create_piece(client, "Psalm 23, opening", TEXT)
    attempts = {name: upload(client, piece_id, path) for name, path in files.items()}
    import soundfile

    return Submitted(client, files, attempts, soundfile.info(str(source)).duration)


@pytest.mark.parametrize("variant", MATRIX, ids=lambda v: v.name)
def test_format_is_scored_end_to_end(submitted: Submitted, variant: Variant) -> None:
    body = poll(submitted.client, submitted.attempts[variant.name], timeout=120)
    assert body["status"] == "done", body
    assert body["format"] == variant.fmt
    # Raw ADTS keeps the encoder's priming frame and a padded last frame.
    slack = 0.1 if variant.fmt != "aac" else max(0.1, 2 * 1024 / variant.rate)
    assert body["duration_seconds"] == pytest.approx(submitted.duration, abs=slack)
    result = body["result"]
    assert result["engine"] == "offline"
    assert result["scores"]["accuracy"] >= variant.min_accuracy, result["scores"]
    assert result["scores"]["completeness"] >= variant.min_accuracy, result["scores"]


@pytest.mark.parametrize("variant", MATRIX, ids=lambda v: v.name)
def test_generated_file_is_what_it_claims(variant: Variant, submitted: Submitted) -> None:
    # Guards the matrix itself: a silently ignored encoder option would test nothing.
    stream = _probe(submitted.files[variant.name])
    assert stream["codec_name"] == variant.codec
    assert stream["channels"] == variant.channels
    expected_rate = 48000 if variant.codec == "opus" else variant.rate  # Opus always decodes at 48 kHz
    assert int(stream["sample_rate"]) == expected_rate


def test_matrix_covers_every_format_rate_and_layout() -> None:
    assert {v.fmt for v in MATRIX} == {"wav", "flac", "ogg", "opus", "webm", "mp3", "m4a", "aac"}
    assert {v.codec for v in MATRIX} >= {"pcm_u8", "pcm_s16le", "pcm_s24le", "pcm_s32le", "pcm_f32le"}
    assert {v.rate for v in MATRIX} >= {8000, 16000, 22050, 24000, 44100, 48000}
    for fmt in {v.fmt for v in MATRIX} - {"wav"}:
        assert {v.channels for v in MATRIX if v.fmt == fmt} == {1, 2}, fmt


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_upload_fails_with_its_code(submitted: Submitted, name: str) -> None:
    body = poll(submitted.client, submitted.attempts[name], timeout=120)
    assert body["status"] == "failed", body
    assert body["error"]["code"] == BROKEN[name]
    assert body["error"]["message"]


def test_text_renamed_wav_is_refused_at_upload(submitted: Submitted, tmp_path: Path) -> None:
    fake = tmp_path / "recording.wav"
    fake.write_text("The Lord is my shepherd. This is not audio.\n" * 50)
    client = submitted.client
    piece_id = create_piece(client, "Renamed", TEXT)
    with fake.open("rb") as handle:
        response = client.post(
            f"/api/v1/pieces/{piece_id}/attempts",
            data={"recording": (handle, "recording.wav", "audio/wav")},
            headers=LEARNER,
            content_type="multipart/form-data",
        )
    assert response.status_code == 415, response.get_json()
    assert response.get_json()["error"]["code"] == "unsupported_format"
    listed = client.get("/api/v1/attempts?limit=100", headers=LEARNER).get_json()
    assert all(a["piece_id"] != piece_id for a in listed["items"]), listed
