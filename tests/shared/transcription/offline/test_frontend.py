"""Signal conditioning before recognition: noise subtraction and narrow-band floor."""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, resample_poly, sosfilt

from shared.transcription.offline.frontend import DENOISE_BELOW_SNR_DB, high_band_db, prepare
from shared.transcription.offline.pronunciations import compound_phones, pronounce

RATE = 16000


def _speechlike(seconds: float = 4.0, seed: int = 1) -> np.ndarray:
    """Broadband bursts (syllables) separated by silences."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    envelope = (np.sin(2 * np.pi * 2.5 * t) > 0.2).astype(np.float32)
    return (0.3 * rng.normal(0, 1, len(t)) * envelope).astype(np.float32)


def test_clean_wide_band_audio_is_left_alone() -> None:
    samples = _speechlike()
    out, info = prepare(samples)
    assert out is samples
    assert info["denoised"] is False and info["narrow_band"] is False
    assert info["snr_db"] >= DENOISE_BELOW_SNR_DB


def test_noisy_audio_is_denoised_and_keeps_its_length() -> None:
    samples = _speechlike() + np.random.default_rng(2).normal(0, 0.03, 4 * RATE).astype(np.float32)
    out, info = prepare(samples)
    assert info["denoised"] is True
    assert len(out) == len(samples) and out.dtype == np.float32
    quiet = samples[int(0.35 * RATE) : int(0.36 * RATE)]  # a silence between bursts
    assert np.abs(out[int(0.35 * RATE) : int(0.36 * RATE)]).mean() < 0.5 * np.abs(quiet).mean()


def test_a_steady_noise_floor_is_told_from_decaying_tails() -> None:
    noisy = _speechlike() + np.random.default_rng(2).normal(0, 0.03, 4 * RATE).astype(np.float32)
    assert prepare(noisy)[1]["steady_noise"] is True
    # Reverberation: the quiet frames are tails dying away into the room's
    # silence, not a steady floor, though the SNR estimate is as low.
    t = np.arange(int(0.6 * RATE)) / RATE
    tail = (np.random.default_rng(3).normal(0, 1, len(t)) * np.exp(-t / 0.08)).astype(np.float32)
    wet = np.convolve(_speechlike(), tail)[: 4 * RATE]
    silence = np.zeros(RATE // 10)
    reverberant = np.concatenate([silence, wet, silence]).astype(np.float32)
    _, info = prepare(reverberant)
    assert info["snr_db"] < DENOISE_BELOW_SNR_DB and info["steady_noise"] is False
    assert prepare(_speechlike())[1]["steady_noise"] is False


def test_phone_band_audio_gets_a_deterministic_noise_floor() -> None:
    sos = butter(8, [300, 3400], "bandpass", fs=8000, output="sos")
    phone = resample_poly(sosfilt(sos, resample_poly(_speechlike(), 1, 2)), 2, 1).astype(np.float32)
    assert high_band_db(phone) < -50
    first, info = prepare(phone)
    second, _ = prepare(phone)
    assert info["narrow_band"] is True
    assert np.array_equal(first, second)
    assert high_band_db(first) > high_band_db(phone) + 10


def test_short_audio_passes_through() -> None:
    samples = np.zeros(100, dtype=np.float32)
    out, info = prepare(samples)
    assert out is samples and info["denoised"] is False


def test_compounds_missing_from_the_dictionary_use_their_parts() -> None:
    lexicon = {"there": "DH EH R", "under": "AH N D ER", "walk": "W AO K", "eth": "EH TH"}
    assert compound_phones("thereunder", lexicon.get) == "DH EH R AH N D ER"
    assert compound_phones("zzzqqq", lexicon.get) is None
    assert pronounce("walketh", lexicon.get).endswith("IH TH")  # archaic verb, not walk + eth
