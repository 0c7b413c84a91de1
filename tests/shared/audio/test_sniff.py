from __future__ import annotations

import struct
from pathlib import Path

import pytest

from shared.audio.sniff import ALLOWED_FORMATS, EXTENSION_BY_FORMAT, sniff_format
from shared.audio.types import AudioError
from tests.shared.audio.conftest import run

# (ffmpeg/sox output args, expected format)
CASES = [
    (["sox", "{src}", "-b", "16", "{out}.wav"], "wav"),
    (["sox", "{src}", "-e", "floating-point", "-b", "32", "{out}.wav"], "wav"),
    (["sox", "{src}", "{out}.flac"], "flac"),
    (["sox", "{src}", "{out}.ogg"], "ogg"),
    (["ffmpeg", "-y", "-i", "{src}", "-c:a", "libopus", "{out}.opus"], "opus"),
    (["ffmpeg", "-y", "-i", "{src}", "-c:a", "libopus", "{out}.webm"], "webm"),
    (["ffmpeg", "-y", "-i", "{src}", "{out}.mp3"], "mp3"),
    (
        ["ffmpeg", "-y", "-i", "{src}", "-write_xing", "0", "-id3v2_version", "0", "{out}.mp3"],
        "mp3",
    ),
    (["ffmpeg", "-y", "-i", "{src}", "-c:a", "aac", "{out}.m4a"], "m4a"),
    (["ffmpeg", "-y", "-i", "{src}", "-c:a", "aac", "{out}.mp4"], "m4a"),
    (["ffmpeg", "-y", "-i", "{src}", "-c:a", "aac", "-f", "adts", "{out}.aac"], "aac"),
    (["ffmpeg", "-y", "-i", "{src}", "-c:a", "aac", "-ar", "8000", "-f", "adts", "{out}.aac"], "aac"),
]


@pytest.mark.parametrize(("command", "expected"), CASES)
def test_real_files_are_recognised(
    command: list[str], expected: str, speech_wav: Path, tmp_path: Path
) -> None:
    stem = str(tmp_path / "clip")
    args = [a.format(src=speech_wav, out=stem) for a in command]
    run(*args)
    # Deliberately misleading file name: only the bytes may decide.
    produced = Path(args[-1])
    disguised = produced.rename(tmp_path / "upload.txt")
    assert sniff_format(disguised.read_bytes()[:4096]) == expected
    assert expected in ALLOWED_FORMATS and expected in EXTENSION_BY_FORMAT


def test_wave_format_extensible_is_wav() -> None:
    fmt = struct.pack("<HHIIHHHHIH14s", 0xFFFE, 2, 48000, 48000 * 6, 6, 24, 22, 24, 3, 1, b"\0" * 14)
    head = b"RIFF" + struct.pack("<I", 100) + b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    assert sniff_format(head) == "wav"


@pytest.mark.parametrize(
    "head",
    [
        b"",
        b"%PDF-1.7 not audio at all",
        b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
        b"RIFF\x24\0\0\0AVI LIST",
        b"\xff\xd8\xff\xe0\0\x10JFIF",
        b"OggS" + b"\0" * 22 + b"\x01\x1e" + b"\x80theora" + b"\0" * 40,
        b"<html><body>hello</body></html>",
        b"\xff\xfb" + b"\0" * 100,  # a lone sync word with a bad bitrate is not MP3
        b"\xff\xf1\x50\x80\x02\x1f\xfc" + b"\0" * 100,  # one ADTS header, no frame after it
    ],
)
def test_other_bytes_are_refused_with_a_friendly_message(head: bytes) -> None:
    with pytest.raises(AudioError) as caught:
        sniff_format(head)
    assert caught.value.code == "unsupported_format"
    assert "record" in caught.value.message.lower()
