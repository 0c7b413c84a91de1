from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from shared.audio.decode import decode_file
from shared.audio.probe import probe
from shared.audio.sniff import sniff_format
from shared.audio.types import TARGET_RATE, AudioError
from tests.shared.audio.conftest import run

SOX = "sox {src} -r {rate} -c {ch} {extra} {out}"
FFMPEG = "ffmpeg -y -i {src} -ar {rate} -ac {ch} {extra} {out}"
# (template, extra args, extension, rate, channels)
MATRIX = [
    (SOX, "-b 16", "wav", 8000, 1),
    (SOX, "-b 24", "wav", 44100, 2),
    (SOX, "-e floating-point -b 32", "wav", 22050, 1),
    (SOX, "-b 8 -e unsigned-integer", "wav", 16000, 1),
    (SOX, "", "flac", 44100, 2),
    (SOX, "", "ogg", 32000, 1),
    (FFMPEG, "-c:a libopus -b:a 24k", "opus", 48000, 1),
    (FFMPEG, "-c:a libopus -b:a 12k", "webm", 48000, 2),
    (FFMPEG, "-c:a libmp3lame", "mp3", 22050, 2),
    (FFMPEG, "-c:a aac", "m4a", 44100, 2),
    (FFMPEG, "-c:a aac", "m4a", 16000, 1),
    (FFMPEG, "-c:a aac -f adts", "aac", 22050, 2),
    (FFMPEG, "-c:a aac -f adts", "aac", 16000, 1),
]


@pytest.mark.parametrize(("template", "extra", "ext", "rate", "channels"), MATRIX)
def test_format_matrix_decodes_to_16k_mono_float(
    template: str,
    extra: str,
    ext: str,
    rate: int,
    channels: int,
    speech_wav: Path,
    tmp_path: Path,
) -> None:
    out = tmp_path / f"clip.{ext}"
    run(*template.format(src=speech_wav, rate=rate, ch=channels, extra=extra, out=out).split())
    fmt = sniff_format(out.read_bytes()[:4096])
    info = probe(str(out), fmt)
    assert (info.sample_rate, info.channels) == (rate, channels)

    audio = decode_file(str(out), fmt)
    original, _ = sf.read(speech_wav, dtype="float32")
    assert audio.samples.dtype == np.float32 and audio.samples.ndim == 1
    assert (audio.source_rate, audio.source_channels, audio.source_format) == (rate, channels, fmt)
    # Raw ADTS keeps the encoder's priming frame and pads the last frame (no
    # container edit list trims them): up to two 1024-sample frames more.
    slack = 0.1 if fmt != "aac" else max(0.1, 2 * 1024 / rate)
    assert abs(audio.duration - len(original) / TARGET_RATE) < slack
    # Same loudness within 4 dB (ffmpeg's mono->stereo upmix costs 3 dB).
    level = 10 * np.log10(np.mean(audio.samples**2) / np.mean(original**2))
    assert abs(level) < 4.0
    assert np.max(np.abs(audio.samples)) <= 1.0


def _wav_header(channels: int, rate: int, data_bytes: int, body: int = 3200) -> bytes:
    block = channels * 2
    fmt = struct.pack("<HHIIHH", 1, channels, rate, rate * block, block, 16)
    header = b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVE"
    header += b"fmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", data_bytes)
    return header + b"\0" * body


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (_wav_header(96, 16000, 96 * 2 * 100), "too_many_channels"),
        (_wav_header(1, 384000, 3200), "sample_rate_too_high"),
        (_wav_header(1, 16000, 10 * 3600 * 32000), "implausible_header"),
    ],
)
def test_hostile_wav_headers_rejected_before_decoding(header: bytes, code: str, tmp_path: Path) -> None:
    path = tmp_path / "hostile.wav"
    path.write_bytes(header)
    for call in (probe, decode_file):
        with pytest.raises(AudioError) as caught:
            call(str(path), "wav")
        assert caught.value.code == code
        assert caught.value.message


