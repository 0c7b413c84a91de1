"""Synthesis, joining and learner conditions for the evaluation set.

Segments between planned pauses are synthesised separately, trimmed of the
synthesiser's own lead-in and tail, and joined with exact silences, so the
truth knows where every hesitation is. Conditions are applied with the same
tools a learner's channel would: sox (band-pass, resampling, reverb), ffmpeg
(Opus in WebM) and numpy (pink noise, gain).
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from bench.eval.cases import Case, Token

RATE = 16000
FLITE = ("slt", "rms", "awb", "kal16")
FESTIVAL = {"hts": "cmu_us_slt_arctic_hts", "kal": "kal_diphone"}
# Held-out variants: the same speakers' voices slowed and pitched differently,
# so the held-out set is not the exact voices the engine was tuned on.
VARIANTS = {"slow": ("1.15", "1.1"), "fast": ("0.9", "0.92")}


def synthesise(text: str, voice: str) -> np.ndarray:
    """One segment as float32 at 16 kHz; ``voice`` is "slt", "hts", "kal:slow"…"""
    name, _, variant = voice.partition(":")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "s.wav"
        if name in FLITE:
            args = ["flite", "-voice", name, "-t", text, "-o", str(out)]
            if variant:
                args[1:1] = ["--setf", f"duration_stretch={VARIANTS[variant][0]}"]
            subprocess.run(args, check=True, capture_output=True)
        else:
            src = Path(tmp) / "in.txt"
            src.write_text(text, encoding="utf-8")
            setup = f"(voice_{FESTIVAL[name]})"
            if variant:
                setup += f" (Parameter.set 'Duration_Stretch {VARIANTS[variant][1]})"
            cmd = ["text2wave", "-eval", setup, str(src), "-o", str(out)]
            subprocess.run(cmd, check=True, capture_output=True)
        samples, rate = sf.read(out, dtype="float32", always_2d=True)
    mono = samples.mean(axis=1)
    return mono if rate == RATE else soxr.resample(mono, rate, RATE).astype(np.float32)


def trim(samples: np.ndarray, margin: float = 0.04) -> np.ndarray:
    """Cut leading and trailing silence (frames 40 dB below the loudest)."""
    frame = 160
    energy = np.array([np.mean(samples[i : i + frame] ** 2) for i in range(0, len(samples), frame)])
    loud = np.nonzero(energy > energy.max() * 1e-4)[0]
    if not len(loud):
        return samples
    pad = int(margin * RATE)
    return samples[max(0, loud[0] * frame - pad) : (loud[-1] + 1) * frame + pad]


def segments(tokens: list[Token]) -> list[tuple[str, float]]:
    """Runs of tokens said in one breath, each with the pause after it."""
    runs: list[tuple[str, float]] = []
    current: list[str] = []
    for token in tokens:
        current.append(token.text)
        if token.pause > 0:
            runs.append((" ".join(current), token.pause))
            current = []
    if current:
        runs.append((" ".join(current), 0.0))
    return runs


def render(case: Case) -> np.ndarray:
    """The case's recitation (before its condition); records true hesitations."""
    assert case.truth is not None
    parts = [np.zeros(int(0.4 * RATE), np.float32)]
    at = 0.4
    for text, pause in segments(case.tokens):
        speech = trim(synthesise(text, case.voice))
        parts.append(speech)
        at += len(speech) / RATE
        if pause >= 1.0:
            case.truth.hesitations.append((round(at, 3), round(at + pause, 3)))
        parts.append(np.zeros(int(max(pause, 0.0) * RATE), np.float32))
        at += int(max(pause, 0.0) * RATE) / RATE
    parts.append(np.zeros(int(0.4 * RATE), np.float32))
    joined = np.concatenate(parts)
    return (0.5 * joined / max(1e-6, float(np.abs(joined).max()))).astype(np.float32)


def apply_condition(samples: np.ndarray, condition: str, seed: int, folder: Path, stem: str) -> Path:
    """Write the recording as the learner's device would deliver it."""
    folder.mkdir(parents=True, exist_ok=True)
    wav = folder / f"{stem}.wav"
    if condition == "noise":
        samples = add_pink_noise(samples, 15.0, seed)
    elif condition == "noise_audible":
        samples = add_pink_noise(samples, 15.0, seed, low_hz=AUDIBLE_HZ)
    elif condition == "quiet":
        samples = samples * 10 ** (-28 / 20)
    elif condition == "faint":
        samples = faint(samples, seed)
    sf.write(wav, samples, RATE, subtype="PCM_16")
    if condition in ("clean", "noise", "noise_audible", "quiet", "faint"):
        return wav
    return _sox_or_ffmpeg(wav, condition, folder / stem)


