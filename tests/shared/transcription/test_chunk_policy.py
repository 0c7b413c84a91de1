"""How many chunks the OpenAI engine sends: full rounds of parallel requests."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from shared.audio.types import DecodedAudio
from shared.settings import Settings
from shared.transcription.chunking import chunk_count, plan_chunks
from shared.transcription.openai.engine import OpenAITranscriber
from tests.support.openai_server import API_KEY, OpenAITestServer, tone_recording

MakeEngine = Callable[..., OpenAITranscriber]
MINUTE = 60
PITCHES = [400 + 50 * i for i in range(24)]


@pytest.mark.parametrize(
    ("minutes", "concurrency", "expected"),
    [
        (60, 8, 8),  # the hour: one round of 7.5 min chunks
        (60, 4, 8),  # two full rounds of 7.5 min, never 7 chunks (4 + 3 of 8.6 min)
        (45, 4, 8),  # five needed by the 10 min cap: still whole rounds
        (9, 8, 8),  # under the cap, but 8 requests of 67 s beat one of 9 min
        (3, 8, 3),  # not cut under a minute just to go parallel
        (0.5, 8, 1),
        (120, 8, 16),
    ],
)
def test_chunk_count_fills_whole_rounds(minutes: float, concurrency: int, expected: int) -> None:
    rate = 100  # the arithmetic is in samples; any rate will do
    total = int(minutes * MINUTE * rate)
    count = chunk_count(total, 10 * MINUTE * rate, concurrency, MINUTE * rate)
    assert count == expected


def test_planned_hour_is_balanced_chunks_under_the_cap() -> None:
    rate = 1_000
    silence = np.zeros(60 * MINUTE * rate, np.float32)
    count = chunk_count(len(silence), 10 * MINUTE * rate, 8, MINUTE * rate)
    spans = plan_chunks(silence, rate, 10 * MINUTE * rate, min_count=count)
    lengths = [b - a for a, b in spans]
    assert len(spans) == 8 and sum(lengths) == len(silence)
    assert max(lengths) <= 7.5 * MINUTE * rate + 15 * rate  # a cut moves at most 15 s


def test_settings_configure_the_chunk_policy(openai_server: OpenAITestServer) -> None:
    settings = Settings(
        openai_api_key=API_KEY,
        openai_base_url=openai_server.base_url,
        openai_concurrency=3,
        openai_chunk_seconds=4.0,
        openai_min_chunk_seconds=1.0,
    )
    samples, _ = tone_recording(PITCHES)  # 15.4 s: 4 needed by the cap -> 6 (two rounds of 3)
    spans = OpenAITranscriber.from_settings(settings).plan(samples)
    assert len(spans) == 6 and max(b - a for a, b in spans) <= 4.0 * 16_000
    assert Settings().openai_concurrency == 8


def test_parallel_chunks_are_all_in_flight_at_once(
    make_engine: MakeEngine, openai_server: OpenAITestServer
) -> None:
    # A scaled-down hour: the cap needs 6 chunks, concurrency 8 sends 8 in one round.
    # How close the wall time comes to the slowest chunk is a timing figure, so
    # it is measured by `make bench` (the OpenAI 60 min rows), not asserted here.
    openai_server.latency_per_audio_second = 0.5
    samples, truth = tone_recording(PITCHES)
    engine = make_engine(chunk_seconds=2.6, min_chunk_seconds=1.0, concurrency=8)
    transcript = engine.transcribe(DecodedAudio(samples, "wav", 16_000, 1))
    assert len(openai_server.requests) == 8 and openai_server.max_in_flight == 8
    assert [w.text for w in transcript.words] == [t[0] for t in truth]