def test_recording_past_the_maximum_is_too_long(speech_wav: Path, tmp_path: Path) -> None:
    for ext in ("wav", "opus"):
        out = tmp_path / f"long.{ext}"
        run("ffmpeg", "-y", "-i", str(speech_wav), str(out))
        fmt = sniff_format(out.read_bytes()[:4096])
        with pytest.raises(AudioError) as caught:
            decode_file(str(out), fmt, max_seconds=2.0)
        assert caught.value.code == "too_long"


def test_webm_without_duration_is_capped_while_decoding(speech_wav: Path, tmp_path: Path) -> None:
    # Live-recorded WebM (MediaRecorder) has no duration in its header, so only
    # the cap inside the decode loop can stop it.
    out = tmp_path / "live.webm"
    run("ffmpeg", "-y", "-i", str(speech_wav), "-c:a", "libopus", "-live", "1", str(out))
    with pytest.raises(AudioError) as caught:
        decode_file(str(out), "webm", max_seconds=2.0)
    assert caught.value.code == "too_long"


@pytest.mark.parametrize("fmt", ["wav", "flac", "ogg", "mp3", "m4a", "aac", "webm", "opus"])
def test_garbage_is_corrupt_audio(fmt: str, tmp_path: Path) -> None:
    path = tmp_path / "junk"
    rng = np.random.default_rng(7)
    path.write_bytes(rng.integers(0, 256, 20000, dtype=np.uint8).tobytes())
    with pytest.raises(AudioError) as caught:
        decode_file(str(path), fmt)
    assert caught.value.code == "corrupt_audio"


def test_an_adts_recording_cut_off_mid_frame_keeps_its_whole_frames(speech_wav: Path, tmp_path: Path) -> None:
    whole = tmp_path / "whole.aac"
    run("ffmpeg", "-y", "-i", str(speech_wav), "-c:a", "aac", "-f", "adts", str(whole))
    data = whole.read_bytes()
    cut = tmp_path / "cut.aac"
    cut.write_bytes(data[: len(data) // 3])  # an interrupted recorder: the last frame half-written
    full, kept = decode_file(str(whole), "aac"), decode_file(str(cut), "aac")
    assert 0.2 * full.duration < kept.duration < 0.45 * full.duration


@pytest.mark.parametrize(("args", "decoded_as"), [(["-f", "adts"], "aac"), (["-f", "mp3"], "mp3")])
def test_a_tag_longer_than_the_sniffed_head_hides_no_format(
    args: list[str], decoded_as: str, speech_wav: Path, tmp_path: Path
) -> None:
    """QA: ADTS behind a 5 KB ID3 comment was taken for MP3 and refused as damaged."""
    out = tmp_path / "tagged"
    comment = "x" * 5000
    run(
        "ffmpeg",
        "-y",
        "-i",
        str(speech_wav),
        "-write_id3v2",
        "1",
        "-metadata",
        f"comment={comment}",
        *args,
        str(out),
    )
    head = out.read_bytes()[:4096]
    assert sniff_format(head) == "mp3"  # all the head holds is the tag
    audio = decode_file(str(out), "mp3")
    assert audio.source_format == decoded_as and audio.duration > 1.0


def test_a_recording_of_exactly_the_maximum_is_accepted(tmp_path: Path) -> None:
    """Opus adds a few milliseconds of priming: exactly the limit must not be too long."""
    wav = tmp_path / "five.wav"
    sf.write(wav, (0.1 * np.sin(np.arange(5 * 16000) / 5)).astype(np.float32), 16000)
    out = tmp_path / "five.opus"
    run("ffmpeg", "-y", "-i", str(wav), "-c:a", "libopus", str(out))
    audio = decode_file(str(out), "opus", max_seconds=5.0)
    assert 4.99 <= audio.duration <= 5.02


def test_a_video_without_sound_says_so_not_damaged(tmp_path: Path) -> None:
    """QA: an MP4 with no audio track was "corrupt_audio … it may be damaged"."""
    out = tmp_path / "silent-film.mp4"
    run("ffmpeg", "-y", "-f", "lavfi", "-i", "color=c=black:s=64x64:d=2", "-c:v", "mpeg4", str(out))
    fmt = sniff_format(out.read_bytes()[:4096])
    with pytest.raises(AudioError) as caught:
        probe(str(out), fmt)
    assert caught.value.code == "no_audio_track" and "no sound" in caught.value.message