# sox dithers when it writes 16-bit samples, from a new random seed each run
# unless told otherwise: the same case rendered twice differed, and so did the
# evaluation's reverb figures on a fresh cache. -R fixes the seed.
_REPEATABLE = ("-R",)


def _sox_or_ffmpeg(wav: Path, condition: str, stem: Path) -> Path:
    if condition == "opus":
        out = stem.with_suffix(".webm")
        cmd = [
            "ffmpeg",
            "-y",
            "-loglevel",
            "error",
            "-i",
            str(wav),
            "-c:a",
            "libopus",
            "-b:a",
            "12k",
            str(out),
        ]
    elif condition == "phone":
        out = stem.with_name(stem.name + "_8k.wav")
        cmd = ["sox", *_REPEATABLE, str(wav), "-r", "8000", str(out), "sinc", "300-3400"]
    else:  # reverb: a medium room, wet and dry mixed
        out = stem.with_name(stem.name + "_rev.wav")
        cmd = ["sox", *_REPEATABLE, str(wav), str(out), "gain", "-3", "reverb", "50", "50", "70", "100", "10"]
    subprocess.run(cmd, check=True, capture_output=True)
    wav.unlink()
    return out


FAINT_PEAK_DBFS = -36.0
FAINT_FLOOR_DBFS = -70.0


def faint(samples: np.ndarray, seed: int) -> np.ndarray:
    """A microphone far away or turned down: peaks near -36 dBFS over a pink
    noise floor at -70 dBFS RMS (a quiet room through a real preamp); the
    16-bit file written after it quantises the result as a device would."""
    peak = max(1e-9, float(np.abs(samples).max()))
    speech = samples * (10 ** (FAINT_PEAK_DBFS / 20) / peak)
    return (speech + pink_noise(len(samples), 10 ** (FAINT_FLOOR_DBFS / 20), seed)).astype(np.float32)


def pink_noise(length: int, rms: float, seed: int) -> np.ndarray:
    """Seeded pink (1/f) noise of the given RMS."""
    rng = np.random.default_rng(seed)
    spectrum = np.fft.rfft(rng.standard_normal(length))
    freqs = np.fft.rfftfreq(length)
    spectrum[1:] /= np.sqrt(freqs[1:])
    spectrum[0] = 0
    noise = np.fft.irfft(spectrum, length)
    return (noise * (rms / np.sqrt(np.mean(noise**2)))).astype(np.float32)


AUDIBLE_HZ = 20.0  # the harder noise condition's pink noise starts here


def add_pink_noise(samples: np.ndarray, snr_db: float, seed: int, low_hz: float = 0.0) -> np.ndarray:
    """Pink (1/f) noise at ``snr_db`` below the power of the speech frames.

    With ``low_hz`` 0 (the ``noise`` condition) the 1/f slope runs down to the
    file's lowest frequency (1/length): on a 30 s case about 64 % of the noise
    power lies under 100 Hz (sox's ``synth pinknoise``: 46 %), below the
    recogniser's filterbank. ``low_hz`` 20 keeps the power in the audible band."""
    rng = np.random.default_rng(seed)
    spectrum = np.fft.rfft(rng.standard_normal(len(samples)))
    freqs = np.fft.rfftfreq(len(samples))
    spectrum[1:] /= np.sqrt(freqs[1:])
    spectrum[0] = 0
    if low_hz > 0:
        spectrum[freqs * RATE < low_hz] = 0
    noise = np.fft.irfft(spectrum, len(samples))
    frames = samples[: len(samples) // 160 * 160].reshape(-1, 160)
    power = (frames**2).mean(axis=1)
    speech_power = power[power > power.max() * 1e-3].mean()
    noise *= np.sqrt(speech_power / 10 ** (snr_db / 10) / np.mean(noise**2))
    mixed = samples + noise.astype(np.float32)
    return (mixed / max(1.0, float(np.abs(mixed).max()))).astype(np.float32)
