"""Detect an upload's audio format from its first bytes, against an allow-list.

Filenames and client Content-Types are never consulted: they are whatever the
client says, while the magic bytes are what the decoder will actually see.
"""

from __future__ import annotations

from shared.audio.types import AudioError

ALLOWED_FORMATS: frozenset[str] = frozenset({"wav", "flac", "ogg", "opus", "webm", "mp3", "m4a", "aac"})

# Extension for server-generated storage keys (attempts/{learner}/{attempt}.{ext}).
EXTENSION_BY_FORMAT: dict[str, str] = {
    "wav": "wav",
    "flac": "flac",
    "ogg": "ogg",
    "opus": "opus",
    "webm": "webm",
    "mp3": "mp3",
    "m4a": "m4a",
    "aac": "aac",
}

# How many leading bytes callers should pass; enough for an ID3-less MP3 frame
# check and the first Ogg page's codec header.
SNIFF_BYTES = 4096

# ISO-BMFF major/compatible brands that carry audio we can decode (AAC, ALAC).
_MP4_BRANDS = (
    b"M4A ",
    b"M4B ",
    b"mp41",
    b"mp42",
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"3gp4",
    b"3gp5",
    b"3gp6",
    b"3g2a",
    b"dash",
    b"MSNV",
    b"avc1",
    b"qt  ",
    b"f4a ",
)

_UNSUPPORTED = (
    "This recording's format isn't supported. Please record again in the app, "
    "or upload WAV, MP3, M4A, AAC, FLAC, OGG, Opus or WebM audio."
)


def sniff_format(head: bytes) -> str:
    """Return the allow-listed format name for a file starting with ``head``.

    Raises ``AudioError("unsupported_format", ...)`` for anything else,
    including empty input.
    """
    for check in (_riff_wave, _flac, _ogg, _webm, _m4a, _mp3, _adts):
        fmt = check(head)
        if fmt is not None:
            return fmt
    raise AudioError("unsupported_format", _UNSUPPORTED)


def _riff_wave(head: bytes) -> str | None:
    # RIFF (and RF64 for >4 GB files) with the WAVE form type; PCM, float and
    # WAVE_FORMAT_EXTENSIBLE all share this header.
    if head[:4] in (b"RIFF", b"RF64") and head[8:12] == b"WAVE":
        return "wav"
    return None


def _flac(head: bytes) -> str | None:
    if head.startswith(b"fLaC"):
        return "flac"
    # FLAC with a leading ID3 tag (some taggers do this).
    body = _skip_id3(head)
    return "flac" if body is not None and body.startswith(b"fLaC") else None


def _ogg(head: bytes) -> str | None:
    if not head.startswith(b"OggS") or len(head) < 28:
        return None
    # The first page carries exactly one packet: the codec identification header.
    segments = head[26]
    packet = head[27 + segments : 27 + segments + 8]
    if packet.startswith(b"OpusHead"):
        return "opus"
    if packet.startswith(b"\x01vorbis"):
        return "ogg"
    if packet.startswith(b"fLaC", 1):  # Ogg FLAC: 0x7F 'FLAC'
        return None  # soundfile reads it poorly; not on the allow-list
    return None


def _webm(head: bytes) -> str | None:
    # EBML magic; both WebM and Matroska audio decode through PyAV's matroska demuxer.
    return "webm" if head.startswith(b"\x1a\x45\xdf\xa3") else None


def _m4a(head: bytes) -> str | None:
    if len(head) < 12 or head[4:8] != b"ftyp":
        return None
    size = int.from_bytes(head[0:4], "big")
    brands = [head[8:12]]
    brands += [head[i : i + 4] for i in range(16, min(size, len(head)) - 3, 4)]
    return "m4a" if any(b in _MP4_BRANDS for b in brands) else None


def _mp3(head: bytes) -> str | None:
    body = _skip_id3(head)
    if body is not None:
        # An ID3 tag is only found on MP3 (FLAC checked earlier); trust it if a
        # frame sync follows or the tag runs past what we were given.
        return "mp3" if not body or _frame_sync(body) else None
    return "mp3" if _frame_sync(head) else None


def behind_long_tag(path: str, fmt: str) -> str:
    """``fmt`` with a second look behind an ID3 tag longer than the sniffed head: such a
    file is taken for MP3 (an ID3 tag says so), but ADTS AAC carries them too (QA: an
    ADTS recording with a 5 KB comment was refused as damaged)."""
    if fmt != "mp3":
        return fmt
    with open(path, "rb") as handle:
        tag = _id3_length(handle.read(10))
        if tag is None:
            return fmt
        handle.seek(tag)
        after = handle.read(SNIFF_BYTES)
    return "aac" if _mp3(after) is None and _adts(after) == "aac" else fmt


def _adts(head: bytes) -> str | None:
    """Raw AAC in ADTS frames (Android's and some voice recorders' ``.aac``),
    possibly after an ID3 tag. Two frame headers in a row, as for MP3."""
    body = _skip_id3(head)
    data = head if body is None else body
    length = _adts_frame_length(data)
    if length is None:
        return None
    following = data[length:]
    return "aac" if len(following) < 7 or _adts_frame_length(following) is not None else None


def _adts_frame_length(data: bytes) -> int | None:
    # 12-bit sync, layer 00 (MPEG audio's layer III is 01, so MP3 never matches),
    # a real sampling-frequency index and a frame at least as long as its header.
    if len(data) < 7 or data[0] != 0xFF or (data[1] & 0xF6) != 0xF0:
        return None
    if (data[2] >> 2) & 0x0F > 12:
        return None
    length = ((data[3] & 0x03) << 11) | (data[4] << 3) | (data[5] >> 5)
    return length if length >= 7 else None


def _skip_id3(head: bytes) -> bytes | None:
    """Bytes after a leading ID3v2 tag, or None if there is none."""
    length = _id3_length(head)
    return None if length is None else head[length:]


def _id3_length(head: bytes) -> int | None:
    """Bytes a leading ID3v2 tag takes (header, body and footer), or None if there is none."""
    if not head.startswith(b"ID3") or len(head) < 10:
        return None
    # Tag size is a 28-bit "syncsafe" integer (7 bits per byte).
    size = 0
    for byte in head[6:10]:
        size = (size << 7) | (byte & 0x7F)
    return 10 + size + (10 if head[5] & 0x10 else 0)


def _frame_sync(data: bytes) -> bool:
    """An MPEG audio layer III frame header at the start, and a second one where
    the first says the next frame begins (one sync word alone is too common in
    random bytes)."""
    length = _mp3_frame_length(data)
    if length is None:
        return False
    following = data[length:]
    return len(following) < 4 or _mp3_frame_length(following) is not None


_BITRATES_V1 = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_BITRATES_V2 = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _mp3_frame_length(data: bytes) -> int | None:
    if len(data) < 4 or data[0] != 0xFF or (data[1] & 0xE0) != 0xE0:
        return None
    version = (data[1] >> 3) & 0x03  # 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
    layer = (data[1] >> 1) & 0x03  # 1 = layer III
    bitrate_index = data[2] >> 4
    rate_index = (data[2] >> 2) & 0x03
    if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    bitrates = _BITRATES_V1 if version == 3 else _BITRATES_V2
    rate = _RATES[version][rate_index]
    padding = (data[2] >> 1) & 0x01
    factor = 144 if version == 3 else 72
    return factor * bitrates[bitrate_index] * 1000 // rate + padding
